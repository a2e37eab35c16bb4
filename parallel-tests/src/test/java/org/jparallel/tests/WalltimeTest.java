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
import java.util.Collections;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walltimes with real worker JVMs: workers with a short lifetime are drained before their end and
 * replaced, tasks declared longer than any worker lives fail at once, and a worker killed at its end
 * with a task running costs the task no lost attempt.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WalltimeTest {
    private static final Duration LIFETIME = Duration.ofSeconds(8);
    private static final Duration MARGIN = Duration.ofSeconds(2);

    @TempDir
    Path tempDir;

    /** Records the worker events. */
    static final class Events implements ProgressListener {
        final List<WorkerInfo> lost = new CopyOnWriteArrayList<>();
        final List<WorkerInfo> draining = new CopyOnWriteArrayList<>();
        final List<WorkerInfo> drained = new CopyOnWriteArrayList<>();

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
                .replaceLostWorkers(40).listener(events).build()) {
            manager.addWorker(new LocalWorker(3));
            List<WorkerInfo> first = TestSupport.awaitConnected(manager, 3, Duration.ofSeconds(30));
            for (WorkerInfo w : first) {
                if (w.state() == WorkerInfo.State.CONNECTED) {
                    Duration left = w.remainingLifetime();
                    assertNotNull(left, "a worker with a lifetime reports it: " + w);
                    assertTrue(left.compareTo(LIFETIME) <= 0 && left.compareTo(Duration.ZERO) > 0, left::toString);
                }
            }
            Context<Void, Integer> ctx = manager.<Integer>getContext();
            ctx.setDefaultOptions(TaskOptions.none().withExpectedDuration(Duration.ofSeconds(1)));
            for (int i = 0; i < 40; i++) {
                int k = i;
                long millis = 500 + (k * 37) % 500;
                ctx.addTask(s -> WorkerSide.recordThenSleep(runs, k, millis));
            }
            List<Integer> results = new ArrayList<>();
            ctx.getResultsUnordered().forEach(results::add);
            Collections.sort(results);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                expected.add(i);
            }
            assertEquals(expected, results, "every result, once");
            Map<Integer, Integer> runsPerTask = new TreeMap<>();
            for (String line : TestSupport.lines(tempDir.resolve("runs"))) {
                runsPerTask.merge(Integer.parseInt(line.split(" ")[0]), 1, Integer::sum);
            }
            runsPerTask.forEach((k, n) -> assertEquals(1, n, "task " + k + " ran once: no attempt was lost"));
            assertEquals(List.of(), events.lost, "no worker was lost");
            assertTrue(events.drained.size() >= 1, "workers were drained: " + TestSupport.describe(manager.workers()));
            assertTrue(manager.workers().size() > 3, "replacements were started: " + TestSupport.describe(manager.workers()));
            for (WorkerInfo w : events.drained) {
                assertEquals(WorkerInfo.State.STOPPED, w.state(), "a drained worker is stopped, not lost: " + w);
            }
        }
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
            assertTrue(m.contains("expected to run 30 s") && m.contains("longest worker lifetime available is 8 s"), m);
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
