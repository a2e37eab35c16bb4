package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No orphans: when the manager's JVM dies without a goodbye (kill -9: no shutdown hook) or hangs
 * (SIGSTOP: its connections stay open but silent), its workers exit by themselves, at the latest
 * after their death timeout; at once when it died and had no journal (nothing can resume it). That a journaled
 * manager's workers wait for its restart: {@link JournalReconnectTest}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ManagerKillTest {

    @TempDir
    Path tempDir;

    @Test
    void managerKilledWithSigkillMidRunLeavesNoWorkerAliveAfterTheDeathTimeout() throws Exception {
        Process child = startManagerChild();
        List<Long> workerPids = new ArrayList<>();
        try {
            workerPids.addAll(awaitWorkerPids(child));
            long killedAt = System.nanoTime();
            child.destroyForcibly();
            assertTrue(child.waitFor(10, TimeUnit.SECONDS), "the manager JVM survived SIGKILL");
            long deathTimeoutMs = ManagerKillChild.DEATH_TIMEOUT.toMillis();
            // within the death timeout, plus a little for a JVM to exit
            awaitWorkersGone(workerPids, Duration.ofMillis(deathTimeoutMs + 2_000));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            System.out.println("ManagerKillTest: both workers gone " + ms + " ms after kill -9 of the manager"
                    + " (death timeout " + deathTimeoutMs + " ms)");
            String outputs = TestSupport.workerOutputs(tempDir);
            assertTrue(outputs.contains("session ended"), "the workers did not log the end of their session:" + outputs);
        } finally {
            child.destroyForcibly();
            workerPids.forEach(TestSupport::kill9);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plain", "tls"}) // the blocking transport's workers, and Netty's
    void workersOfAManagerWithoutAJournalKilledWithSigkillExitAtOnceNotAfterTheDeathTimeout(String transport)
            throws Exception {
        // the default death timeout: a worker that waited it out would outlive the deadline below threefold
        Duration deathTimeout = Duration.ofSeconds(60);
        Process child = startManagerChild(Long.toString(deathTimeout.toSeconds()), transport);
        List<Long> workerPids = new ArrayList<>();
        try {
            workerPids.addAll(awaitWorkerPids(child));
            List<ProcessHandle> workers = workerPids.stream().map(ProcessHandle::of).map(Optional::orElseThrow)
                    .collect(Collectors.toList());
            long killedAt = System.nanoTime();
            child.destroyForcibly();
            assertTrue(child.waitFor(10, TimeUnit.SECONDS), "the manager JVM survived SIGKILL");
            CompletableFuture<?> allGone = CompletableFuture.allOf(workers.stream().map(ProcessHandle::onExit)
                    .toArray(CompletableFuture[]::new));
            try {
                allGone.get(20, TimeUnit.SECONDS); // well under the death timeout
            } catch (TimeoutException e) {
                fail("workers still running 20 s after the kill of their manager, which had no journal: "
                        + workers.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                        .collect(Collectors.toList()) + TestSupport.workerOutputs(tempDir));
            }
            System.out.println("ManagerKillTest (" + transport + "): the workers of a manager without a journal gone "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt) + " ms after kill -9 (death timeout "
                    + deathTimeout.toMillis() + " ms)");
            String outputs = TestSupport.workerOutputs(tempDir);
            assertTrue(outputs.contains("is gone and had no journal: nothing to resume; exiting"),
                    "the workers did not say why they left:" + outputs);
        } finally {
            child.destroyForcibly();
            workerPids.forEach(TestSupport::kill9);
        }
    }

    @Test
    void managerFrozenWithSigstopIsPresumedGoneAndItsWorkersExitAfterTheirDeathTimeout() throws Exception {
        Process child = startManagerChild();
        List<Long> workerPids = new ArrayList<>();
        try {
            workerPids.addAll(awaitWorkerPids(child));
            TestSupport.signal("STOP", child.pid());
            long stoppedAt = System.nanoTime();
            long deathTimeoutMs = ManagerKillChild.DEATH_TIMEOUT.toMillis();
            // the connections stay open: only the silence tells the workers, after the death timeout
            awaitWorkersGone(workerPids, Duration.ofMillis(deathTimeoutMs + 3_000));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
            System.out.println("ManagerKillTest: both workers gone " + ms + " ms after SIGSTOP of the manager"
                    + " (death timeout " + deathTimeoutMs + " ms)");
            String outputs = TestSupport.workerOutputs(tempDir);
            assertTrue(outputs.contains("presuming it gone"), "the workers did not say why they left:" + outputs);
        } finally {
            child.destroyForcibly(); // SIGKILL ends a stopped process too
            workerPids.forEach(TestSupport::kill9);
        }
    }

    /** @param more {@link ManagerKillChild}'s arguments after the directory */
    private Process startManagerChild(String... more) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                ManagerKillChild.class.getName(), tempDir.toString()));
        command.addAll(List.of(more));
        Process child = new ProcessBuilder(command)
                .redirectError(tempDir.resolve("manager.stderr").toFile())
                .start();
        child.getOutputStream().close();
        return child;
    }

    /** Reads the child's {@code WORKER_PIDS} line and checks both workers run a task, as its children. */
    private List<Long> awaitWorkerPids(Process child) throws Exception {
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the child was killed
            }
        }, "manager-child-stdout");
        reader.setDaemon(true);
        reader.start();

        String pidsLine = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (pidsLine == null) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.startsWith("ERROR")) {
                fail("the manager child did not report its workers: " + line + "; alive " + child.isAlive()
                        + "\nits stderr:\n" + Files.readString(tempDir.resolve("manager.stderr"))
                        + TestSupport.workerOutputs(tempDir));
            }
            if (line.startsWith(ManagerKillChild.PIDS_LINE + " ")) {
                pidsLine = line;
            }
        }
        List<Long> pids = Arrays.stream(pidsLine.substring(ManagerKillChild.PIDS_LINE.length()).trim().split(" "))
                .map(Long::parseLong).collect(Collectors.toList());
        assertEquals(2, pids.size(), pidsLine);
        for (long pid : pids) {
            assertTrue(TestSupport.isRunning(pid), "worker " + pid + " is not running");
            assertEquals(child.pid(), ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid)
                    .orElse(-1L), "worker " + pid + " is not a child of the manager JVM");
        }
        List<String> started = TestSupport.lines(tempDir.resolve("started.txt"));
        assertEquals(pids.stream().map(String::valueOf).sorted().collect(Collectors.toList()),
                started.stream().sorted().collect(Collectors.toList()), "both workers run a long task");
        return pids;
    }

    private static void awaitWorkersGone(List<Long> pids, Duration timeout) {
        TestSupport.pollUntil(timeout, () -> pids.stream().noneMatch(TestSupport::isRunning),
                () -> "workers still running: " + pids.stream().filter(TestSupport::isRunning).collect(Collectors.toList()));
    }
}
