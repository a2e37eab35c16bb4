package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.ProgressListener;
import org.jparallel.TaskFailedException;
import org.jparallel.TaskFuture;
import org.jparallel.TaskOptions;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walltimes with real worker JVMs: workers with a short lifetime are drained before their end and
 * replaced, tasks declared longer than any worker lives fail at once, and a worker killed at its end
 * with a task running costs the task no lost attempt.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@Tag("scale")
class WalltimeTest {
    /**
     * Long enough that a worker whose start (from its main to its connection) is slowed by a loaded
     * machine still gets tasks; the drain test runs until drains happened, however long that takes.
     */
    private static final Duration LIFETIME = Duration.ofSeconds(12);
    private static final Duration MARGIN = Duration.ofSeconds(2);

    @TempDir
    Path tempDir;

    /** Records the worker events. */
    static final class Events implements ProgressListener {
        final List<WorkerInfo> lost = new CopyOnWriteArrayList<>();
        final List<WorkerInfo> draining = new CopyOnWriteArrayList<>();
        final List<WorkerInfo> drained = new CopyOnWriteArrayList<>();
        final List<WorkerInfo> joined = new CopyOnWriteArrayList<>();

        @Override
        public void workerJoined(WorkerInfo worker) {
            joined.add(worker);
        }

        @Override
        public void workerLost(WorkerInfo worker) {
            lost.add(worker);
        }

        @Override
        public void workerDraining(WorkerInfo worker) {
            draining.add(worker);
        }

        @Override
        public void workerDrained(WorkerInfo worker) {
            drained.add(worker);
        }
    }

    @Test
    void shortLivedWorkersAreDrainedBeforeTheirEndAndReplacedAndEveryTaskRunsOnce() throws Exception {
        Events events = new Events();
        String runs = tempDir.resolve("runs").toString();
        try (Manager manager = TestSupport.builder(tempDir).workerLifetime(LIFETIME).drainMargin(MARGIN)
                .replaceLostWorkers(100).listener(events).build()) {
            manager.addWorker(new LocalWorker(3));
            Context<Void, Integer> ctx = manager.<Integer>getContext();
            ctx.setDefaultOptions(TaskOptions.none().withExpectedDuration(Duration.ofSeconds(1)));
            // tasks come in rounds until a replacement of the first workers was drained in turn: how many it
            // takes depends on how fast the machine starts workers, not on a count fixed here
            List<TaskFuture<Integer>> tasks = new ArrayList<>();
            while (!aReplacementWasDrained(manager, events)) {
                List<TaskFuture<Integer>> round = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    int k = tasks.size() + round.size();
                    long millis = 300 + (k * 37) % 400;
                    round.add(ctx.addTask(s -> WorkerSide.recordThenSleep(runs, k, millis)));
                }
                for (TaskFuture<Integer> f : round) {
                    try {
                        f.get(60, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        throw new AssertionError("task " + f.taskId() + " did not end in 60 s; " + manager.stats()
                                + "; workers " + TestSupport.describe(manager.workers()), e);
                    }
                }
                tasks.addAll(round);
            }
            List<Integer> results = new ArrayList<>();
            for (TaskFuture<Integer> f : tasks) {
                results.add(f.get());
            }
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < tasks.size(); i++) {
                expected.add(i);
            }
            assertEquals(expected, results, "every result");
            Map<Integer, Integer> runsPerTask = new TreeMap<>();
            for (String line : TestSupport.lines(tempDir.resolve("runs"))) {
                runsPerTask.merge(Integer.parseInt(line.split(" ")[0]), 1, Integer::sum);
            }
            assertEquals(tasks.size(), runsPerTask.size(), "every task ran");
            runsPerTask.forEach((k, n) -> assertEquals(1, n, "task " + k + " ran once: no attempt was lost"));
            assertEquals(List.of(), events.lost, "no worker was lost");
            for (WorkerInfo w : events.joined) {
                assertNotNull(w.endOfLife(), "a worker with a lifetime reports its end: " + w);
                assertTrue(w.remainingLifetime().compareTo(LIFETIME) <= 0, () -> "at most its lifetime left: " + w);
            }
            for (WorkerInfo w : events.drained) {
                assertEquals(WorkerInfo.State.STOPPED, w.state(), "a drained worker is stopped, not lost: " + w);
                assertTrue(events.draining.stream().anyMatch(d -> d.id() == w.id()), "it drained before it left: " + w);
            }
            assertTrue(events.drained.size() >= 2, "the first workers and a replacement were drained: "
                    + TestSupport.describe(manager.workers()));
            System.out.printf("local walltime: %d tasks, %d workers joined, %d drained%n", tasks.size(),
                    events.joined.size(), events.drained.size());
        }
    }

    /** @return whether a worker started after the first three (a replacement) was drained in turn */
    private static boolean aReplacementWasDrained(Manager manager, Events events) {
        int lastOfFirst = manager.workers().stream().mapToInt(WorkerInfo::id).sorted().limit(3).max().orElseThrow();
        return events.drained.stream().anyMatch(w -> w.id() > lastOfFirst);
    }

    @Test
    void aTaskDeclaredLongerThanAnyWorkerCanLiveFailsAtOnceSayingSo() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).workerLifetime(LIFETIME).drainMargin(MARGIN).build()) {
            manager.addWorker(new LocalWorker(1));
            Context<Void, Integer> ctx = manager.<Integer>getContext();
            long before = System.nanoTime();
            TaskFuture<Integer> f = ctx.addTask(s -> 1, TaskOptions.none().withExpectedDuration(Duration.ofSeconds(30)));
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> f.get(5, TimeUnit.SECONDS));
            TaskFailedException failure = assertInstanceOf(TaskFailedException.class, e.getCause());
            String m = failure.getMessage();
            assertTrue(m.contains("expected to run 30 s") && m.contains("longest worker lifetime available is 12 s"), m);
            assertTrue(failure.getAttempts().isEmpty(), "it never ran");
            assertTrue(System.nanoTime() - before < TimeUnit.SECONDS.toNanos(5), "at once");
        }
    }

    @Test
    void aWorkerKilledAtTheEndOfItsLifeWithATaskRunningCostsTheTaskNoLostAttempt() throws Exception {
        String dir = tempDir.toString();
        // one lost attempt allowed: were the kill charged, the task would fail
        try (Manager manager = TestSupport.builder(tempDir).workerLifetime(LIFETIME).drainMargin(MARGIN)
                .maxLostAttempts(1).replaceLostWorkers(4).build()) {
            manager.addWorker(new LocalWorker(1));
            TestSupport.awaitConnected(manager, 1, Duration.ofSeconds(30));
            Context<Void, Long> ctx = manager.<Long>getContext();
            // declared 1 s, it runs 60 s on its first run: past the worker's end
            TaskFuture<Long> f = ctx.addTask(s -> WorkerSide.sleepOnFirstRun(dir, "long", 60_000),
                    TaskOptions.none().withExpectedDuration(Duration.ofSeconds(1)));
            Path starts = tempDir.resolve("long.starts");
            TestSupport.pollUntil(Duration.ofSeconds(20), () -> TestSupport.lines(starts).size() == 1, () -> "never started");
            long victim = Long.parseLong(TestSupport.lines(starts).get(0).split(" ")[0]);
            WorkerInfo w = manager.workers().stream().filter(i -> i.pid() == victim).findFirst().orElseThrow();
            Instant end = w.endOfLife();
            assertNotNull(end, w.toString());
            TestSupport.pollUntil(Duration.ofSeconds(20), () -> Instant.now().isAfter(end), () -> "its end never came");
            TestSupport.kill9(victim); // as a batch scheduler does at the walltime
            long rerun = f.get(40, TimeUnit.SECONDS);
            assertNotEquals(victim, rerun, "the task ran again on another worker");
            assertEquals(2, TestSupport.lines(starts).size(), "it ran twice: " + TestSupport.lines(starts));
        }
    }
}
