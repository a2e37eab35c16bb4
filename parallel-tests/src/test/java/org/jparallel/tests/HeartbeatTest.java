package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.TaskFuture;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hung worker (SIGSTOP: its connection stays open, it just goes silent) is found by the missing
 * heartbeats, its task runs elsewhere, and its process is killed so it cannot go on running it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HeartbeatTest {

    @TempDir
    Path tempDir;

    @Test
    void sigstoppedWorkerIsPresumedDeadAfterHeartbeatTimeoutItsTaskResultArrivesAndItsProcessIsKilled()
            throws Exception {
        long stoppedPid = -1;
        try (Manager manager = TestSupport.builder(tempDir).heartbeatTimeout(Duration.ofSeconds(2)).build()) {
            manager.addWorker(new LocalWorker(3));
            TestSupport.awaitConnected(manager, 3, Duration.ofSeconds(60));
            Context<Void, Long> ctx = manager.<Long>getContext();
            String dir = tempDir.toString();
            // first run: records its pid, then sleeps 20 s; the re-run elsewhere returns at once
            TaskFuture<Long> hung = ctx.addTask(s -> WorkerSide.sleepOnFirstRun(dir, "hung", 20_000));
            Path starts = tempDir.resolve("hung.starts");
            TestSupport.pollUntil(Duration.ofSeconds(30), () -> !TestSupport.lines(starts).isEmpty(),
                    () -> "the task never started");
            stoppedPid = Long.parseLong(TestSupport.lines(starts).get(0).split(" ")[0]);
            assertTrue(TestSupport.connectedPids(manager).contains(stoppedPid),
                    stoppedPid + " vs " + TestSupport.describe(manager.workers()));

            TestSupport.signal("STOP", stoppedPid);
            long stoppedAt = System.nanoTime();
            // the other two workers keep working meanwhile
            List<TaskFuture<Long>> others = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                others.add(ctx.addTask(s -> WorkerSide.sleepThenReturn(50, WorkerSide.pid())));
            }

            long rerunPid = hung.get(30, TimeUnit.SECONDS);
            long resultMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
            System.out.println("HeartbeatTest: the hung task's result arrived " + resultMs
                    + " ms after SIGSTOP (heartbeat timeout 2000 ms)");
            assertNotEquals(stoppedPid, rerunPid, "the result came from the stopped worker");
            assertTrue(resultMs < 15_000, "result took " + resultMs + " ms; the first run sleeps 20 s");
            assertEquals(2, TestSupport.lines(starts).size(), "starts: " + TestSupport.lines(starts));
            for (TaskFuture<Long> f : others) {
                assertNotEquals(stoppedPid, f.get(30, TimeUnit.SECONDS));
            }

            long pid = stoppedPid;
            WorkerInfo stopped = manager.workers().stream().filter(w -> w.pid() == pid).findFirst().orElseThrow();
            assertEquals(WorkerInfo.State.LOST, stopped.state(), TestSupport.describe(manager.workers()));
            assertTrue(stopped.detail().contains("heartbeat"), "detail of the lost worker: " + stopped.detail());
            // the manager kills it through its backend handle: gone even though SIGSTOP holds SIGTERM back
            TestSupport.awaitGone(stoppedPid, Duration.ofSeconds(15), "the SIGSTOPped worker");
            // the other two stay; the lost one was replaced (by default), its replacement connected or still starting
            assertEquals(4, manager.workers().size(), TestSupport.describe(manager.workers()));
            assertTrue(TestSupport.connectedPids(manager).size() >= 2, TestSupport.describe(manager.workers()));
            assertFalse(TestSupport.connectedPids(manager).contains(stoppedPid), TestSupport.describe(manager.workers()));
            for (Long r : ctx.getResultsUnordered()) {
                assertNotEquals(stoppedPid, r);
            }
        } finally {
            if (stoppedPid > 0) {
                TestSupport.kill9(stoppedPid); // never leave a stopped process behind, whatever failed
            }
        }
    }

    @Test
    void workerBusyWithACpuBoundTaskThreeTimesLongerThanTheHeartbeatTimeoutIsNotPresumedDead() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).heartbeatTimeout(Duration.ofSeconds(2)).build()) {
            manager.addWorker(new LocalWorker());
            long pid = TestSupport.awaitConnected(manager, 1, Duration.ofSeconds(60)).get(0).pid();
            Context<Void, Long> ctx = manager.<Long>getContext();
            String runs = tempDir.resolve("runs.txt").toString();
            // the task thread never yields for 6 s; heartbeats come from the worker's network thread
            TaskFuture<Long> busy = ctx.addTask(s -> {
                WorkerSide.appendLine(runs, Long.toString(WorkerSide.pid()));
                WorkerSide.spinIgnoringInterrupts(6_000);
                return WorkerSide.pid();
            });
            assertEquals(pid, busy.get(60, TimeUnit.SECONDS));
            assertEquals(List.of(Long.toString(pid)), TestSupport.lines(Path.of(runs)), "the task ran once");
            List<WorkerInfo> workers = manager.workers();
            assertEquals(1, workers.size(), TestSupport.describe(workers));
            assertEquals(WorkerInfo.State.CONNECTED, workers.get(0).state(), workers.get(0).detail());
            assertEquals(0, manager.stats().tasksFailed(), manager.stats().toString());
        }
    }
}
