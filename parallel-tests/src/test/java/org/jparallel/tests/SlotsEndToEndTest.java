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
