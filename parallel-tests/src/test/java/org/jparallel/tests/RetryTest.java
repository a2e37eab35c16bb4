package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.RemoteTaskException;
import org.jparallel.TaskAttempt;
import org.jparallel.TaskFailedException;
import org.jparallel.TaskFuture;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The "task threw" budget: taskRetries(n) runs a throwing task n more times, and lists every attempt. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RetryTest {

    @TempDir
    Path tempDir;

    @Test
    void alwaysThrowingTaskWithTwoRetriesRunsThreeTimesThenFailsWithThreeRemoteStackTraces() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).taskRetries(2).build()) {
            manager.addWorker(new LocalWorker(2));
            TestSupport.awaitConnected(manager, 2, Duration.ofSeconds(60));
            Context<Void, Long> ctx = manager.<Long>getContext();
            String runs = tempDir.resolve("runs.txt").toString();
            TaskFuture<Long> f = ctx.addTask(s -> WorkerSide.countedFailingTask(runs, 7));
            Iterator<Long> it = ctx.getResultsUnordered().iterator();
            assertTrue(it.hasNext());
            TaskFailedException tfe = assertThrows(TaskFailedException.class, it::next);
            assertTrue(!it.hasNext(), "the failure is the task's one delivery");

            assertEquals(3, TestSupport.lines(Path.of(runs)).size(),
                    "runs on the workers' side: " + TestSupport.lines(Path.of(runs)));
            assertEquals(f.taskId(), tfe.getTaskId());
            List<TaskAttempt> attempts = tfe.getAttempts();
            assertEquals(3, attempts.size(), tfe.getMessage());
            for (TaskAttempt a : attempts) {
                assertEquals(TaskAttempt.Outcome.THREW, a.outcome(), tfe.getMessage());
                RemoteTaskException remote = a.cause();
                assertNotNull(remote, "attempt without its remote exception: " + a);
                assertEquals(WorkerSide.TaskBoom.class.getName(), remote.getRemoteClassName());
                assertTrue(remote.getRemoteMessage().startsWith("boom in counted task 7"), remote.getRemoteMessage());
                StackTraceElement[] trace = remote.getStackTrace();
                assertTrue(Arrays.stream(trace).anyMatch(el -> el.getClassName().equals(WorkerSide.class.getName())
                                && el.getMethodName().equals("countedFailingTask")),
                        "remote stack trace lacks WorkerSide.countedFailingTask: " + Arrays.toString(trace));
                assertTrue(Arrays.stream(trace).anyMatch(el -> el.getClassName().equals(RetryTest.class.getName())
                                && el.getMethodName().startsWith("lambda$")),
                        "remote stack trace lacks the task lambda's frame: " + Arrays.toString(trace));
                assertNotNull(a.logFile(), "attempt names no log file: " + a);
                assertTrue(a.detail().contains("boom in counted task 7"), a.toString());
            }
            // the three remote exceptions are three distinct ones, one per run
            assertEquals(3, attempts.stream().map(TaskAttempt::cause).distinct().count());
            assertSame(attempts.get(2).cause(), tfe.getCause(), "the cause is the last attempt's remote exception");
            assertTrue(tfe.getMessage().contains("attempt 3"), tfe.getMessage());
            assertEquals(1, manager.stats().tasksFailed(), manager.stats().toString());
        }
    }

    @Test
    void taskThatThrowsTwiceThenSucceedsDeliversItsThirdRunsValueOnce() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).taskRetries(2).build()) {
            manager.addWorker(new LocalWorker());
            Context<Void, Integer> ctx = manager.<Integer>getContext();
            String runs = tempDir.resolve("flaky.txt").toString();
            TaskFuture<Integer> f = ctx.addTask(s -> WorkerSide.flakyTask(runs, 2));
            int delivered = 0;
            for (Integer r : ctx.getResultsUnordered()) {
                assertEquals(3, r, "the value of the third run");
                delivered++;
            }
            assertEquals(1, delivered);
            assertEquals(3, f.get(5, TimeUnit.SECONDS));
            assertEquals(3, TestSupport.lines(Path.of(runs)).size());
            assertEquals(0, manager.stats().tasksFailed(), manager.stats().toString());
            assertEquals(1, manager.stats().tasksSucceeded(), manager.stats().toString());
        }
    }

    @Test
    void withoutRetriesAThrowingTaskRunsOnce() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker());
            Context<Void, Long> ctx = manager.<Long>getContext();
            String runs = tempDir.resolve("once.txt").toString();
            ctx.addTask(s -> WorkerSide.countedFailingTask(runs, 1));
            Iterator<Long> it = ctx.getResultsUnordered().iterator();
            TaskFailedException tfe = assertThrows(TaskFailedException.class, it::next);
            assertEquals(1, tfe.getAttempts().size(), tfe.getMessage());
            assertInstanceOf(RemoteTaskException.class, tfe.getCause());
            assertEquals(1, TestSupport.lines(Path.of(runs)).size());
        }
    }
}
