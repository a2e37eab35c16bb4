package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jparallel.Context;
import org.jparallel.JournalMode;
import org.jparallel.Manager;
import org.jparallel.RemoteTaskException;
import org.jparallel.TaskAttempt;
import org.jparallel.TaskFailedException;
import org.jparallel.TaskFuture;
import org.jparallel.TaskOptions;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Exceptions from tasks: returned ones are values; thrown ones fail one task, not the worker. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TaskExceptionTest {

    @TempDir
    Path tempDir;

    @Test
    void taskReturningAnExceptionObjectDeliversItAsAValue() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker());
            Context<Void, Object> ctx = manager.<Object>getContext();
            TaskFuture<Object> f = ctx.addTask(s -> new IllegalArgumentException("returned, not thrown"));
            List<Object> results = new ArrayList<>();
            for (Object r : ctx.getResults()) {
                results.add(r);
            }
            assertEquals(1, results.size());
            IllegalArgumentException e = assertInstanceOf(IllegalArgumentException.class, results.get(0));
            assertEquals("returned, not thrown", e.getMessage());
            assertInstanceOf(IllegalArgumentException.class, f.get(5, TimeUnit.SECONDS));
            assertEquals(0, manager.stats().tasksFailed());
        }
    }

    @Test
    void thrownExceptionArrivesAsRemoteExceptionTheWorkerSurvivesAndTheOtherNineResultsArrive() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker());
            Context<Void, Long> ctx = manager.<Long>getContext();
            List<TaskFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int k = i;
                futures.add(ctx.addTask(s -> k == 3 ? WorkerSide.failingTask(k) : WorkerSide.pid()));
            }
            List<Long> pids = new ArrayList<>();
            List<TaskFailedException> failures = new ArrayList<>();
            Iterator<Long> it = ctx.getResultsUnordered().iterator();
            while (it.hasNext()) {
                try {
                    pids.add(it.next());
                } catch (TaskFailedException e) {
                    failures.add(e);
                }
            }
            assertEquals(1, failures.size(), "failures: " + failures);
            assertEquals(9, pids.size(), "the other nine results: " + pids);

            TaskFailedException tfe = failures.get(0);
            assertEquals(futures.get(3).taskId(), tfe.getTaskId());
            RemoteTaskException remote = assertInstanceOf(RemoteTaskException.class, tfe.getCause(),
                    "cause of " + tfe);
            assertEquals(WorkerSide.TaskBoom.class.getName(), remote.getRemoteClassName());
            assertEquals("boom in task 3", remote.getRemoteMessage());
            assertTrue(remote.toString().contains(WorkerSide.TaskBoom.class.getName()), remote.toString());
            StackTraceElement[] trace = remote.getStackTrace();
            assertTrue(Arrays.stream(trace).anyMatch(el -> el.getClassName().equals(WorkerSide.class.getName())
                            && el.getMethodName().equals("failingTask")),
                    "remote stack trace lacks WorkerSide.failingTask: " + Arrays.toString(trace));
            assertTrue(Arrays.stream(trace).anyMatch(el -> el.getClassName().equals(TaskExceptionTest.class.getName())
                            && el.getMethodName().startsWith("lambda$")),
                    "remote stack trace lacks the task lambda's frame: " + Arrays.toString(trace));
            List<TaskAttempt> attempts = tfe.getAttempts();
            assertTrue(!attempts.isEmpty(), "no attempts in " + tfe);
            assertEquals(TaskAttempt.Outcome.THREW, attempts.get(attempts.size() - 1).outcome(), tfe.getMessage());

            // the future of the failed task fails the same way
            try {
                futures.get(3).get(5, TimeUnit.SECONDS);
                fail("the future of the throwing task returned a value");
            } catch (ExecutionException e) {
                assertInstanceOf(TaskFailedException.class, e.getCause());
            }

            // one worker, one pid, before and after the failure: the worker did not die
            Set<Long> distinct = new HashSet<>(pids);
            assertEquals(1, distinct.size(), "pids seen: " + pids);
            long pid = distinct.iterator().next();
            TaskFuture<Long> after = ctx.addTask(s -> WorkerSide.pid());
            assertEquals(pid, after.get(30, TimeUnit.SECONDS), "a task after the failure ran in another JVM");
            WorkerInfo w = manager.workers().get(0);
            assertEquals(WorkerInfo.State.CONNECTED, w.state(), TestSupport.describe(manager.workers()));
            assertEquals(pid, w.pid());
            assertTrue(TestSupport.isAlive(pid));
        }
    }

    @Test
    void aKeyedTaskThatThrowsNamesItsKeyInTheFailureTheIterationThrows() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(2));
            Context<Void, Long> ctx = manager.<Long>getContext();
            Iterable<Integer> inputs = () -> IntStream.range(0, 20).iterator();
            Set<Long> results = new HashSet<>();
            Map<String, TaskFailedException> failures = new TreeMap<>();
            Iterator<Long> it = ctx.mapUnordered(inputs, k -> "in-" + k,
                    k -> s -> k == 7 || k == 13 ? WorkerSide.failingTask(k) : (long) k).iterator();
            while (it.hasNext()) {
                try {
                    results.add(it.next());
                } catch (TaskFailedException e) {
                    failures.put(e.getKey().orElse("no key in " + e.getMessage()), e);
                }
            }
            assertEquals(18, results.size(), "the other results: " + results);
            assertEquals(Set.of("in-13", "in-7"), failures.keySet());
            TaskFailedException seven = failures.get("in-7");
            assertTrue(seven.getMessage().startsWith("Task " + seven.getTaskId() + " (key 'in-7') failed: it threw"),
                    seven.getMessage());
            RemoteTaskException remote = assertInstanceOf(RemoteTaskException.class, seven.getCause());
            assertEquals("boom in task 7", remote.getRemoteMessage());
        }
    }

    @Test
    void aJournaledKeyedTaskThatThrowsNamesItsKeyInItsFuturesFailure() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).journal(tempDir.resolve("j"), JournalMode.RESUME)
                .journalIdentity("TaskExceptionTest").build()) {
            manager.addWorker(new LocalWorker());
            Context<Void, Long> ctx = manager.<Long>getContext("campaign");
            TaskFuture<Long> f = ctx.addTask(s -> WorkerSide.failingTask(5), TaskOptions.none().withKey("sample-5"));
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
            TaskFailedException tfe = assertInstanceOf(TaskFailedException.class, e.getCause());
            assertEquals(Optional.of("sample-5"), tfe.getKey());
            assertTrue(tfe.getMessage().contains("(key 'sample-5')"), tfe.getMessage());
        }
    }
}
