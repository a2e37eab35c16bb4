package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.NoMoreWorkersException;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers killed (kill -9) while they start, before they connect, count as lost for replacement:
 * with a replacement budget the run goes on and completes. A group none of whose workers ever
 * connected is not replaced, so a worker that can never start does not spend the budget in a loop.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WorkersKilledWhileStartingTest {
    private static final String SLOW_JAVA = "slow-java.sh";

    @TempDir
    Path tempDir;

    @Test
    void replacementsKilledBeforeTheyConnectAreReplacedInTurnAndTheRunCompletes() throws Exception {
        // each worker waits 2 s in a shell before it becomes the JVM: a window to kill it while it starts
        String java = slowJava(2);
        try (Manager manager = TestSupport.builder(tempDir).replaceLostWorkers(100_000)
                .startTimeout(Duration.ofSeconds(60)).build()) {
            manager.addWorker(new LocalWorker(2).javaCommand(java));
            List<WorkerInfo> first = TestSupport.awaitConnected(manager, 2, Duration.ofSeconds(60));
            Context<Void, Integer> ctx = manager.<Integer>getContext();
            int n = 40;
            for (int i = 0; i < n; i++) {
                int k = i;
                ctx.addTask(s -> WorkerSide.sleepThenReturn(100, k));
            }
            // both connected workers die; each replacement is killed twice while it starts
            Set<Long> startingKilled = new HashSet<>();
            for (WorkerInfo w : first) {
                TestSupport.kill9(w.pid());
                for (int i = 0; i < 2; i++) {
                    long pid = awaitStartingWorker(startingKilled);
                    TestSupport.kill9(pid);
                    startingKilled.add(pid);
                }
            }
            List<Integer> results = new ArrayList<>();
            Iterator<Integer> it = ctx.getResultsUnordered().iterator();
            while (it.hasNext()) {
                results.add(it.next());
            }
            results.sort(null);
            assertEquals(IntStream.range(0, n).boxed().toList(), results);

            List<WorkerInfo> workers = manager.workers();
            String all = TestSupport.describe(workers);
            assertEquals(2, count(workers, WorkerInfo.State.LOST), all);
            assertEquals(startingKilled.size(), count(workers, WorkerInfo.State.FAILED), all);
            assertEquals(2 + 2 + startingKilled.size(), workers.size(), all);
            TestSupport.pollUntil(Duration.ofSeconds(60), () -> TestSupport.connectedPids(manager).size() == 2,
                    () -> "two replacements connected: " + TestSupport.describe(manager.workers()));
        }
    }

    @Test
    void aWorkerThatCanNeverStartIsNotReplacedDespiteABudgetAndTheErrorSaysWhy() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).replaceLostWorkers(100_000)
                .startTimeout(Duration.ofSeconds(60)).build()) {
            manager.addWorker(new LocalWorker().jvmOptions("-XX:+NoSuchOptionHere"));
            Context<Void, Integer> ctx = manager.<Integer>getContext();
            ctx.addTask(s -> 1);
            NoMoreWorkersException e = assertThrows(NoMoreWorkersException.class, () -> {
                Iterator<Integer> it = ctx.getResultsUnordered().iterator();
                assertTrue(it.hasNext());
                it.next();
            });
            assertTrue(e.getMessage().contains("not replaced: no worker of its group has connected"), e.getMessage());
            List<WorkerInfo> workers = manager.workers();
            assertEquals(1, workers.size(), "no replacement was started: " + TestSupport.describe(workers));
            assertEquals(WorkerInfo.State.FAILED, workers.get(0).state());
        }
    }

    private static long count(List<WorkerInfo> workers, WorkerInfo.State state) {
        return workers.stream().filter(w -> w.state() == state).count();
    }

    /** @return a java command that waits {@code seconds} in a shell, then becomes the real java (same pid) */
    private String slowJava(int seconds) throws IOException {
        Path script = tempDir.resolve(SLOW_JAVA);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(script, "#!/bin/sh\nsleep " + seconds + "\nexec '" + java + "' \"$@\"\n",
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script.toString();
    }

    /**
     * @return the pid of a worker still in its start-up wait (a child of this JVM still running the
     *     script), other than those already killed (one may not have died yet)
     */
    private static long awaitStartingWorker(Set<Long> killed) {
        long[] pid = {-1};
        TestSupport.pollUntil(Duration.ofSeconds(30), () -> {
            pid[0] = ProcessHandle.current().children()
                    .filter(p -> p.info().commandLine().map(c -> c.contains(SLOW_JAVA)).orElse(false))
                    .filter(p -> !killed.contains(p.pid()) && TestSupport.isRunning(p.pid()))
                    .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
            return pid[0] > 0;
        }, () -> "no worker is starting");
        return pid[0];
    }
}
