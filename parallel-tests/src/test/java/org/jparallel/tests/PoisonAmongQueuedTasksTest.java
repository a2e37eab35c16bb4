package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.ManagerBuilder;
import org.jparallel.TaskAttempt;
import org.jparallel.TaskFailedException;
import org.jparallel.TaskFuture;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task that halts its worker JVM while other tasks wait behind it on the same worker (a prefetch
 * above one, set or automatic): the tasks that never started there are not charged for the crash, so
 * every one of them succeeds, and the poison fails alone with three lost-worker attempts.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoisonAmongQueuedTasksTest {

    @TempDir
    Path tempDir;

    @Test
    void withPrefetchEightEveryInnocentTaskSucceedsAndOnlyTheHaltingOneFailsWithThreeLostAttempts() throws Exception {
        runWithPoison(TestSupport.builder(tempDir).prefetch(8), 2, 200, 0);
    }

    @Test
    void withAutomaticPrefetchAndTwentyMicrosecondTasksEveryInnocentTaskSucceedsAndOnlyTheHaltingOneFails()
            throws Exception {
        // three workers: a replacement starts with one task at a time, so it takes three of the first
        // workers, each holding many tasks, for the tasks behind the poison to be on all three crashes
        runWithPoison(TestSupport.builder(tempDir), 3, 3000, 20);
    }

    /** Runs {@code n} tasks of {@code micros} each on {@code workers} workers; the one in the middle halts its worker. */
    private void runWithPoison(ManagerBuilder builder, int workers, int n, long micros) throws Exception {
        int poison = n / 2;
        try (Manager manager = builder.replaceLostWorkers(8).build()) {
            manager.addWorker(new LocalWorker(workers));
            TestSupport.awaitConnected(manager, workers, Duration.ofSeconds(60));
            Context<Void, Integer> ctx = manager.<Integer>getContext();
            List<TaskFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(ctx.addTask(s -> k == poison ? (int) WorkerSide.haltWorker()
                        : WorkerSide.spinMicrosThenReturn(micros, k)));
            }
            Outcomes<Integer> read = Outcomes.readUnordered(ctx);
            List<Integer> results = read.results();
            List<TaskFailedException> failures = read.failures();
            String failed = failures.stream().map(e -> "task " + e.getTaskId() + ": " + e.getMessage())
                    .collect(Collectors.joining("\n"));
            assertEquals(List.of(futures.get(poison).taskId()),
                    failures.stream().map(TaskFailedException::getTaskId).toList(), "failed:\n" + failed);
            results.sort(null);
            assertEquals(IntStream.range(0, n).filter(k -> k != poison).boxed().toList(), results,
                    "every innocent task's result");
            List<TaskAttempt> attempts = failures.get(0).getAttempts();
            assertEquals(List.of(TaskAttempt.Outcome.WORKER_LOST, TaskAttempt.Outcome.WORKER_LOST,
                    TaskAttempt.Outcome.WORKER_LOST), attempts.stream().map(TaskAttempt::outcome).toList(), failed);
            assertEquals(n - 1, manager.stats().tasksSucceeded(), manager.stats().toString());
            assertEquals(1, manager.stats().tasksFailed(), manager.stats().toString());
        }
    }
}
