package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.NoMoreWorkersException;
import org.jparallel.TaskAttempt;
import org.jparallel.TaskFailedException;
import org.jparallel.TaskFuture;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A poison task that kills every worker it runs on fails alone once its lost-worker budget (3) is
 * spent; with the default settings (lost workers replaced) it does not take the other tasks, or all
 * workers, down with it. Without replacements it takes the workers, and the error says which task did.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PoisonTaskTest {
    private static final int POISON = 42;

    @TempDir
    Path tempDir;

    @Test
    void withDefaultsATaskCallingRuntimeHaltFailsAloneAfterThreeWorkerLostAttemptsAndTheOther99Succeed() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(2));
            TestSupport.awaitConnected(manager, 2, Duration.ofSeconds(60));
            Context<Void, Integer> ctx = manager.<Integer>getContext();
            List<TaskFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int k = i;
                futures.add(ctx.addTask(s -> k == POISON ? (int) WorkerSide.haltWorker()
                        : WorkerSide.sleepThenReturn(10, k)));
            }
            Outcomes<Integer> read = Outcomes.readUnordered(ctx);
            List<Integer> results = read.results();
            List<TaskFailedException> failures = read.failures();
            results.sort(null);
            List<Integer> expected = IntStream.range(0, 100).filter(k -> k != POISON).boxed().collect(Collectors.toList());
            assertEquals(expected, results, "the other 99 results");
            assertEquals(1, failures.size(), "failures: " + failures);

            TaskFailedException tfe = failures.get(0);
            assertEquals(futures.get(POISON).taskId(), tfe.getTaskId(), tfe.getMessage());
            List<TaskAttempt> attempts = tfe.getAttempts();
            assertEquals(3, attempts.size(), tfe.getMessage());
            for (TaskAttempt a : attempts) {
                assertEquals(TaskAttempt.Outcome.WORKER_LOST, a.outcome(), tfe.getMessage());
                assertNull(a.cause(), "a lost worker has no remote exception: " + a);
                assertNotNull(a.logFile(), "attempt names no log file: " + a);
                assertTrue(a.worker() != null && !a.worker().isBlank(), "attempt names no worker: " + a);
            }
            assertEquals(3, attempts.stream().map(TaskAttempt::worker).distinct().count(),
                    "three attempts on three different workers: " + tfe.getMessage());
            assertTrue(tfe.getMessage().contains("attempt 3"), tfe.getMessage());
            try {
                futures.get(POISON).get(5, TimeUnit.SECONDS);
                fail("the poison task's future returned a value");
            } catch (ExecutionException e) {
                assertInstanceOf(TaskFailedException.class, e.getCause());
            }

            // three workers died (one per attempt) and were replaced; the manager is still fully staffed
            assertEquals(99, manager.stats().tasksSucceeded(), manager.stats().toString());
            assertEquals(1, manager.stats().tasksFailed(), manager.stats().toString());
            List<WorkerInfo> workers = manager.workers();
            assertEquals(3, workers.stream().filter(w -> w.state() == WorkerInfo.State.LOST).count(),
                    TestSupport.describe(workers));
            TestSupport.pollUntil(Duration.ofSeconds(60), () -> TestSupport.connectedPids(manager).size() == 2,
                    () -> "two replacements connected: " + TestSupport.describe(manager.workers()));
            assertEquals(5, manager.workers().size(), TestSupport.describe(manager.workers()));
        }
    }

    @Test
    void withDefaultsATaskCallingSystemExitAmong2000FailsAloneAndEveryOtherResultArrives() throws Exception {
        int poison = 1000;
        try (Manager manager = TestSupport.builder(tempDir).build()) { // the new user's laptop: defaults
            manager.addWorker(new LocalWorker(2));
            Context<Void, Integer> ctx = manager.<Integer>getContext();
            List<TaskFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                int k = i;
                futures.add(ctx.addTask(s -> k == poison ? (int) WorkerSide.exitWorker(3) : k));
            }
            Outcomes<Integer> read = Outcomes.readUnordered(ctx);
            List<Integer> results = read.results();
            results.sort(null);
            assertEquals(IntStream.range(0, 2000).filter(k -> k != poison).boxed().collect(Collectors.toList()), results,
                    "the other 1,999 results");
            assertEquals(1, read.failures().size(), "failures: " + read.failures());
            TaskFailedException tfe = read.failures().get(0);
            assertEquals(futures.get(poison).taskId(), tfe.getTaskId(), tfe.getMessage());
            assertTrue(tfe.getMessage().contains("its worker was lost 3 time(s) while running it (the limit)"), tfe.getMessage());
            assertEquals(1999, manager.stats().tasksSucceeded(), manager.stats().toString());
        }
    }

    @Test
    void withDefaultsOneWorkerOutlivesTwoPoisonTasksInSequenceBecauseTheInnocentAnswersBetweenThemResetTheGuard()
            throws Exception {
        // one worker: the guard's limit is 3 losses in a row and each poison task takes 3 workers, so the second one
        // is replaced only because the replacement's answers to the innocent tasks in between start the count again
        int first = 100;
        int second = 200;
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(1));
            Context<Void, Integer> ctx = manager.<Integer>getContext();
            List<TaskFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                int k = i;
                futures.add(ctx.addTask(s -> k == first || k == second ? (int) WorkerSide.exitWorker(3) : k));
            }
            Outcomes<Integer> read = Outcomes.readUnordered(ctx);
            List<Integer> results = read.results();
            results.sort(null);
            assertEquals(IntStream.range(0, 300).filter(k -> k != first && k != second).boxed()
                    .collect(Collectors.toList()), results, "the other 298 results");
            List<Long> failed = read.failures().stream().map(TaskFailedException::getTaskId).sorted().toList();
            assertEquals(List.of(futures.get(first).taskId(), futures.get(second).taskId()), failed,
                    "failures: " + read.failures());
            for (TaskFailedException tfe : read.failures()) {
                assertTrue(tfe.getMessage().contains("its worker was lost 3 time(s) while running it (the limit)"),
                        tfe.getMessage());
            }
            long lost = manager.workers().stream().filter(w -> w.state() == WorkerInfo.State.LOST).count();
            assertTrue(lost >= 6, "each poison task took at least three workers (a first loss with prefetched tasks "
                    + "is not charged to it): " + TestSupport.describe(manager.workers()));
        }
    }

    @Test
    void withoutReplacementsAPoisonTaskTakesTheWorkersAndTheExceptionNamesItAndWhatToDo() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).replaceLostWorkers(0).build()) {
            manager.addWorker(new LocalWorker(2));
            TestSupport.awaitConnected(manager, 2, Duration.ofSeconds(60));
            Context<Void, Integer> ctx = manager.<Integer>getContext();
            List<TaskFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int k = i;
                futures.add(ctx.addTask(s -> k == POISON ? (int) WorkerSide.haltWorker()
                        : WorkerSide.sleepThenReturn(10, k)));
            }
            int read = 0;
            NoMoreWorkersException none = null;
            Iterator<Integer> it = ctx.getResultsUnordered().iterator();
            try {
                while (it.hasNext()) {
                    it.next();
                    read++;
                }
            } catch (NoMoreWorkersException e) {
                none = e;
            }
            assertNotNull(none, "2 workers, no replacements: the poison task takes both (read " + read + ")");
            String m = none.getMessage();
            assertTrue(m.contains("while it held only task " + futures.get(POISON).taskId()), m);
            assertTrue(m.contains("replaceLostWorkers"), m);
            assertEquals(read, manager.stats().tasksSucceeded(), "every result that came was read: " + m);
        }
    }
}
