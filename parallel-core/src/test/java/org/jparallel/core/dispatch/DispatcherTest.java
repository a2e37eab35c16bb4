package org.jparallel.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jparallel.Manager;
import org.jparallel.ManagerBuilder;
import org.jparallel.ManagerSettings;
import org.jparallel.RemoteTaskException;
import org.jparallel.TaskAttempt;
import org.jparallel.TaskFailedException;
import org.jparallel.WorkerInfo;
import org.jparallel.core.dispatch.DispatcherFakes.FakeCompletion;
import org.jparallel.core.dispatch.DispatcherFakes.FakeHandle;
import org.jparallel.core.dispatch.DispatcherFakes.FakeLink;
import org.jparallel.core.dispatch.DispatcherFakes.Listener;
import org.jparallel.core.protocol.HeldPayload;
import org.jparallel.core.protocol.HeldPayloads;
import org.jparallel.core.protocol.Message;
import org.jparallel.spi.WorkerHandle;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's rules, driven on the test thread with fake links and completions (see {@link DispatcherFakes}):
 * no sockets, no threads.
 */
class DispatcherTest {
    private static final byte[] SETUP_A = {10, 11};
    private static final byte[] SETUP_B = {20, 21};

    private final Listener listener = new Listener();
    private final AtomicInteger nextWorkerId = new AtomicInteger(100);
    private long nextTaskId = 1;
    private Dispatcher dispatcher;

    // ---- helpers --------------------------------------------------------------------------------

    private static ManagerBuilder settings() {
        return Manager.builder().prefetch(1).maxLostAttempts(3).taskRetries(0);
    }

    private void start(ManagerSettings s, Integer... workerIds) {
        dispatcher = new Dispatcher(s, listener, nextWorkerId::getAndIncrement);
        dispatcher.workersAdded(List.of(workerIds), "test");
    }

    /**
     * Starts with the automatic prefetch and a clock the test moves by hand.
     *
     * @return the clock: its one element is the time in nanoseconds
     */
    private long[] startWithAutomaticPrefetch(Integer... workerIds) {
        start(settings().prefetch(0).settings(), workerIds);
        long[] now = {0};
        dispatcher.useClock(() -> now[0]);
        return now;
    }

    private void start(Integer... workerIds) {
        start(settings().settings(), workerIds);
    }

    private static Message.Hello hello(int id) {
        return new Message.Hello(1, id, 1000 + id, "host" + id, "17", new byte[32]);
    }

    /** Connects worker 1 and opens context 1, without a setup: the start of most tests. */
    private FakeLink connectWithContext() {
        FakeLink w1 = connect(1);
        dispatcher.openContext(1, null);
        return w1;
    }

    /** Admits and attaches a worker, as the handshake handler does. */
    private FakeLink connect(int id) {
        Admission a = dispatcher.admit(hello(id));
        assertTrue(a.admitted(), () -> "admitted: " + a.rejection());
        assertEquals(id, a.workerId());
        FakeLink link = new FakeLink();
        dispatcher.attach(id, link);
        return link;
    }

    private FakeCompletion submit(int contextId) {
        return submit(contextId, new FakeCompletion(nextTaskId++));
    }

    private FakeCompletion submit(int contextId, FakeCompletion c) {
        dispatcher.submit(new QueuedTask(c, contextId, new byte[] {(byte) c.id}));
        return c;
    }

    private QueuedTask submitQueued(int contextId) {
        FakeCompletion c = new FakeCompletion(nextTaskId++);
        QueuedTask t = new QueuedTask(c, contextId, new byte[] {(byte) c.id});
        dispatcher.submit(t);
        return t;
    }

    private static Message.Task task(Message m, long id) {
        Message.Task t = assertInstanceOf(Message.Task.class, m);
        assertEquals(id, t.taskId());
        return t;
    }

    private static void setup(Message m, int contextId, byte[] payload) {
        Message.Setup s = assertInstanceOf(Message.Setup.class, m);
        assertEquals(contextId, s.contextId());
        assertArrayEquals(payload, s.payload());
    }

    private WorkerInfo worker(int id) {
        return dispatcher.stats().workers().stream().filter(w -> w.id() == id).findFirst().orElseThrow();
    }

    private static RemoteTaskException boom(String message) {
        return new RemoteTaskException("java.lang.IllegalStateException", message, new StackTraceElement[0], null);
    }

    // ---- release (automatic allocation) ---------------------------------------------------------

    @Test
    void aReleasedIdleWorkerIsToldToShutDownIsStoppedNotLostAndGetsNoMoreTasks() {
        start(1, 2);
        FakeLink w1 = connectWithContext();
        FakeLink w2 = connect(2);
        FakeHandle h1 = new FakeHandle(1);
        dispatcher.handleAttached(h1);
        List<WorkerHandle> toStop = new java.util.ArrayList<>();
        assertTrue(dispatcher.release(1, "idle for 30 s", toStop::add));
        assertEquals(List.of(Message.Shutdown.INSTANCE), w1.taken());
        assertEquals(List.of(h1), toStop);
        assertEquals(WorkerInfo.State.STOPPED, worker(1).state());
        assertEquals("idle for 30 s", worker(1).detail());
        FakeCompletion t = submit(1);
        assertEquals(List.of(t.id), w2.tasksSent());
        dispatcher.workerDisconnected(1, "connection closed");
        assertEquals(List.of(), listener.lost, "a released worker is not lost");
        assertEquals(List.of(), listener.gone);
        assertEquals(-1, dispatcher.stats().holding(1));
    }

    @Test
    void aWorkerHoldingATaskIsNotReleased() {
        start(1);
        FakeLink w1 = connectWithContext();
        FakeCompletion t = submit(1);
        w1.taken();
        assertEquals(1, dispatcher.stats().holding(1));
        assertFalse(dispatcher.release(1, "idle", h -> { }));
        assertEquals(List.of(), w1.taken());
        assertEquals(WorkerInfo.State.CONNECTED, worker(1).state());
        dispatcher.onResult(1, t.id, new byte[] {1});
        assertEquals(0, dispatcher.stats().holding(1));
    }

    // ---- setups ---------------------------------------------------------------------------------

    @Test
    void aWorkersFirstTaskOfAContextIsPrecededBySetupAndLaterOnesAreNot() {
        start(1);
        FakeLink w1 = connect(1);
        dispatcher.openContext(1, SETUP_A);
        FakeCompletion t1 = submit(1);
        List<Message> first = w1.taken();
        assertEquals(2, first.size());
        setup(first.get(0), 1, SETUP_A);
        Message.Task sent = task(first.get(1), t1.id);
        assertEquals(1, sent.contextId());
        assertArrayEquals(new byte[] {(byte) t1.id}, sent.payload());

        dispatcher.onResult(1, t1.id, new byte[] {42});
        assertArrayEquals(new byte[] {42}, t1.result);
        FakeCompletion t2 = submit(1);
        List<Message> second = w1.taken();
        assertEquals(1, second.size(), second.toString());
        task(second.get(0), t2.id);
        assertEquals(1, dispatcher.stats().setupsSent());
    }

    @Test
    void eachWorkerGetsTheSetupBeforeItsOwnFirstTaskOfTheContext() {
        start(1, 2);
        FakeLink w1 = connect(1);
        FakeLink w2 = connect(2);
        dispatcher.openContext(1, SETUP_A);
        FakeCompletion t1 = submit(1);
        FakeCompletion t2 = submit(1);
        List<Message> m1 = w1.taken();
        List<Message> m2 = w2.taken();
        setup(m1.get(0), 1, SETUP_A);
        task(m1.get(1), t1.id);
        setup(m2.get(0), 1, SETUP_A);
        task(m2.get(1), t2.id);
        assertEquals(2, dispatcher.stats().setupsSent());
    }

    @Test
    void aContextWithoutSetupSendsNoSetup() {
        start(1);
        FakeLink w1 = connectWithContext();
        FakeCompletion t1 = submit(1);
        List<Message> sent = w1.taken();
        assertEquals(1, sent.size(), sent.toString());
        task(sent.get(0), t1.id);
        assertEquals(0, dispatcher.stats().setupsSent());
    }

    @Test
    void aHeldResultThatDoesNotCountIsFreedAtOnce() {
        start(1);
        connectWithContext();
        HeldPayload late = HeldPayloads.of(new byte[] {7});
        dispatcher.onResult(1, 999L, 0, late, true);
        assertThrows(IllegalStateException.class, late::take,
                "freed at once (its read buffers back), not left for the garbage collector");
    }

    @Test
    void aBigPayloadIsFreedWhenItsOnlySendIsAnsweredButKeptOnceItWasSentAgain() {
        start(1, 2);
        FakeLink w1 = connectWithContext();
        QueuedTask once = new QueuedTask(new FakeCompletion(nextTaskId++), 1, new byte[TaskPayload.DIRECT_FROM]);
        dispatcher.submit(once);
        Message.BufferedTask sent = assertInstanceOf(Message.BufferedTask.class, w1.taken().get(0));
        assertEquals(once.id(), sent.taskId());
        dispatcher.onResult(1, once.id(), new byte[] {1});
        assertThrows(IllegalStateException.class, () -> once.message(), "freed");

        QueuedTask twice = new QueuedTask(new FakeCompletion(nextTaskId++), 1, new byte[TaskPayload.DIRECT_FROM]);
        dispatcher.submit(twice);
        w1.taken();
        FakeLink w2 = connect(2);
        dispatcher.workerDisconnected(1, "gone");
        assertInstanceOf(Message.BufferedTask.class, w2.taken().get(0), "sent again to worker 2");
        dispatcher.onResult(2, twice.id(), new byte[] {2});
        assertInstanceOf(Message.BufferedTask.class, twice.message(),
                "a task sent twice is left to the garbage collector: an earlier send might still be queued");
    }

    @Test
    void aLambdaShapeGoesToEachWorkerOnceBeforeItsFirstTaskAndToTheWorkerATaskMovesTo() {
        start(1, 2);
        FakeLink w1 = connectWithContext();
        org.jparallel.Task<Void, Integer> lambda = x -> 1;
        org.jparallel.core.serial.SendablePayload p = org.jparallel.core.serial.Payloads.serializeForSending(lambda, 1 << 20);
        int shape = p.shapes()[0];
        QueuedTask first = new QueuedTask(new FakeCompletion(nextTaskId++), 1, p, 0);
        QueuedTask second = new QueuedTask(new FakeCompletion(nextTaskId++), 1, p, 0);
        dispatcher.submit(first);
        List<Message> sent = w1.taken();
        Message.Shape sh = assertInstanceOf(Message.Shape.class, sent.get(0), sent.toString());
        assertEquals(shape, sh.id());
        task(sent.get(1), first.id());
        dispatcher.onResult(1, first.id(), new byte[] {1});
        dispatcher.submit(second);
        sent = w1.taken();
        assertEquals(1, sent.size(), "no second SHAPE to the same worker: " + sent);
        task(sent.get(0), second.id());

        FakeLink w2 = connect(2);
        dispatcher.workerDisconnected(1, "gone");
        sent = w2.taken();
        assertEquals(shape, assertInstanceOf(Message.Shape.class, sent.get(0), sent.toString()).id());
        task(sent.get(1), second.id());
    }

    // ---- one at a time ----------------------------------------------------------------------------

    @Test
    void withPrefetchOneAWorkerHoldsOneTaskAndTheSecondWaitsForTheFirstResult() {
        start(1);
        FakeLink w1 = connectWithContext();
        FakeCompletion t1 = submit(1);
        FakeCompletion t2 = submit(1);
        assertEquals(List.of(t1.id), w1.tasksSent());
        assertEquals(1, dispatcher.stats().waiting());

        dispatcher.onResult(1, t1.id, new byte[0]);
        assertEquals(List.of(t1.id, t2.id), w1.tasksSent());
        assertEquals(0, dispatcher.stats().waiting());
        w1.taken();
    }

    @Test
    void withPrefetchTwoAWorkerHoldsTwoTasks() {
        start(settings().prefetch(2).settings(), 1);
        FakeLink w1 = connectWithContext();
        FakeCompletion t1 = submit(1);
        FakeCompletion t2 = submit(1);
        FakeCompletion t3 = submit(1);
        assertEquals(List.of(t1.id, t2.id), w1.tasksSent());
        dispatcher.onResult(1, t2.id, new byte[0]);
        assertEquals(List.of(t1.id, t2.id, t3.id), w1.tasksSent());
        w1.taken();
    }

    @Test
    void automaticPrefetchSendsOneTaskUntilTheWorkerAnswersQuicklyThenSeveral() {
        long[] now = startWithAutomaticPrefetch(1);
        FakeLink w1 = connect(1);
        dispatcher.openContext(1, null);
        List<FakeCompletion> ts = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ts.add(submit(1));
        }
        assertEquals(List.of(ts.get(0).id), w1.tasksSent(), "unknown task length: one at a time");
        // an answer after 50 us: 2 ms of work is 40 such tasks
        now[0] += 50_000;
        dispatcher.onResult(1, ts.get(0).id, new byte[0]);
        assertEquals(ts.subList(0, 41).stream().map(t -> t.id).toList(), w1.tasksSent(),
                "short tasks: about 2 ms of work in flight");
        w1.taken();
    }

    @Test
    void automaticPrefetchTrustsTheWorkersOwnWorkTimeOverTheRoundTrip() {
        long[] now = startWithAutomaticPrefetch(1);
        FakeLink w1 = connect(1);
        dispatcher.openContext(1, null);
        for (int i = 0; i < 200; i++) {
            submit(1);
        }
        // the answer took 10 ms to come back (a busy manager, a slow network), but the task took 100 us
        now[0] += 10_000_000;
        dispatcher.onResult(1, w1.tasksSent().get(0), 100, new byte[0], false);
        assertEquals(1 + 20, w1.tasksSent().size(), "2 ms of 100 us tasks: 20 in flight");
        w1.taken();
    }

    @Test
    void aTaskThatThrewLeavesTheAutomaticPrefetchAsItIs() {
        long[] now = startWithAutomaticPrefetch(1);
        FakeLink w1 = connect(1);
        dispatcher.openContext(1, null);
        for (int i = 0; i < 300; i++) {
            submit(1);
        }
        dispatcher.onResult(1, w1.tasksSent().get(0), 100, new byte[0], false); // 100 us tasks: 20 in flight
        assertEquals(1 + 20, w1.tasksSent().size());
        // the failure comes 50 ms after the task was sent: not a measure of how long tasks take
        now[0] += 50_000_000;
        List<Long> sent = w1.tasksSent();
        dispatcher.onFailure(1, sent.get(1), boom("x"));
        for (int i = 2; i <= 10; i++) { // down to 10 in flight: half the depth, time to refill
            dispatcher.onResult(1, sent.get(i), 100, new byte[0], false);
        }
        assertEquals(1 + 20 + 10, w1.tasksSent().size(), "still 20 in flight: refilled to the same depth, no less");
        w1.taken();
    }

    /**
     * Issue 24 item 4: with 64, 8 worker JVMs on 2 cores were woken once per 32 trivial tasks and spent
     * 8-9 us of CPU a task, twice what they spent at 256 (docs/benchmarks/2026-12-06-many.md).
     */
    @Test
    void aWorkerRunningTrivialTasksHolds256AndIsRefilledInWritesOf128() {
        startWithAutomaticPrefetch(1);
        FakeLink w1 = connectWithContext();
        for (int i = 0; i < 600; i++) {
            submit(1);
        }
        dispatcher.onResult(1, w1.tasksSent().get(0), 1, new byte[0], false); // 1 us tasks: the cap
        List<Long> sent = w1.tasksSent();
        assertEquals(1 + 256, sent.size(), "1 us tasks: 256 in flight");
        for (int i = 1; i < 128; i++) {
            dispatcher.onResult(1, sent.get(i), 1, new byte[0], false);
        }
        assertEquals(1 + 256, w1.tasksSent().size(), "129 in flight: not refilled yet");
        dispatcher.onResult(1, sent.get(128), 1, new byte[0], false);
        assertEquals(1 + 256 + 128, w1.tasksSent().size(), "128 in flight, half the depth: 128 more in one write");
        w1.taken();
    }

    @Test
    void aWorkerRunningShortTasksIsRefilledInBatchesOfHalfItsDepth() {
        startWithAutomaticPrefetch(1);
        FakeLink w1 = connectWithContext();
        for (int i = 0; i < 300; i++) {
            submit(1);
        }
        dispatcher.onResult(1, w1.tasksSent().get(0), 100, new byte[0], false); // 100 us tasks: 20 in flight
        List<Long> sent = w1.tasksSent();
        assertEquals(21, sent.size());
        for (int i = 1; i <= 9; i++) {
            dispatcher.onResult(1, sent.get(i), 100, new byte[0], false);
        }
        assertEquals(21, w1.tasksSent().size(), "11 in flight: no write of one task per answer");
        dispatcher.onResult(1, sent.get(10), 100, new byte[0], false);
        assertEquals(31, w1.tasksSent().size(), "10 in flight, half the depth: 10 more in one go");
        w1.taken();
    }

    @Test
    void automaticPrefetchKeepsLongTasksOneAtATimeAndCapsShortOnes() {
        long[] now = startWithAutomaticPrefetch(1, 2);
        FakeLink w1 = connect(1);
        dispatcher.openContext(1, null);
        List<FakeCompletion> ts = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            ts.add(submit(1));
        }
        now[0] += 3_000_000; // worker 1's task took 3 ms: more than the 2 ms a worker may hold
        dispatcher.onResult(1, w1.tasksSent().get(0), new byte[0]);
        assertEquals(2, w1.tasksSent().size(), "a 3 ms task: the next one only");
        FakeLink w2 = connect(2);
        now[0] += 1_000; // worker 2's first task took 1 us
        dispatcher.onResult(2, w2.tasksSent().get(0), new byte[0]);
        assertEquals(1 + ManagerSettings.AUTO_PREFETCH_MAX, w2.tasksSent().size(), "tiny tasks: at most the cap");
        w1.taken();
        w2.taken();
    }

    @Test
    void tasksSubmittedBeforeAnyWorkerWaitAndGoToTheFirstWorkerThatAttaches() {
        start(1);
        dispatcher.openContext(1, null);
        FakeCompletion t1 = submit(1);
        assertEquals(1, dispatcher.stats().waiting());
        FakeLink w1 = connect(1);
        assertEquals(List.of(t1.id), w1.tasksSent());
        w1.taken();
    }

    @Test
    void anAdmittedWorkerGetsNoTaskBeforeItIsAttached() {
        start(1);
        dispatcher.openContext(1, null);
        submit(1);
        assertTrue(dispatcher.admit(hello(1)).admitted());
        assertEquals(1, dispatcher.stats().waiting(), "admitted but not welcomed yet: no task");
    }

    // ---- preferring held setups ---------------------------------------------------------------------

    @Test
    void aWorkerHoldingContextASetupIsGivenAsTaskBeforeAnOlderTaskOfB() {
        start(1);
        FakeLink w1 = connect(1);
        dispatcher.openContext(1, SETUP_A);
        dispatcher.openContext(2, SETUP_B);
        FakeCompletion a1 = submit(1);
        FakeCompletion b2 = submit(2);
        FakeCompletion a3 = submit(1);
        assertTrue(b2.id < a3.id);
        List<Message> m = w1.taken();
        setup(m.get(0), 1, SETUP_A);
        task(m.get(1), a1.id);

        dispatcher.onResult(1, a1.id, new byte[0]);
        List<Message> next = w1.taken();
        assertEquals(1, next.size(), "A's task, no setup: " + next);
        task(next.get(0), a3.id);

        dispatcher.onResult(1, a3.id, new byte[0]);
        List<Message> last = w1.taken();
        setup(last.get(0), 2, SETUP_B);
        task(last.get(1), b2.id);
    }

    @Test
    void withoutAHeldSetupTheOldestWaitingTaskOfAnyContextGoesFirst() {
        start(1);
        dispatcher.openContext(1, SETUP_A);
        dispatcher.openContext(2, SETUP_B);
        FakeCompletion b1 = submit(2);
        submit(1);
        FakeLink w1 = connect(1);
        List<Message> m = w1.taken();
        setup(m.get(0), 2, SETUP_B);
        task(m.get(1), b1.id);
    }

    // ---- exactly once -------------------------------------------------------------------------------

    @Test
    void aResultFromAWorkerThatDoesNotHoldTheTaskIsDroppedAndCompletionIsCalledOnce() {
        start(1, 2);
        FakeLink w1 = connect(1);
        FakeLink w2 = connect(2);
        dispatcher.openContext(1, null);
        FakeCompletion t1 = submit(1);
        assertEquals(List.of(t1.id), w1.tasksSent());

        dispatcher.onResult(2, t1.id, new byte[] {2});
        assertEquals(0, t1.calls, "worker 2 never held the task");
        dispatcher.onResult(1, 999L, new byte[] {3});

        dispatcher.onResult(1, t1.id, new byte[] {1});
        assertEquals(1, t1.calls);
        assertArrayEquals(new byte[] {1}, t1.result);

        dispatcher.onResult(1, t1.id, new byte[] {4});
        dispatcher.onFailure(1, t1.id, boom("late"));
        assertEquals(1, t1.calls, "a duplicate is dropped");
        assertArrayEquals(new byte[] {1}, t1.result);
        assertEquals(1, dispatcher.stats().succeeded());
        assertEquals(0, dispatcher.stats().failed());
        assertEquals(1, worker(1).tasksCompleted());
        assertEquals(0, worker(2).tasksCompleted());
        assertTrue(w2.tasksSent().isEmpty());
    }

    @Test
    void aLateResultFromALostWorkerIsDroppedAfterTheTaskMovedOn() {
        start(1, 2);
        FakeLink w1 = connectWithContext();
        FakeCompletion t1 = submit(1);
        FakeLink w2 = connect(2);
        dispatcher.workerDisconnected(1, "connection reset");
        assertEquals(List.of(t1.id), w2.tasksSent());

        dispatcher.onResult(1, t1.id, new byte[] {1});
        assertEquals(0, t1.calls, "the lost worker's late result is dropped");
        dispatcher.onResult(2, t1.id, new byte[] {2});
        assertEquals(1, t1.calls);
        assertArrayEquals(new byte[] {2}, t1.result);
        assertEquals(List.of(t1.id), w1.tasksSent());
    }

    // ---- failover -----------------------------------------------------------------------------------

    @Test
    void aTaskOnALostWorkerIsResentToAnotherWorkerWithTheAttemptRecordedAndTheWorkerStopped() {
        start(1, 2);
        FakeHandle h1 = new FakeHandle(1);
        dispatcher.handleAttached(h1);
        FakeLink w1 = connect(1);
        dispatcher.openContext(1, SETUP_A);
        QueuedTask q = submitQueued(1);
        FakeCompletion t1 = (FakeCompletion) q.completion;
        assertEquals(List.of(t1.id), w1.tasksSent());
        FakeLink w2 = connect(2);
        assertTrue(w2.taken().isEmpty());

        dispatcher.workerDisconnected(1, "no heartbeat for 20000 ms");
        List<Message> resent = w2.taken();
        setup(resent.get(0), 1, SETUP_A);
        task(resent.get(1), t1.id);
        assertEquals(0, t1.calls, "the task is not completed by the loss");

        List<TaskAttempt> attempts = q.attempts();
        assertEquals(1, attempts.size());
        TaskAttempt a = attempts.get(0);
        assertEquals(TaskAttempt.Outcome.WORKER_LOST, a.outcome());
        assertEquals("no heartbeat for 20000 ms", a.detail());
        assertTrue(a.worker().contains("worker 1"), a.worker());
        assertEquals(h1.logLocation(), a.logFile());
        assertNull(a.cause());

        assertEquals(List.of(h1), listener.stopped);
        assertEquals(WorkerInfo.State.LOST, worker(1).state());
        assertEquals("no heartbeat for 20000 ms", worker(1).detail());
        assertEquals(1, listener.gone.size());
        assertTrue(listener.gone.get(0).contains("worker 1"), listener.gone.get(0));

        dispatcher.onResult(2, t1.id, new byte[] {7});
        assertEquals(1, t1.calls);
        assertArrayEquals(new byte[] {7}, t1.result);
    }

    @Test
    void tasksOfALostWorkerGoBackToTheFrontOfTheQueueInTheirOrder() {
        start(settings().prefetch(2).settings(), 1, 2);
        FakeLink w1 = connectWithContext();
        FakeCompletion t1 = submit(1);
        FakeCompletion t2 = submit(1);
        FakeCompletion t3 = submit(1);
        assertEquals(List.of(t1.id, t2.id), w1.tasksSent());
        dispatcher.workerDisconnected(1, "gone");
        assertEquals(3, dispatcher.stats().waiting());
        FakeLink w2 = connect(2);
        assertEquals(List.of(t1.id), w2.tasksSent(), "the lost tasks first, oldest first, each alone");
        dispatcher.onResult(2, t1.id, new byte[0]);
        assertEquals(List.of(t1.id, t2.id), w2.tasksSent());
        dispatcher.onResult(2, t2.id, new byte[0]);
        assertEquals(List.of(t1.id, t2.id, t3.id), w2.tasksSent());
        w2.taken();
    }

    @Test
    void afterMaxLostAttemptsLossesTheTaskFailsWithEveryAttemptListed() {
        start(1, 2, 3, 4);
        dispatcher.openContext(1, null);
        FakeLink w1 = connect(1);
        FakeCompletion t1 = submit(1);
        FakeLink w2 = connect(2);
        FakeLink w3 = connect(3);
        FakeLink w4 = connect(4);
        dispatcher.workerDisconnected(1, "killed by signal 9");
        assertEquals(List.of(t1.id), w2.tasksSent());
        dispatcher.workerDisconnected(2, "killed by signal 9");
        assertEquals(List.of(t1.id), w3.tasksSent());
        assertEquals(0, t1.calls);
        dispatcher.workerDisconnected(3, "killed by signal 9");

        assertEquals(1, t1.calls);
        TaskFailedException f = t1.failure;
        assertEquals(t1.id, f.getTaskId());
        assertEquals(3, f.getAttempts().size());
        for (int i = 0; i < 3; i++) {
            TaskAttempt a = f.getAttempts().get(i);
            assertEquals(TaskAttempt.Outcome.WORKER_LOST, a.outcome());
            assertTrue(a.worker().contains("worker " + (i + 1)), a.worker());
            assertTrue(f.getMessage().contains("attempt " + (i + 1) + ": WORKER_LOST on worker " + (i + 1)), f.getMessage());
        }
        assertTrue(f.getMessage().contains("lost 3 time(s)"), f.getMessage());
        assertTrue(w4.tasksSent().isEmpty(), "a task that used up its budget is not sent again");
        assertEquals(0, dispatcher.stats().waiting());
        assertEquals(1, dispatcher.stats().failed());
        assertEquals(List.of(t1.id), w1.tasksSent());
    }

    @Test
    void withMaxLostAttemptsOneTheFirstLossFailsTheTask() {
        start(settings().maxLostAttempts(1).settings(), 1, 2);
        dispatcher.openContext(1, null);
        connect(1);
        FakeCompletion t1 = submit(1);
        FakeLink w2 = connect(2);
        dispatcher.workerDisconnected(1, "gone");
        assertEquals(1, t1.failure.getAttempts().size());
        assertTrue(w2.tasksSent().isEmpty());
    }

    @Test
    void aTaskThatThrewWithTaskRetriesTwoRunsThreeTimesAndThenFailsWithThreeThrewAttempts() {
        start(settings().taskRetries(2).settings(), 1);
        FakeHandle h1 = new FakeHandle(1);
        dispatcher.handleAttached(h1);
        FakeLink w1 = connect(1);
        dispatcher.openContext(1, null);
        FakeCompletion t1 = submit(1);
        RemoteTaskException last = null;
        for (int i = 1; i <= 3; i++) {
            assertEquals(i, w1.tasksSent().size(), "run " + i);
            assertEquals(0, t1.calls);
            last = boom("boom " + i);
            dispatcher.onFailure(1, t1.id, last);
        }
        assertEquals(3, w1.tasksSent().size(), "not run a fourth time");
        assertEquals(1, t1.calls);
        TaskFailedException f = t1.failure;
        assertEquals(3, f.getAttempts().size());
        for (int i = 0; i < 3; i++) {
            TaskAttempt a = f.getAttempts().get(i);
            assertEquals(TaskAttempt.Outcome.THREW, a.outcome());
            assertEquals("java.lang.IllegalStateException: boom " + (i + 1), a.detail());
            assertEquals("java.lang.IllegalStateException", a.cause().getRemoteClassName());
            assertEquals(h1.logLocation(), a.logFile());
        }
        assertSame(last, f.getCause(), "the cause is the last remote exception");
        assertEquals(1, dispatcher.stats().failed());
        assertEquals(3, worker(1).tasksCompleted());
        assertEquals(WorkerInfo.State.CONNECTED, worker(1).state(), "a task that throws does not cost its worker");
    }

    @Test
    void aTaskThatThrewWithTaskRetriesZeroFailsAtOnceAndTheWorkerTakesTheNextTask() {
        start(1);
        FakeLink w1 = connectWithContext();
        FakeCompletion t1 = submit(1);
        FakeCompletion t2 = submit(1);
        dispatcher.onFailure(1, t1.id, boom("x"));
        assertEquals(1, t1.failure.getAttempts().size());
        assertEquals(List.of(t1.id, t2.id), w1.tasksSent());
        w1.taken();
    }

    @Test
    void aTaskThatThrewOnceAndThenSucceededDeliversItsValue() {
        start(settings().taskRetries(1).settings(), 1);
        connect(1);
        dispatcher.openContext(1, null);
        FakeCompletion t1 = submit(1);
        dispatcher.onFailure(1, t1.id, boom("flaky"));
        dispatcher.onResult(1, t1.id, new byte[] {5});
        assertEquals(1, t1.calls);
        assertArrayEquals(new byte[] {5}, t1.result);
    }

    // ---- cancel, close, shutdown ----------------------------------------------------------------------

    @Test
    void aCancelledWaitingTaskIsNeverSent() {
        start(1);
        FakeLink w1 = connectWithContext();
        FakeCompletion t1 = submit(1);
        FakeCompletion t2 = submit(1);
        FakeCompletion t3 = submit(1);
        t2.cancelled = true;
        dispatcher.onResult(1, t1.id, new byte[0]);
        dispatcher.onResult(1, t3.id, new byte[0]);
        assertEquals(List.of(t1.id, t3.id), w1.tasksSent());
        assertEquals(0, t2.calls, "the dispatcher just drops it; its future was completed by the cancel");
        assertEquals(0, dispatcher.stats().waiting());
        w1.taken();
    }

    @Test
    void cancellingATaskAsksOnlyAWorkerThatWasSentItToSkipIt() {
        start(1);
        FakeLink w1 = connectWithContext();
        FakeCompletion running = submit(1);
        FakeCompletion waiting = submit(1);
        w1.taken();
        assertEquals(1, running.sends);
        assertEquals(0, waiting.sends);

        waiting.cancelled = true;
        dispatcher.cancel(waiting, true);
        assertTrue(w1.taken().isEmpty(), "a task never sent is on no worker: nothing to tell");

        running.cancelled = true;
        dispatcher.cancel(running, true);
        Message.Cancel c = assertInstanceOf(Message.Cancel.class, w1.taken().get(0));
        assertEquals(running.id, c.taskId());
        assertTrue(c.interrupt());
    }

    @Test
    void aResultOfACancelledRunningTaskIsNotDelivered() {
        start(1);
        connect(1);
        dispatcher.openContext(1, null);
        FakeCompletion t1 = submit(1);
        t1.cancelled = true;
        dispatcher.onResult(1, t1.id, new byte[0]);
        assertEquals(0, t1.calls);
        assertEquals(0, dispatcher.stats().succeeded());
    }

    @Test
    void closeContextAbandonsItsWaitingTasksAndSendsReleaseToWorkersHoldingTheSetup() {
        start(1, 2);
        FakeLink w1 = connect(1);
        dispatcher.openContext(1, SETUP_A);
        dispatcher.openContext(2, SETUP_B);
        FakeCompletion a1 = submit(1);
        FakeLink w2 = connect(2);
        FakeCompletion b2 = submit(2);
        FakeCompletion a3 = submit(1);
        FakeCompletion a4 = submit(1);
        w1.taken();
        w2.taken();
        assertEquals(2, dispatcher.stats().waiting());

        dispatcher.closeContext(1);
        assertEquals("its context was closed", a3.abandoned);
        assertEquals("its context was closed", a4.abandoned);
        assertEquals(1, a3.calls);
        assertEquals(0, dispatcher.stats().waiting());
        List<Message> r = w1.taken();
        assertEquals(1, r.size(), r.toString());
        assertEquals(1, assertInstanceOf(Message.Release.class, r.get(0)).contextId());
        assertTrue(w2.taken().isEmpty(), "worker 2 never held context 1's setup");

        // the running task of the closed context completes once (abandoned), its late result is dropped
        assertEquals(1, a1.calls);
        dispatcher.onResult(1, a1.id, new byte[0]);
        assertEquals(1, a1.calls);
        assertNull(a1.result);
        assertTrue(w1.taken().isEmpty(), "nothing left to run on worker 1");

        FakeCompletion late = submit(1);
        assertEquals("its context was closed", late.abandoned);
        dispatcher.onResult(2, b2.id, new byte[] {1});
        assertEquals(1, b2.calls);
        assertArrayEquals(new byte[] {1}, b2.result);
    }

    @Test
    void aWorkerServesANewContextAfterTheFirstIsClosedWithReleaseThenTheNewSetup() {
        start(1);
        FakeLink w1 = connect(1);
        dispatcher.openContext(1, SETUP_A);
        FakeCompletion t1 = submit(1);
        dispatcher.onResult(1, t1.id, new byte[0]);
        dispatcher.closeContext(1);
        dispatcher.openContext(2, SETUP_B);
        FakeCompletion t2 = submit(2);
        List<Message> m = w1.taken();
        assertEquals(5, m.size(), m.toString());
        setup(m.get(0), 1, SETUP_A);
        task(m.get(1), t1.id);
        assertEquals(1, assertInstanceOf(Message.Release.class, m.get(2)).contextId());
        setup(m.get(3), 2, SETUP_B);
        task(m.get(4), t2.id);
        assertEquals(2, dispatcher.stats().setupsSent());
    }

    @Test
    void workerFailedToStartOfTheLastWorkerCallsWorkerGoneWithASummaryNamingTheWorkerAndTheDetail() {
        start(7);
        FakeHandle h = new FakeHandle(7);
        dispatcher.handleAttached(h);
        dispatcher.workerFailedToStart(7, "exited with code 1; last lines of its output:\n    Error: no java");
        assertEquals(1, listener.gone.size());
        String summary = listener.gone.get(0);
        assertTrue(summary.contains("1 of 1 worker(s) are gone"), summary);
        assertTrue(summary.contains("worker 7"), summary);
        assertTrue(summary.contains("failed"), summary);
        assertTrue(summary.contains("exited with code 1"), summary);
        assertTrue(summary.contains("Error: no java"), summary);
        assertEquals(List.of(h), listener.stopped);
        assertEquals(WorkerInfo.State.FAILED, worker(7).state());

        Admission late = dispatcher.admit(hello(7));
        assertFalse(late.admitted(), "a worker that failed to start cannot join later");
        assertTrue(late.rejection().contains("FAILED"), late.rejection());

        dispatcher.workerFailedToStart(7, "again");
        assertEquals(1, listener.gone.size(), "reported once");
    }

    @Test
    void theSummaryNamesEveryGoneWorker() {
        start(1, 2);
        dispatcher.workerFailedToStart(1, "qsub said no");
        connect(2);
        dispatcher.workerDisconnected(2, "connection reset");
        String summary = listener.gone.get(1);
        assertTrue(summary.contains("2 of 2 worker(s) are gone"), summary);
        assertTrue(summary.contains("worker 1 (test): failed - qsub said no"), summary);
        assertTrue(summary.contains("worker 2 (test, pid 1002 on host2): lost - connection reset"), summary);
    }

    @Test
    void aHandleAttachedAfterTheWorkerFailedIsStopped() {
        start(1);
        dispatcher.workerFailedToStart(1, "timeout");
        FakeHandle h = new FakeHandle(1);
        dispatcher.handleAttached(h);
        assertEquals(List.of(h), listener.stopped);
        FakeHandle unknown = new FakeHandle(55);
        dispatcher.handleAttached(unknown);
        assertEquals(List.of(h, unknown), listener.stopped);
    }

    @Test
    void shutdownSendsShutdownToConnectedWorkersAndAbandonsWaitingTasks() {
        start(1, 2, 3);
        FakeLink w1 = connect(1);
        FakeLink w2 = connect(2);
        dispatcher.openContext(1, null);
        FakeCompletion t1 = submit(1);
        FakeCompletion t2 = submit(1);
        FakeCompletion t3 = submit(1);
        w1.taken();
        w2.taken();

        dispatcher.shutdown();
        assertSame(Message.Shutdown.INSTANCE, w1.taken().get(0));
        assertSame(Message.Shutdown.INSTANCE, w2.taken().get(0));
        assertEquals("the manager was closed", t3.abandoned);
        assertEquals(1, t1.calls);
        assertEquals(1, t2.calls);
        assertEquals(1, t3.calls);
        assertEquals(0, dispatcher.stats().waiting());
        for (WorkerInfo w : dispatcher.stats().workers()) {
            assertEquals(WorkerInfo.State.STOPPED, w.state(), w.toString());
        }

        FakeCompletion after = submit(1);
        assertEquals("the manager is closed", after.abandoned);
        assertFalse(dispatcher.admit(hello(3)).admitted());
        dispatcher.workerDisconnected(1, "closed");
        dispatcher.onResult(2, t2.id, new byte[0]);
        assertEquals(1, t2.calls);
        assertTrue(listener.gone.isEmpty(), "workers leaving at shutdown are not reported as gone");
        assertTrue(w1.taken().isEmpty());
    }

    // ---- admission --------------------------------------------------------------------------------------

    @Test
    void aHelloWithAnUnknownIdIsAdmittedAsANewWorkerWithAFreshId() {
        start(1);
        Admission a = dispatcher.admit(hello(0));
        assertTrue(a.admitted());
        assertEquals(100, a.workerId());
        Admission b = dispatcher.admit(hello(42));
        assertEquals(101, b.workerId());
        assertEquals(List.of(-1, -1), listener.connected);
        WorkerInfo w = worker(100);
        assertEquals(WorkerInfo.State.CONNECTED, w.state());
        assertEquals("started by hand", w.description());
        assertEquals(WorkerInfo.State.STARTING, worker(1).state());

        FakeLink link = new FakeLink();
        dispatcher.attach(100, link);
        dispatcher.openContext(1, null);
        FakeCompletion t = submit(1);
        assertEquals(List.of(t.id), link.tasksSent());
    }

    @Test
    void aStartedWorkerIsAdmittedUnderItsOwnIdOnceOnly() {
        start(1);
        Admission a = dispatcher.admit(hello(1));
        assertEquals(new Admission(1, null), a);
        assertEquals(List.of(1), listener.connected);
        Admission again = dispatcher.admit(hello(1));
        assertFalse(again.admitted());
        assertEquals(-1, again.workerId());
        assertTrue(again.rejection().contains("worker id 1 is CONNECTED"), again.rejection());
        assertEquals(1, dispatcher.stats().connectedEver());
    }

    @Test
    void attachingAWorkerThatIsNotConnectedClosesTheLink() {
        start(1);
        FakeLink link = new FakeLink();
        dispatcher.attach(1, link);
        assertTrue(link.closed);
        FakeLink unknown = new FakeLink();
        dispatcher.attach(9, unknown);
        assertTrue(unknown.closed);
    }
}
