package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.TaskAttempt;
import org.jparallel.TaskFailedException;
import org.jparallel.TaskFuture;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Per-task timeouts: a task over its limit is stopped and reported as timed out; the tasks after it run. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TaskTimeoutTest {

    @TempDir
    Path tempDir;

    @Test
    void sixtySecondSleepWithOneSecondTimeoutIsReportedTimedOutPromptlyAndTheSameWorkerRunsTheTasksAfterIt()
            throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker());
            long pid = TestSupport.awaitConnected(manager, 1, Duration.ofSeconds(60)).get(0).pid();
            Context<Void, Long> ctx = manager.<Long>getContext();
            Path interrupted = tempDir.resolve("interrupted.txt");
            String interruptedFile = interrupted.toString();
            long start = System.nanoTime();
            TaskFuture<Long> slow = ctx.addTask(s -> WorkerSide.sleepRecordingInterrupt(60_000, interruptedFile),
                    Duration.ofSeconds(1));
            List<TaskFuture<Long>> after = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                after.add(ctx.addTask(s -> WorkerSide.pid()));
            }

            List<Long> pids = new ArrayList<>();
            List<TaskFailedException> failures = new ArrayList<>();
            long failedAfterMs = -1;
            Iterator<Long> it = ctx.getResultsUnordered().iterator();
            while (it.hasNext()) {
                try {
                    pids.add(it.next());
                } catch (TaskFailedException e) {
                    failedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    failures.add(e);
                }
            }
            System.out.println("TaskTimeoutTest: the 60 s task was reported timed out after " + failedAfterMs + " ms");
            assertEquals(1, failures.size(), "failures: " + failures);
            TaskFailedException tfe = failures.get(0);
            assertEquals(slow.taskId(), tfe.getTaskId(), tfe.getMessage());
            List<TaskAttempt> attempts = tfe.getAttempts();
            assertEquals(TaskAttempt.Outcome.TIMED_OUT, attempts.get(attempts.size() - 1).outcome(), tfe.getMessage());
            assertEquals(1, attempts.size(), "a timed-out task is not run again: " + tfe.getMessage());
            assertTrue(failedAfterMs < 15_000, "reported after " + failedAfterMs + " ms for a 1 s timeout");

            // the tasks after it ran, on the same worker process: the sleep was interrupted, the JVM lives on
            assertEquals(List.of(pid, pid, pid, pid, pid), pids, "pids of the tasks after the timed-out one");
            for (TaskFuture<Long> f : after) {
                assertEquals(pid, f.get(5, TimeUnit.SECONDS));
            }
            TestSupport.pollUntil(Duration.ofSeconds(10), () -> !TestSupport.lines(interrupted).isEmpty(),
                    () -> "the timed-out task never saw its interrupt");
            assertEquals(List.of(Long.toString(pid)), TestSupport.lines(interrupted));
            List<WorkerInfo> workers = manager.workers();
            assertEquals(1, workers.size(), TestSupport.describe(workers));
            assertEquals(WorkerInfo.State.CONNECTED, workers.get(0).state(), TestSupport.describe(workers));
            assertEquals(pid, workers.get(0).pid());
            assertTrue(TestSupport.isRunning(pid));
            assertEquals(1, manager.stats().tasksFailed(), manager.stats().toString());
            assertEquals(5, manager.stats().tasksSucceeded(), manager.stats().toString());
        }
    }

    @Test
    void tasksWithAShortLimitQueuedBehindALongTaskOnTheSameWorkerDoNotTimeOutBeforeTheyRun() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).prefetch(4).build()) {
            manager.addWorker(new LocalWorker());
            long pid = TestSupport.awaitConnected(manager, 1, Duration.ofSeconds(60)).get(0).pid();
            Context<Void, Long> ctx = manager.<Long>getContext();
            TaskFuture<Long> longTask = ctx.addTask(s -> WorkerSide.sleepThenReturn(3_000, WorkerSide.pid()));
            List<TaskFuture<Long>> limited = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                limited.add(ctx.addTask(s -> WorkerSide.sleepThenReturn(10, WorkerSide.pid()), Duration.ofSeconds(1)));
            }
            assertEquals(pid, longTask.get(60, TimeUnit.SECONDS));
            for (TaskFuture<Long> f : limited) {
                assertEquals(pid, f.get(60, TimeUnit.SECONDS), "a 10 ms task with a 1 s limit, sent with the 3 s task");
            }
            assertEquals(0, manager.stats().tasksFailed(), manager.stats().toString());
            assertEquals(4, manager.stats().tasksSucceeded(), manager.stats().toString());
        }
    }

    @Test
    void taskIgnoringItsInterruptIsReportedTimedOutItsWorkerIsStoppedAndAReplacementRunsTheTasksAfterIt()
            throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).replaceLostWorkers(1).build()) {
            manager.addWorker(new LocalWorker());
            long pid = TestSupport.awaitConnected(manager, 1, Duration.ofSeconds(60)).get(0).pid();
            Context<Void, Long> ctx = manager.<Long>getContext();
            long start = System.nanoTime();
            TaskFuture<Long> stubborn = ctx.addTask(s -> WorkerSide.spinIgnoringInterrupts(60_000),
                    Duration.ofSeconds(1));
            List<TaskFuture<Long>> after = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                after.add(ctx.addTask(s -> WorkerSide.pid()));
            }

            Iterator<Long> it = ctx.getResultsUnordered().iterator();
            List<Long> pids = new ArrayList<>();
            TaskFailedException tfe = null;
            long failedAfterMs = -1;
            while (it.hasNext()) {
                try {
                    pids.add(it.next());
                } catch (TaskFailedException e) {
                    if (tfe != null) {
                        fail("a second failure: " + e.getMessage() + "\nafter: " + tfe.getMessage());
                    }
                    tfe = e;
                    failedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                }
            }
            long allDoneMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("TaskTimeoutTest: the spinning task was reported timed out after " + failedAfterMs
                    + " ms; the 5 tasks after it were done after " + allDoneMs + " ms");
            assertTrue(tfe != null, "the spinning task did not fail; results " + pids);
            assertEquals(stubborn.taskId(), tfe.getTaskId(), tfe.getMessage());
            List<TaskAttempt> attempts = tfe.getAttempts();
            assertEquals(TaskAttempt.Outcome.TIMED_OUT, attempts.get(attempts.size() - 1).outcome(), tfe.getMessage());
            assertTrue(failedAfterMs < 15_000, "reported after " + failedAfterMs + " ms for a 1 s timeout");

            // the first worker was stopped (after the grace period) and the replacement ran the rest
            TestSupport.awaitGone(pid, Duration.ofSeconds(20), "the worker of the task that ignored its interrupt");
            List<WorkerInfo> workers = manager.workers();
            String all = TestSupport.describe(workers);
            assertEquals(2, workers.size(), all);
            assertEquals(WorkerInfo.State.LOST, workers.get(0).state(), all);
            assertTrue(workers.get(0).detail().contains("interrupt"), "why worker 1 was lost: " + workers.get(0).detail());
            assertEquals(WorkerInfo.State.CONNECTED, workers.get(1).state(), all);
            long replacement = workers.get(1).pid();
            assertNotEquals(pid, replacement);
            assertEquals(List.of(replacement, replacement, replacement, replacement, replacement), pids, all);
            for (TaskFuture<Long> f : after) {
                assertEquals(replacement, f.get(5, TimeUnit.SECONDS));
            }
            // timed out, not also counted as a lost-worker failure or run again
            assertEquals(1, manager.stats().tasksFailed(), manager.stats().toString());
            assertEquals(5, manager.stats().tasksSucceeded(), manager.stats().toString());
        }
    }

    @Test
    void withDefaultsWorkersStoppedForTasksIgnoringTheirInterruptAreReplacedEveryTimeForTheyAreNoCrash()
            throws Exception {
        // LocalWorker(1): the guard's limit is 4 losses in a row without an answer; five workers stopped by the
        // manager itself (each task ignores its interruption after its timeout) must not count, or the run would end
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(1));
            Context<Void, Long> ctx = manager.<Long>getContext();
            List<TaskFuture<Long>> stubborn = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                stubborn.add(ctx.addTask(s -> WorkerSide.spinIgnoringInterrupts(60_000), Duration.ofSeconds(1)));
            }
            TaskFuture<Long> after = ctx.addTask(s -> WorkerSide.pid());
            Iterator<Long> it = ctx.getResultsUnordered().iterator();
            int failures = 0;
            List<Long> pids = new ArrayList<>();
            while (it.hasNext()) {
                try {
                    pids.add(it.next());
                } catch (TaskFailedException e) {
                    failures++;
                }
            }
            String all = TestSupport.describe(manager.workers());
            assertEquals(5, failures, all);
            assertEquals(List.of(after.get(5, TimeUnit.SECONDS)), pids, all);
            assertEquals(5, manager.workers().stream().filter(w -> w.state() == WorkerInfo.State.LOST
                    && w.detail().contains("ignored its interruption") && !w.detail().contains("not replaced")).count(), all);
        }
    }
}
