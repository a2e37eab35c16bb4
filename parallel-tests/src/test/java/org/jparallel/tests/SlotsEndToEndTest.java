package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers with several task slots, with real worker JVMs: one setup run shared by tasks that run at
 * once, never more at once than the slots, and the failover of every task a killed multi-slot worker ran.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SlotsEndToEndTest {

    @TempDir
    Path tempDir;

    @Test
    void fourSlotsRun400TasksWithOneSetupRunAndTasksOverlapInTimeButNeverMoreThanFourAtOnce() {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(1).slots(4));
            List<WorkerInfo> connected = TestSupport.awaitConnected(manager, 1, Duration.ofSeconds(60));
            assertEquals(4, connected.get(0).slots(), "the worker reports its slots");
            Context<String, String> ctx = manager.getContext(() -> WorkerSide.countSetup("slots"));
            for (int i = 0; i < 400; i++) {
                ctx.addTask(s -> s + "|" + WorkerSide.timedSleep(5));
            }
            List<long[]> intervals = new ArrayList<>();
            for (String r : ctx.getResultsUnordered()) {
                String[] parts = r.split("\\|");
                assertTrue(parts[0].endsWith(":1"), "every task saw the one setup run of its worker: " + r);
                String[] times = parts[1].split(":");
                intervals.add(new long[] {Long.parseLong(times[0]), Long.parseLong(times[1])});
            }
            assertEquals(400, intervals.size());
            int most = mostAtOnce(intervals);
            assertTrue(most > 1, "tasks overlapped in time");
            assertTrue(most <= 4, "never more tasks at once than slots: " + most);
            assertEquals(1, manager.stats().setupsSent(), "the setup went to the worker once");
        }
    }

    @Test
    void killingAFourSlotWorkerRunningFourTasksRunsAllFourElsewhereEachResultOnce() throws Exception {
        Path started = tempDir.resolve("started");
        Path release = tempDir.resolve("release");
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(1).slots(4));
            long first = TestSupport.awaitConnected(manager, 1, Duration.ofSeconds(60)).get(0).pid();
            Context<Void, Long> ctx = manager.getContext();
            String s = started.toString();
            String r = release.toString();
            for (int i = 0; i < 4; i++) {
                ctx.addTask(x -> WorkerSide.startThenAwaitRelease(s, r, 60_000));
            }
            TestSupport.pollUntil(Duration.ofSeconds(60), () -> TestSupport.lines(started).size() == 4,
                    () -> "4 tasks running at once on the 4-slot worker: " + TestSupport.lines(started));
            manager.addWorker(new LocalWorker(1).slots(4));
            TestSupport.awaitConnected(manager, 2, Duration.ofSeconds(60));
            TestSupport.kill9(first);
            Files.writeString(release, "go");
            List<Long> results = new ArrayList<>();
            for (Long pid : ctx.getResultsUnordered()) {
                results.add(pid);
            }
            assertEquals(4, results.size(), "each result once: " + results);
            assertTrue(results.stream().noneMatch(p -> p == first), "all four ran elsewhere: " + results);
            assertEquals(4, TestSupport.lines(started).stream().filter(l -> l.equals(Long.toString(first))).count());
        }
    }

    @Test
    void theManagersWorkerSlotsReachAWorkerWhoseGroupSetsNone() {
        try (Manager manager = TestSupport.builder(tempDir).workerSlots("3").build()) {
            manager.addWorker(new LocalWorker(1));
            assertEquals(3, TestSupport.awaitConnected(manager, 1, Duration.ofSeconds(60)).get(0).slots());
        }
    }

    @Test
    void aTwoCpuTaskOnFourSlotWorkersNeverSharesItsWorkerWithMoreThanTwoOtherSlotsWork() {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(2).slots(4));
            TestSupport.awaitConnected(manager, 2, Duration.ofSeconds(60));
            Context<Void, String> ctx = manager.getContext();
            for (int i = 0; i < 60; i++) {
                if (i % 6 == 0) {
                    ctx.addTask(s -> WorkerSide.pid() + "|2|" + WorkerSide.timedSleep(100),
                            org.jparallel.TaskOptions.none().withCpus(2));
                } else {
                    ctx.addTask(s -> WorkerSide.pid() + "|1|" + WorkerSide.timedSleep(20));
                }
            }
            List<String[]> runs = new ArrayList<>();
            for (String r : ctx.getResultsUnordered()) {
                runs.add(r.split("[|:]"));
            }
            assertEquals(60, runs.size());
            int twoCpu = 0;
            for (String[] big : runs) {
                if (!big[1].equals("2")) {
                    continue;
                }
                twoCpu++;
                long start = Long.parseLong(big[2]);
                long end = Long.parseLong(big[3]);
                List<long[]> beside = new ArrayList<>();
                for (String[] o : runs) {
                    if (o != big && o[0].equals(big[0]) && Long.parseLong(o[2]) < end && start < Long.parseLong(o[3])) {
                        beside.add(new long[] {Math.max(start, Long.parseLong(o[2])), Math.min(end, Long.parseLong(o[3]))});
                    }
                }
                assertTrue(mostAtOnce(beside) <= 2, "a 2-cpu task shared its 4-slot worker with " + mostAtOnce(beside)
                        + " other tasks at once");
            }
            assertEquals(10, twoCpu);
        }
    }

    @Test
    void aTaskAskingForMoreCpusThanAnyWorkerHasFailsAtOnceSayingSo() {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(1).slots(2));
            Context<Void, Long> ctx = manager.getContext();
            org.jparallel.TaskFuture<Long> f = ctx.addTask(s -> WorkerSide.pid(), org.jparallel.TaskOptions.none().withCpus(3));
            java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("asks for 3 cpus")
                    && e.getCause().getMessage().contains("the most task slots of a worker is 2"), e.getCause().getMessage());
        }
    }

    @Test
    void aTimedOutTaskFreesItsSlotAndOneIgnoringItsInterruptGetsItsWorkerStoppedAndReplaced() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).replaceLostWorkers(1).build()) {
            manager.addWorker(new LocalWorker(1).slots(2));
            long first = TestSupport.awaitConnected(manager, 1, Duration.ofSeconds(60)).get(0).pid();
            Context<Void, Long> ctx = manager.getContext();
            org.jparallel.TaskFuture<Long> polite = ctx.addTask(s -> WorkerSide.sleepThenReturn(60_000, 0L),
                    Duration.ofSeconds(1));
            org.jparallel.TaskFuture<Long> others = ctx.addTask(s -> WorkerSide.sleepThenReturn(2_500, WorkerSide.pid()));
            org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> polite.get(30, TimeUnit.SECONDS), "the sleeping task timed out");
            org.jparallel.TaskFuture<Long> inFreedSlot = ctx.addTask(s -> WorkerSide.pid());
            assertEquals(first, inFreedSlot.get(30, TimeUnit.SECONDS), "its slot was freed: the same worker runs the next");
            assertEquals(first, others.get(30, TimeUnit.SECONDS));

            org.jparallel.TaskFuture<Long> stubborn = ctx.addTask(s -> WorkerSide.spinIgnoringInterrupts(60_000),
                    Duration.ofSeconds(1));
            org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> stubborn.get(30, TimeUnit.SECONDS));
            TestSupport.awaitGone(first, Duration.ofSeconds(30), "the worker whose slot ignored its interrupt");
            TestSupport.pollUntil(Duration.ofSeconds(60), () -> manager.workers().stream().anyMatch(
                    w -> w.state() == WorkerInfo.State.CONNECTED && w.pid() != first),
                    () -> "a replacement connected: " + manager.workers());
            assertTrue(ctx.addTask(s -> WorkerSide.pid()).get(30, TimeUnit.SECONDS) != first);
        }
    }

    /** @return the most intervals that overlap at one instant */
    static int mostAtOnce(List<long[]> intervals) {
        List<long[]> events = new ArrayList<>();
        for (long[] i : intervals) {
            events.add(new long[] {i[0], 1});
            events.add(new long[] {i[1], -1});
        }
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int now = 0;
        int most = 0;
        for (long[] e : events) {
            now += (int) e[1];
            most = Math.max(most, now);
        }
        return most;
    }
}
