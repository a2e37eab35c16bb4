package org.jparallel.tests.slurm;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** The single-node Slurm the Slurm end-to-end tests run on (scripts/slurm-up.sh): the gate, and what squeue lists. */
final class SlurmCluster {
    static final String NOT_UP = "Slurm is not up: run scripts/slurm-up.sh";
    private static Boolean up;

    private SlurmCluster() {
    }

    /**
     * Passes when {@code sinfo} lists a usable node. Otherwise fails when {@code CI=true} (a Slurm that
     * is not up must fail the build) and skips the test elsewhere, both with {@link #NOT_UP}.
     */
    static synchronized void requireUp() {
        if (up == null) {
            String[] out = new String[1];
            int rc = run(out, 15, "sinfo", "-h", "-o", "%T");
            up = rc == 0 && out[0].matches("(?s).*\\b(idle|mixed|allocated)\\b.*");
            if (!up) {
                System.err.println("sinfo did not list a usable node (exit code " + rc + "): " + out[0]);
            }
        }
        if (!up) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(NOT_UP);
            }
            Assumptions.abort(NOT_UP);
        }
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

    /** Runs a command; returns its exit code (-1 when it could not run) and puts its output in out[0]. */
    static int run(String[] out, int timeoutSeconds, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> {
                try (InputStream in = p.getInputStream()) {
                    in.transferTo(buf);
                } catch (IOException e) {
                    // the process was killed
                }
            });
            reader.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                reader.join(1000);
                out[0] = "timed out after " + timeoutSeconds + " s: " + buf.toString(StandardCharsets.UTF_8);
                return -1;
            }
            reader.join(5000);
            out[0] = buf.toString(StandardCharsets.UTF_8);
            return p.exitValue();
        } catch (IOException e) {
            out[0] = e.toString();
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out[0] = "interrupted";
            return -1;
        }
    }

    /** @return a job name unique to this test run */
    static String uniqueName(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }

    /** Waits until squeue lists no job named {@code name}; fails after {@code seconds}. @return how long it took, ms */
    static long awaitNoJob(String name, int seconds) throws InterruptedException {
        long t0 = System.nanoTime();
        List<String> jobs;
        while (!(jobs = jobsNamed(name)).isEmpty()) {
            if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(seconds)) {
                fail("squeue still lists " + jobs + " named " + name + " " + seconds + " s after close");
            }
            Thread.sleep(100);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
