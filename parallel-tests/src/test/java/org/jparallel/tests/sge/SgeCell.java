package org.jparallel.tests.sge;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/** The Grid Engine cell the SGE end-to-end tests run on: the gate, and what qstat lists. */
final class SgeCell {
    static final String NOT_UP = "Grid Engine is not up: run scripts/gridengine-up.sh";
    private static final Pattern JOB = Pattern.compile(
            "<JB_job_number>(\\d+)</JB_job_number>\\s*<JAT_prio>[^<]*</JAT_prio>\\s*<JB_name>([^<]*)</JB_name>");
    private static Boolean up;

    private SgeCell() {
    }

    /**
     * Passes when {@code qstat} answers. Otherwise fails when {@code CI=true} (a cell that is not up
     * must fail the build) and skips the test elsewhere, both with {@link #NOT_UP}.
     */
    static synchronized void requireUp() {
        if (up == null) {
            String[] out = new String[1];
            up = run(out, 15, "qstat", "-xml") == 0;
            if (!up) {
                System.err.println("qstat did not answer: " + out[0]);
            }
        }
        if (!up) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(NOT_UP);
            }
            Assumptions.abort(NOT_UP);
        }
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

    /** Runs a command; returns its exit code (-1 when it could not run) and puts its output in out[0]. */
    static int run(String[] out, int timeoutSeconds, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
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
}
