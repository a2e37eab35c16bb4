package org.jparallel.tests;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * What the tests on a real batch scheduler do at its command line: run a command with a time limit and
 * name their jobs uniquely. A class of static helpers that each scheduler's gate (SgeCell, SlurmCluster)
 * extends, so that its tests call them by the gate's name.
 */
public class SchedulerCommands {
    protected SchedulerCommands() {
    }

    /** Runs a command; returns its exit code (-1 when it could not run) and puts its output in out[0]. */
    public static int run(String[] out, int timeoutSeconds, String... command) {
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
    public static String uniqueName(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }
}
