package org.jparallel.tests.slurm;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.jparallel.tests.RealScheduler;
import org.jparallel.tests.SchedulerCommands;

/** The single-node Slurm the Slurm end-to-end tests run on (scripts/slurm-up.sh): the gate, and what squeue lists. */
final class SlurmCluster extends SchedulerCommands {
    static final String NOT_UP = "Slurm is not up: run scripts/slurm-up.sh";
    /** The cluster as a {@link RealScheduler}: up when {@code sinfo} lists a usable node, asked with {@code squeue}. */
    static final RealScheduler CLUSTER = new RealScheduler("squeue", NOT_UP, SlurmCluster::whyDown,
            SlurmCluster::jobsNamed);

    private SlurmCluster() {
    }

    /** Passes when {@code sinfo} lists a usable node; otherwise fails under {@code CI=true} and skips elsewhere. */
    static void requireUp() {
        CLUSTER.requireUp();
    }

    private static String whyDown() {
        String[] out = new String[1];
        int rc = run(out, 15, "sinfo", "-h", "-o", "%T");
        return rc == 0 && out[0].matches("(?s).*\\b(idle|mixed|allocated)\\b.*") ? null
                : "sinfo did not list a usable node (exit code " + rc + "): " + out[0];
    }

    /**
     * @return the jobs (as {@code ID|STATE}) named {@code name} that a plain {@code squeue} lists for any
     *     user: pending, running, completing and the like, not those that have ended
     */
    static List<String> jobsNamed(String name) {
        String[] out = new String[1];
        if (run(out, 15, "squeue", "-h", "-r", "-n", name, "-o", "%i|%T") != 0) {
            fail("squeue failed: " + out[0]);
        }
        List<String> jobs = new ArrayList<>();
        for (String line : out[0].split("\\R")) {
            if (!line.isBlank()) {
                jobs.add(line.strip());
            }
        }
        return jobs;
    }

    /** Waits until squeue lists no job named {@code name}; fails after {@code seconds}. @return how long it took, ms */
    static long awaitNoJob(String name, int seconds) throws InterruptedException {
        return CLUSTER.awaitNoJob(name, seconds);
    }
}
