package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jparallel.Setup;
import org.jparallel.Task;
import org.jparallel.core.leaks.NoLeaks;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.MessageEncoder;
import org.jparallel.core.serial.Payloads;
import org.jparallel.core.serial.RemoteFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker's task runner with real serialized lambdas, on its own task thread. The test thread
 * waits only on events: a latch the task counts down when it starts, and the replies queue.
 */
@ExtendWith(NoLeaks.class)
class TaskRunnerTest {
    private static final long WAIT_SECONDS = 10;

    // tasks and setups are deserialized copies, so they talk to the test through statics
    static volatile CountDownLatch started;
    static volatile CountDownLatch gate;
    static volatile CountDownLatch bothQueued;
    static final AtomicInteger SETUP_RUNS = new AtomicInteger();
    static final AtomicInteger TASK_RUNS = new AtomicInteger();

    private final BlockingQueue<Message> replies = new LinkedBlockingQueue<>();
    private TaskRunner runner;

    @BeforeEach
    void setUp() {
        started = new CountDownLatch(1);
        gate = new CountDownLatch(1);
        SETUP_RUNS.set(0);
        TASK_RUNS.set(0);
        runner = new TaskRunner(replies::addAll, TaskRunnerTest.class.getClassLoader());
    }

    @AfterEach
    void tearDown() {
        gate.countDown();
        runner.shutdown();
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static Message.Task task(long id, int contextId, Task<Object, Object> t) {
        return new Message.Task(id, contextId, Payloads.serialize(t));
    }

    private static Message.Setup setup(int contextId, Setup<Object> s) {
        return new Message.Setup(contextId, Payloads.serialize(s));
    }

    private Message next() throws InterruptedException {
        Message m = replies.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(m, "a reply within " + WAIT_SECONDS + " s");
        return m;
    }

    private Object result(long taskId) throws Exception {
        Message m = next();
        Message.Result r = assertInstanceOf(Message.Result.class, m, () -> "a result: " + describe(m));
        assertEquals(taskId, r.taskId());
        return Payloads.deserialize(r.payload(), TaskRunnerTest.class.getClassLoader());
    }

    private RemoteFailure failure(long taskId) throws Exception {
        Message.Failure f = assertInstanceOf(Message.Failure.class, next());
        assertEquals(taskId, f.taskId());
        return Payloads.deserializeFailure(f.payload());
    }

    private static String describe(Message m) {
        if (m instanceof Message.Failure f) {
            try {
                RemoteFailure r = Payloads.deserializeFailure(f.payload());
                return "FAILURE " + r.className() + ": " + r.message();
            } catch (Exception e) {
                return "FAILURE (unreadable)";
            }
        }
        return m.toString();
    }

    private static void awaitStarted() throws InterruptedException {
        assertTrue(started.await(WAIT_SECONDS, TimeUnit.SECONDS), "the task started");
    }

    // ---- slots ----------------------------------------------------------------------------------

    static final CountDownLatch BOTH_RUNNING = new CountDownLatch(2);

    @Test
    void aRunnerWithTwoSlotsRunsTwoTasksAtOnceAndItsSetupOnceForBoth() throws Exception {
        runner.shutdown();
        runner = new TaskRunner(replies::addAll, TaskRunnerTest.class.getClassLoader(),
                org.jparallel.core.serial.SerialFilter.defaults(), io.netty.buffer.ByteBufAllocator.DEFAULT,
                Integer.MAX_VALUE, 2);
        runner.setup(setup(1, () -> SETUP_RUNS.incrementAndGet()));
        for (long id = 1; id <= 2; id++) {
            runner.run(task(id, 1, s -> {
                BOTH_RUNNING.countDown(); // each waits for the other: only two slots at once get past this
                return BOTH_RUNNING.await(WAIT_SECONDS, TimeUnit.SECONDS) ? s : "alone";
            }));
        }
        java.util.Set<Object> got = new java.util.HashSet<>();
        for (int i = 0; i < 2; i++) {
            Message.Result r = assertInstanceOf(Message.Result.class, next());
            got.add(Payloads.deserialize(r.payload(), TaskRunnerTest.class.getClassLoader()));
        }
        assertEquals(java.util.Set.of(1), got, "both ran at once and saw the one setup result");
        assertEquals(1, SETUP_RUNS.get());
    }

    static final java.util.Set<Object> PER_SLOT_RESULTS = java.util.concurrent.ConcurrentHashMap.newKeySet();
    static final CountDownLatch PER_SLOT_BOTH = new CountDownLatch(2);

    @Test
    void aPerSlotSetupRunsOnceForEachSlotThatRunsATaskOfItsContext() throws Exception {
        runner.shutdown();
        runner = new TaskRunner(replies::addAll, TaskRunnerTest.class.getClassLoader(),
                org.jparallel.core.serial.SerialFilter.defaults(), io.netty.buffer.ByteBufAllocator.DEFAULT,
                Integer.MAX_VALUE, 2);
        org.jparallel.PerSlotSetup<Object> each = () -> new Object();
        runner.queue(new Message.Setup(1, Payloads.serialize(each)));
        for (long id = 1; id <= 2; id++) {
            runner.queue(task(id, 1, s -> {
                PER_SLOT_RESULTS.add(s);
                PER_SLOT_BOTH.countDown();
                PER_SLOT_BOTH.await(WAIT_SECONDS, TimeUnit.SECONDS);
                return 0;
            }));
        }
        runner.wake();
        next();
        next();
        assertEquals(2, PER_SLOT_RESULTS.size(), "each slot had its own setup result");
    }

    // ---- results --------------------------------------------------------------------------------

    private static final byte[] SHARED = new byte[TaskRunner.BUFFER_RESULTS_FROM + 1];

    @Test
    void aBigByteArrayResultIsCopiedIntoABufferBeforeTheNextTaskCanChangeTheArray() throws Exception {
        java.util.Arrays.fill(SHARED, (byte) 1);
        runner.run(task(1, 0, s -> SHARED));
        runner.run(task(2, 0, s -> {
            java.util.Arrays.fill(SHARED, (byte) 2);
            return SHARED;
        }));
        Message.BufferedResult first = assertInstanceOf(Message.BufferedResult.class, next());
        Message.BufferedResult second = assertInstanceOf(Message.BufferedResult.class, next());
        try {
            assertEquals(1, first.taskId());
            assertEquals(SHARED.length, first.bytes().readableBytes());
            int at = first.bytes().readerIndex();
            for (int i = 0; i < SHARED.length; i++) {
                assertEquals(1, first.bytes().getByte(at + i), "byte " + i + " of the first result, as the first task left it");
            }
            assertEquals(2, second.bytes().getByte(second.bytes().readerIndex()));
            assertEquals(MessageEncoder.RESULT_HEAD, at, "room in front for the frame's head");
        } finally {
            first.bytes().release();
            second.bytes().release();
        }
    }

    /**
     * A runner whose every task counts as small and whose batch never ages out by itself, given a small
     * task 1 and then task 2, which runs until the gate opens: task 1's result stays held until
     * something takes it.
     */
    private void holdASmallResultBehindALongTask() throws Exception {
        runner.shutdown();
        runner = new TaskRunner(new ReplyBatch(replies::addAll, Long.MAX_VALUE, Long.MAX_VALUE),
                TaskRunnerTest.class.getClassLoader(), org.jparallel.core.serial.SerialFilter.defaults(),
                io.netty.buffer.ByteBufAllocator.DEFAULT);
        bothQueued = new CountDownLatch(1);
        // task 1 waits until task 2 is queued: else the thread could find the queue empty after task 1 and send
        runner.queue(task(1, 0, s -> {
            bothQueued.await();
            return 1;
        }));
        runner.wake();
        runner.queue(task(2, 0, s -> {
            started.countDown();
            gate.await();
            return 2;
        }));
        bothQueued.countDown();
        runner.wake();
    }

    @Test
    void aSmallTasksResultHeldBehindALongTaskCanBeTakenWhileTheLongTaskRuns() throws Exception {
        holdASmallResultBehindALongTask();
        awaitStarted();
        assertTrue(runner.busy());
        assertTrue(replies.isEmpty(), () -> "the first result waits for the batch: " + replies.stream().map(TaskRunnerTest::describe).toList());
        assertTrue(runner.sendHeldOlderThan(0));
        assertEquals(1, ((Message.Result) next()).taskId(), "taken by the check while task 2 runs");
        gate.countDown();
        assertEquals(2, ((Message.Result) next()).taskId(), "sent when the task thread has nothing left to do");
    }

    @Test
    void aResultHeldBehindALongTaskGoesOutByTheHeldReplyWatchWhileTheLongTaskRuns() throws Exception {
        holdASmallResultBehindALongTask();
        java.util.concurrent.ScheduledExecutorService loop = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try (HeldReplyWatch watch = new HeldReplyWatch(runner, () -> true, loop)) {
            watch.arm();
            awaitStarted();
            // task 2 cannot end before the gate opens below, and nothing but the watch sends a held result
            assertEquals(1, ((Message.Result) next()).taskId(), "sent by the watch while task 2 runs");
        } finally {
            loop.shutdownNow();
        }
        gate.countDown();
        assertEquals(2, ((Message.Result) next()).taskId(), "sent when the task thread has nothing left to do");
    }

    @Test
    void theTaskThreadGoesOnAfterAnErrorOutsideATaskAndAnswersTheTaskItFailedOn() throws Exception {
        runner.shutdown();
        java.util.concurrent.atomic.AtomicBoolean failOnce = new java.util.concurrent.atomic.AtomicBoolean(true);
        runner = new TaskRunner(new ReplyBatch(batch -> {
            if (failOnce.getAndSet(false)) {
                throw new OutOfMemoryError("simulated, while handing on a reply");
            }
            replies.addAll(batch);
        }, 0, 0), TaskRunnerTest.class.getClassLoader(), org.jparallel.core.serial.SerialFilter.defaults(),
                io.netty.buffer.ByteBufAllocator.DEFAULT);
        runner.run(task(1, 0, s -> 1));
        Message.Failure f = assertInstanceOf(Message.Failure.class, next(), "task 1 answered with a failure");
        assertEquals(1, f.taskId());
        assertTrue(Payloads.deserializeFailure(f.payload()).message().contains("could not answer"));
        runner.run(task(2, 0, s -> 2));
        assertEquals(2, result(2), "the task thread is still there");
    }

    @Test
    void aSmallByteArrayResultIsAnOrdinaryPayload() throws Exception {
        runner.run(task(1, 0, s -> new byte[] {4, 5}));
        assertArrayEquals(new byte[] {4, 5}, (byte[]) result(1));
    }

    @Test
    void aResultThatCannotBeSerializedFailsItsTaskSayingItIsTheResultNotTheTaskThatFailed() throws Exception {
        runner.run(task(1, 0, s -> new Object()));
        runner.run(task(2, 0, s -> new java.util.ArrayList<>(List.of("next")))); // through the object writer
        RemoteFailure f = failure(1);
        assertEquals("org.jparallel.ResultNotSerializableException", f.className());
        assertTrue(f.message().startsWith("the task ran, but its result (a java.lang.Object) cannot be sent: class"
                + " java.lang.Object is not Serializable"), f.message());
        assertEquals(List.of("next"), result(2), "the runner goes on, and so does its object writer");
    }

    @Test
    void aReplyOverTheFrameLimitFailsItsTaskAloneNamingItsSizeAndTheLimit() throws Exception {
        runner.shutdown();
        runner = new TaskRunner(replies::addAll, TaskRunnerTest.class.getClassLoader(),
                org.jparallel.core.serial.SerialFilter.defaults(), io.netty.buffer.ByteBufAllocator.DEFAULT, 100_000);
        runner.run(task(1, 0, s -> new byte[200_000]));
        runner.run(task(2, 0, s -> "y".repeat(200_000)));
        runner.run(task(3, 0, s -> {
            throw new IllegalStateException("z".repeat(200_000));
        }));
        runner.run(task(4, 0, s -> "w".repeat(99_000)));
        for (long id = 1; id <= 2; id++) {
            RemoteFailure f = failure(id);
            assertEquals("org.jparallel.ResultTooLargeException", f.className());
            assertTrue(f.message().contains("the result of task " + id + " is 200001 bytes serialized, over the limit"
                    + " of 100000 bytes per message (ManagerBuilder.maxFrameBytes / jparallel.manager.max-frame-bytes)"),
                    f.message());
        }
        RemoteFailure thrown = failure(3);
        assertEquals("java.lang.IllegalStateException", thrown.className(), "a failure too big keeps its class");
        assertTrue(thrown.message().startsWith("zzzz") && thrown.message().contains("over the limit of 100000 bytes"),
                thrown.message().substring(0, 100));
        assertEquals(99_000, ((String) result(4)).length(), "the runner goes on, and a reply under the limit goes out");
    }

    // ---- cancel ---------------------------------------------------------------------------------

    @Test
    void aTaskCancelledBeforeItRunsAnswersCancellationWithoutRunning() throws Exception {
        // as the network thread does when TASK and CANCEL arrive in one read: queue, cancel, then wake
        runner.queue(task(1, 0, s -> {
            TASK_RUNS.incrementAndGet();
            return "ran";
        }));
        runner.cancel(1);
        runner.wake();
        RemoteFailure f = failure(1);
        assertEquals("java.util.concurrent.CancellationException", f.className());
        assertTrue(f.message().contains("task 1 was cancelled before it started"), f.message());
        assertEquals(0, TASK_RUNS.get());

        runner.run(task(2, 0, s -> "ok"));
        assertEquals("ok", result(2), "the cancel concerned task 1 only");
    }

    @Test
    void aTaskCancelledWhileWaitingBehindARunningOneIsSkipped() throws Exception {
        runner.run(task(1, 0, s -> {
            started.countDown();
            gate.await();
            return "first";
        }));
        runner.run(task(2, 0, s -> {
            TASK_RUNS.incrementAndGet();
            return "second";
        }));
        awaitStarted();
        runner.cancel(2);
        gate.countDown();
        assertEquals("first", result(1), "the running task is not touched");
        assertEquals("java.util.concurrent.CancellationException", failure(2).className());
        assertEquals(0, TASK_RUNS.get());
    }

    @Test
    void cancelInterruptsATaskSleepingAndTheNextTaskRunsUninterrupted() throws Exception {
        runner.run(task(1, 0, s -> {
            started.countDown();
            Thread.sleep(TimeUnit.MINUTES.toMillis(10));
            return "slept";
        }));
        awaitStarted();
        runner.cancel(1);
        assertEquals("java.lang.InterruptedException", failure(1).className());

        runner.run(task(2, 0, s -> {
            boolean flagged = Thread.currentThread().isInterrupted();
            Thread.sleep(1);
            return flagged ? "interrupted" : "clean";
        }));
        assertEquals("clean", result(2));
    }

    @Test
    void cancelInterruptsATaskWaitingOnALatch() throws Exception {
        runner.run(task(1, 0, s -> {
            started.countDown();
            gate.await();
            return "opened";
        }));
        awaitStarted();
        runner.cancel(1);
        assertEquals("java.lang.InterruptedException", failure(1).className());
        assertEquals(1, gate.getCount(), "the latch was never opened");

        runner.run(task(2, 0, s -> "next"));
        assertEquals("next", result(2));
    }

    @Test
    void anInterruptATaskSwallowsAndReassertsDoesNotLeakIntoTheNextTask() throws Exception {
        runner.run(task(1, 0, s -> {
            started.countDown();
            try {
                gate.await();
                return "opened";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "swallowed";
            }
        }));
        awaitStarted();
        runner.cancel(1);
        assertEquals("swallowed", result(1));

        runner.run(task(2, 0, s -> Thread.currentThread().isInterrupted() ? "interrupted" : "clean"));
        assertEquals("clean", result(2));
    }

    @Test
    void everyQueuedTaskOfABulkCancellationIsSkippedHoweverManyThereAre() throws Exception {
        int n = 12_000;
        byte[] counting = Payloads.serialize((Task<Object, Object>) s -> TASK_RUNS.incrementAndGet());
        runner.run(task(0, 0, s -> {
            started.countDown();
            gate.await();
            return "first";
        }));
        awaitStarted();
        for (long id = 1; id <= n; id++) {
            runner.queue(new Message.Task(id, 0, counting));
        }
        for (long id = 1; id <= n; id++) {
            runner.cancel(id, false);
        }
        gate.countDown();
        runner.wake();
        assertEquals("first", result(0));
        for (long id = 1; id <= n; id++) {
            RemoteFailure f = failure(id);
            assertEquals("java.util.concurrent.CancellationException", f.className(), "task " + id);
        }
        assertEquals(0, TASK_RUNS.get(), "no cancelled task ran");
        assertEquals(0, runner.cancellationsRemembered(), "nothing is kept once the queue is through");
    }

    @Test
    void cancellationsOfTasksThatAlreadyRanAreNotKept() throws Exception {
        runner.run(task(1, 0, s -> "one"));
        assertEquals("one", result(1));
        for (long id = 1; id <= 50_000; id++) {
            runner.cancel(id, false); // late cancels, e.g. of tasks whose results are on their way
        }
        assertEquals(0, runner.cancellationsRemembered());
        runner.run(task(2, 0, s -> "two"));
        assertEquals("two", result(2));
    }

    @Test
    void aCancelAfterTheTaskEndedDoesNotTouchLaterTasks() throws Exception {
        runner.run(task(1, 0, s -> "one"));
        assertEquals("one", result(1));
        runner.cancel(1);
        runner.run(task(2, 0, s -> Thread.currentThread().isInterrupted() ? "interrupted" : "clean"));
        assertEquals("clean", result(2));
    }

    // ---- setups ---------------------------------------------------------------------------------

    @Test
    void aSetupRunsOnceForTheTasksOfItsContextAndAgainAfterARelease() throws Exception {
        Message.Setup s = setup(7, () -> "prepared-" + SETUP_RUNS.incrementAndGet());
        runner.setup(s);
        runner.run(task(1, 7, v -> v));
        runner.run(task(2, 7, v -> v));
        assertEquals("prepared-1", result(1));
        assertEquals("prepared-1", result(2), "the cached setup value");
        assertEquals(1, SETUP_RUNS.get());

        runner.run(task(3, 8, v -> v == null ? "no setup" : v));
        assertEquals("no setup", result(3), "a context without setup gets null");

        runner.release(7);
        runner.setup(s);
        runner.run(task(4, 7, v -> v));
        assertEquals("prepared-2", result(4), "released, so the new setup runs again");
        assertEquals(2, SETUP_RUNS.get());
    }

    @Test
    void aSetupThatThrowsFailsEveryTaskOfItsContextOnThisWorkerWithoutRunningAgain() throws Exception {
        runner.setup(setup(7, () -> {
            SETUP_RUNS.incrementAndGet();
            throw new IllegalStateException("no model");
        }));
        runner.run(task(1, 7, v -> "ran"));
        runner.run(task(2, 7, v -> "ran"));
        for (long id = 1; id <= 2; id++) {
            RemoteFailure f = failure(id);
            assertEquals("org.jparallel.SetupFailedException", f.className());
            assertEquals("java.lang.IllegalStateException", f.cause().className());
            assertEquals("no model", f.cause().message());
        }
        assertEquals(1, SETUP_RUNS.get());
        runner.run(task(3, 0, v -> "other context"));
        assertEquals("other context", result(3));
    }

    @Test
    void cancellingTheTaskWhoseSetupRunsDoesNotBreakTheContextForLaterTasks() throws Exception {
        runner.setup(setup(7, () -> {
            SETUP_RUNS.incrementAndGet();
            started.countDown();
            gate.await();
            return "ready";
        }));
        runner.run(task(1, 7, v -> v));
        awaitStarted();
        runner.cancel(1);
        failure(1);
        gate.countDown();

        runner.run(task(2, 7, v -> v));
        assertEquals("ready", result(2));
        assertEquals(2, SETUP_RUNS.get(), "the interrupted setup ran again");
    }
}
