package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.Task;
import org.jparallel.TaskAttempt;
import org.jparallel.TaskFailedException;
import org.jparallel.TaskFuture;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages over the manager's frame limit ({@code maxFrameBytes}) on real worker JVMs: a task or
 * setup too big fails where it is made, with an error naming its size, the limit and the setting; a
 * result too big fails its task alone, and no worker is lost for either.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MessageSizeLimitTest {
    private static final int LIMIT = 1 << 20;
    private static final int TWO_MB = 2 << 20;

    @TempDir
    Path tempDir;

    private static void assertNamesSizeLimitAndSetting(String message, int size) {
        assertTrue(message.contains(String.valueOf(LIMIT)), "names the limit: " + message);
        assertTrue(message.contains("maxFrameBytes") && message.contains("jparallel.manager.max-frame-bytes"),
                "names the setting: " + message);
        assertTrue(message.matches("(?s).*\\b" + size / 1000 + "\\d{3,}\\b.*"), "names the size (" + size + "+): "
                + message);
    }

    private static void assertOneWorkerNeverLost(Manager manager, long pid) {
        List<WorkerInfo> ws = manager.workers();
        assertEquals(1, ws.size(), "no worker was replaced: " + TestSupport.describe(ws));
        assertEquals(WorkerInfo.State.CONNECTED, ws.get(0).state(), TestSupport.describe(ws));
        assertEquals(pid, ws.get(0).pid(), "the same worker process");
        assertEquals(1, manager.stats().workersStarted());
    }

    @Test
    void aTaskOverTheLimitFailsAtAddTaskAndTheOtherTasksRunOnTheSameWorker() throws Exception {
        byte[] big = new byte[TWO_MB];
        try (Manager manager = TestSupport.builder(tempDir).maxFrameBytes(LIMIT).build()) {
            manager.addWorker(new LocalWorker());
            long pid = TestSupport.awaitConnected(manager, 1, Duration.ofSeconds(60)).get(0).pid();
            Context<Void, Integer> ctx = manager.getContext();
            TaskFuture<Integer> before = ctx.addTask(s -> 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ctx.addTask(s -> big.length));
            assertNamesSizeLimitAndSetting(e.getMessage(), TWO_MB);
            TaskFuture<Integer> after = ctx.addTask(s -> 2);

            List<Integer> results = new ArrayList<>();
            ctx.getResultsUnordered().forEach(results::add);
            assertEquals(2, results.size(), "the task that was refused was never added: " + results);
            assertEquals(1, before.get(5, TimeUnit.SECONDS));
            assertEquals(2, after.get(5, TimeUnit.SECONDS));
            assertEquals(2, manager.stats().tasksSubmitted());
            assertOneWorkerNeverLost(manager, pid);
        }
    }

    @Test
    void aSetupOverTheLimitFailsAtGetContextAndMapStopsAtATaskOverIt() throws Exception {
        byte[] big = new byte[TWO_MB];
        try (Manager manager = TestSupport.builder(tempDir).maxFrameBytes(LIMIT).build()) {
            manager.addWorker(new LocalWorker());
            long pid = TestSupport.awaitConnected(manager, 1, Duration.ofSeconds(60)).get(0).pid();
            IllegalArgumentException setup = assertThrows(IllegalArgumentException.class,
                    () -> manager.getContext(() -> big));
            assertNamesSizeLimitAndSetting(setup.getMessage(), TWO_MB);

            Context<Void, Integer> ctx = manager.getContext();
            List<Task<Void, Integer>> tasks = List.of(s -> 1, s -> big.length, s -> 3);
            List<Integer> results = new ArrayList<>();
            IllegalArgumentException map = assertThrows(IllegalArgumentException.class,
                    () -> ctx.map(tasks, 1).forEach(results::add));
            assertNamesSizeLimitAndSetting(map.getMessage(), TWO_MB);
            assertEquals(List.of(1), results, "the task before the big one ran");
            assertEquals(7, ctx.addTask(s -> 7).get(60, TimeUnit.SECONDS), "the context goes on");
            assertOneWorkerNeverLost(manager, pid);
        }
    }

    @Test
    void aResultOverTheLimitFailsItsTaskAloneWithTheLimitInItsMessageAndTheWorkerLivesOn() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).maxFrameBytes(LIMIT).build()) {
            manager.addWorker(new LocalWorker());
            long pid = TestSupport.awaitConnected(manager, 1, Duration.ofSeconds(60)).get(0).pid();
            Context<Void, Object> ctx = manager.getContext();
            TaskFuture<Object> first = ctx.addTask(s -> "first");
            TaskFuture<Object> bigBytes = ctx.addTask(s -> new byte[TWO_MB]);       // sent as raw bytes
            TaskFuture<Object> bigString = ctx.addTask(s -> "x".repeat(TWO_MB));    // sent serialized
            TaskFuture<Object> underLimit = ctx.addTask(s -> new byte[LIMIT - 1024]);
            TaskFuture<Object> last = ctx.addTask(s -> "last");

            int delivered = 0;
            int failed = 0;
            for (java.util.Iterator<Object> it = ctx.getResultsUnordered().iterator(); it.hasNext(); ) {
                try {
                    it.next();
                    delivered++;
                } catch (TaskFailedException e) {
                    failed++;
                }
            }
            assertEquals(3, delivered);
            assertEquals(2, failed);
            assertEquals("first", first.get(5, TimeUnit.SECONDS));
            assertEquals("last", last.get(5, TimeUnit.SECONDS));
            assertArrayEquals(new byte[LIMIT - 1024], (byte[]) underLimit.get(5, TimeUnit.SECONDS));
            for (TaskFuture<Object> f : List.of(bigBytes, bigString)) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
                TaskFailedException tf = assertInstanceOf(TaskFailedException.class, e.getCause());
                assertFalse(tf.getAttempts().isEmpty());
                for (TaskAttempt a : tf.getAttempts()) {
                    assertEquals(TaskAttempt.Outcome.THREW, a.outcome(), "no worker was lost for it: " + tf.getAttempts());
                    assertNamesSizeLimitAndSetting(a.detail(), TWO_MB);
                }
            }
            assertOneWorkerNeverLost(manager, pid);
        }
    }
}
