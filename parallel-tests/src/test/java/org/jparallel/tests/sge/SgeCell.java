package org.jparallel.tests.sge;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jparallel.tests.RealScheduler;
import org.jparallel.tests.SchedulerCommands;

/** The Grid Engine cell the SGE end-to-end tests run on: the gate, and what qstat lists. */
final class SgeCell extends SchedulerCommands {
    static final String NOT_UP = "Grid Engine is not up: run scripts/gridengine-up.sh";
    /** The cell as a {@link RealScheduler}: asked with {@code qstat}. */
    static final RealScheduler CELL = new RealScheduler("qstat", NOT_UP, SgeCell::whyDown, SgeCell::jobsNamed);
    private static final Pattern JOB = Pattern.compile(
            "<JB_job_number>(\\d+)</JB_job_number>\\s*<JAT_prio>[^<]*</JAT_prio>\\s*<JB_name>([^<]*)</JB_name>");

    private SgeCell() {
    }

    /** Passes when {@code qstat} answers; otherwise fails under {@code CI=true} and skips elsewhere. */
    static void requireUp() {
        CELL.requireUp();
    }

    private static String whyDown() {
        String[] out = new String[1];
        return run(out, 15, "qstat", "-xml") == 0 ? null : "qstat did not answer: " + out[0];
    }

    /** @return the distinct ids of the jobs named {@code name} that qstat lists (every user) */
    static List<Long> jobsNamed(String name) {
        String[] out = new String[1];
        if (run(out, 15, "qstat", "-xml", "-u", "*") != 0) {
            fail("qstat failed: " + out[0]);
        }
        List<Long> ids = new ArrayList<>();
        Matcher m = JOB.matcher(out[0]);
        while (m.find()) {
            if (m.group(2).equals(name) && !ids.contains(Long.parseLong(m.group(1)))) {
                ids.add(Long.parseLong(m.group(1)));
            }
        }
        return ids;
    }

    /** Waits until qstat lists no job named {@code name}; fails after {@code seconds}. @return how long it took, ms */
    static long awaitNoJob(String name, int seconds) throws InterruptedException {
        return CELL.awaitNoJob(name, seconds);
    }
}
