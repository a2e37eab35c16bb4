package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.local.LocalWorker;
import org.jparallel.spi.LaunchSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run's secret does not reach a local worker through its environment, so neither the worker's
 * {@code /proc/PID/environ} nor the processes its tasks start carry it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LocalWorkerSecretTest {
    @TempDir
    Path tempDir;

    @Test
    void theSecretIsNeitherInTheWorkersEnvironmentNorInWhatItsTasksStart() throws Exception {
        for (boolean tls : new boolean[] {false, true}) {
            try (Manager manager = TestSupport.builder(tempDir).tls(tls).build()) {
                manager.addWorker(new LocalWorker(1));
                Context<Void, String> ctx = manager.<String>getContext();
                ctx.addTask(s -> runEnv());
                ctx.addTask(s -> String.join("\n", System.getenv().keySet()));
                ctx.addTask(s -> Long.toString(ProcessHandle.current().pid()));
                var results = ctx.getResults().iterator();
                String childEnv = results.next();
                String workerEnvKeys = results.next();
                long pid = Long.parseLong(results.next());
                assertTrue(childEnv.contains("PATH="), "the task's child ran env: " + childEnv);
                assertFalse(childEnv.contains(LaunchSpec.SECRET_ENV), "a task's child process inherits the secret");
                assertFalse(workerEnvKeys.contains(LaunchSpec.SECRET_ENV), "the worker's environment holds the secret");
                String environ = Files.readString(Path.of("/proc/" + pid + "/environ"), StandardCharsets.ISO_8859_1);
                assertTrue(environ.contains("PATH="), "read the worker's environment");
                assertFalse(environ.contains(LaunchSpec.SECRET_ENV), "/proc/" + pid + "/environ holds the secret");
                assertEquals(1, manager.stats().workersConnected(), "tls=" + tls);
            }
        }
    }

    /** Runs {@code env} as a task would start any program, and returns its output. */
    static String runEnv() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("env").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
