package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.WorkerStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One of the manager's own workers that was still starting when the manager began to close (a later start
 * wave, say) and connects while it closes is turned away, as it must be, but without a warning in the manager's
 * log: that is a normal close, logged at debug. (A stranger turned away then is still warned about:
 * ManagerHandshakeTest.) The manager runs in a JVM of its own ({@link #main}), its log to a file: in this JVM
 * parallel-core's test resources (simplelogger.properties, on the classpath) keep the handshake's logger at ERROR.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LateWorkerAtCloseTest {
    private static final String HANDSHAKE_LOGGER = "org.jparallel.core.manager.ManagerHandshakeHandler";

    @TempDir
    Path tempDir;

    /**
     * A local worker whose JVM waits in a shell until the manager stops it (which the manager does only at its
     * close, after it shut its dispatcher down): the stop lets the JVM start and connect, and returns once the
     * worker, turned away, has exited by itself.
     */
    private static final class StartsAtClose implements WorkerGroup {
        private final Path gate;
        private final LocalWorker local;
        /** Counted down when the manager first asks the worker's status: it holds the handle and watches it. */
        final CountDownLatch watched = new CountDownLatch(1);

        StartsAtClose(Path dir) throws IOException {
            gate = dir.resolve("gate");
            Path script = dir.resolve("java-at-close.sh");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Files.writeString(script, "#!/bin/sh\nwhile [ ! -e '" + gate + "' ]; do sleep 0.05; done\nexec '" + java
                    + "' \"$@\"\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            local = new LocalWorker().javaCommand(script.toString());
        }

        @Override
        public int size() {
            return 1;
        }

        @Override
        public String backendName() {
            return "local";
        }

        @Override
        public boolean runsOnManagerHost() {
            return true;
        }

        @Override
        public List<WorkerHandle> start(LaunchSpec spec) {
            return local.start(spec).stream().map(h -> (WorkerHandle) new OpensAtStop(h, gate, watched)).toList();
        }
    }

    /** A worker's handle whose stop lets the worker start, then waits for it to exit by itself. */
    private record OpensAtStop(WorkerHandle h, Path gate, CountDownLatch watched) implements WorkerHandle {
        @Override
        public int workerId() {
            return h.workerId();
        }

        @Override
        public String description() {
            return h.description();
        }

        @Override
        public WorkerStatus status() {
            watched.countDown();
            return h.status();
        }

        @Override
        public String outputTail(int maxLines) {
            return h.outputTail(maxLines);
        }

        @Override
        public String logLocation() {
            return h.logLocation();
        }

        @Override
        public void stop() {
            try {
                Files.writeString(gate, "go");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(12); // the manager waits 15 s
                while (!h.status().isTerminal() && System.nanoTime() < deadline) {
                    Thread.sleep(20); // a process's exit, polled as the manager's retire does
                }
            } catch (IOException e) {
                throw new IllegalStateException("could not open " + gate, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                h.stop();
            }
        }
    }

    /**
     * The manager's JVM: starts the worker of {@link StartsAtClose}, closes once the manager watches it, and
     * exits (with code 1, saying why on standard error, when the worker was not starting then).
     *
     * @param args the directory for the worker's output and its gate
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        try (Manager manager = TestSupport.builder(dir).build()) {
            StartsAtClose group = new StartsAtClose(dir);
            manager.addWorker(group);
            if (!group.watched.await(30, TimeUnit.SECONDS)
                    || manager.workers().get(0).state() != WorkerInfo.State.STARTING) {
                System.err.println("the worker was not starting: " + TestSupport.describe(manager.workers()));
                System.exit(1);
            }
        } // the close shuts the dispatcher down, then stops the worker: which lets it start and connect
    }

    @Test
    void aStartingWorkerThatConnectsWhileTheManagerClosesIsTurnedAwayWithoutAWarning() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stderr = tempDir.resolve("manager.stderr");
        Process manager = new ProcessBuilder(java, "-Dorg.slf4j.simpleLogger.log." + HANDSHAKE_LOGGER + "=debug",
                "-cp", System.getProperty("java.class.path"), LateWorkerAtCloseTest.class.getName(), tempDir.toString())
                .redirectOutput(tempDir.resolve("manager.stdout").toFile()).redirectError(stderr.toFile()).start();
        manager.getOutputStream().close();
        assertTrue(manager.waitFor(90, TimeUnit.SECONDS), "the manager's JVM did not end");
        String log = Files.readString(stderr, StandardCharsets.UTF_8);
        assertEquals(0, manager.exitValue(), log);
        String worker = TestSupport.workerOutputs(tempDir);
        assertTrue(worker.contains("the manager refused this worker: the manager is shutting down"),
                "the worker connected while the manager closed and was turned away: " + worker + "\n" + log);
        assertTrue(log.lines().anyMatch(l -> l.contains(" DEBUG " + HANDSHAKE_LOGGER + " - rejected a connection")
                && l.contains("connected late")), "the manager said so at debug:\n" + log);
        assertEquals(List.of(), log.lines().filter(l -> l.contains(" WARN ")).toList(), "and warned about nothing");
    }
}
