package org.jparallel.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jparallel.Manager;
import org.jparallel.ManagerSettings;
import org.jparallel.TaskAttempt;
import org.jparallel.core.dispatch.DispatcherFakes.FakeCompletion;
import org.jparallel.core.dispatch.DispatcherFakes.FakeLink;
import org.jparallel.core.dispatch.DispatcherFakes.FakeScheduler;
import org.jparallel.core.dispatch.DispatcherFakes.Listener;
import org.jparallel.core.protocol.Message;
import org.junit.jupiter.api.Test;

/**
 * Workers with several task slots: how many tasks they are given, when each task's time limit starts,
 * and what a lost multi-slot worker's tasks are charged. Driven on the test thread with a hand-driven
 * scheduler.
 */
class DispatcherSlotsTest {
    private static final long TIMEOUT = 500;

    private final Listener listener = new Listener();
    private final FakeScheduler clock = new FakeScheduler();
    private long nextTaskId = 1;
    private Dispatcher dispatcher;

    private void start(ManagerSettings s, Integer... workerIds) {
        dispatcher = new Dispatcher(s, listener, () -> 100, clock);
        dispatcher.workersAdded(List.of(workerIds), "test");
        dispatcher.openContext(1, null);
    }

    private FakeLink connect(int id, int slots) {
        Admission a = dispatcher.admit(new Message.Hello(1, id, 1000 + id, "host" + id, "17", new byte[32], -1, slots));
        assertTrue(a.admitted(), () -> "admitted: " + a.rejection());
        FakeLink link = new FakeLink();
        dispatcher.attach(id, link);
        return link;
    }

    private QueuedTask submit(long timeoutMillis) {
        FakeCompletion c = new FakeCompletion(nextTaskId++);
        QueuedTask t = new QueuedTask(c, 1, new byte[] {(byte) c.id}, timeoutMillis);
        dispatcher.submit(t);
        return t;
    }

    private List<QueuedTask> submit(int n, long timeoutMillis) {
        List<QueuedTask> ts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ts.add(submit(timeoutMillis));
        }
        return ts;
    }

    private static List<Long> ids(List<QueuedTask> ts) {
        return ts.stream().map(QueuedTask::id).toList();
    }

    @Test
    void aWorkerWithFourSlotsIsGivenItsPrefetchPerSlot() {
        start(Manager.builder().prefetch(2).settings(), 1, 2);
        List<QueuedTask> ts = submit(12, 0);
        FakeLink four = connect(1, 4);
        assertEquals(ids(ts.subList(0, 8)), four.tasksSent(), "2 per slot, 4 slots");
        FakeLink one = connect(2, 1);
        assertEquals(ids(ts.subList(8, 10)), one.tasksSent(), "a one-slot worker as before");
        assertEquals(4, dispatcher.stats().workers().get(0).slots());
        assertEquals(1, dispatcher.stats().workers().get(1).slots());
    }

    @Test
    void tasksAddedOneAtATimeFillEverySlotOfAWorkerWhateverItsPrefetch() {
        for (int prefetch : new int[] {0, 1}) {
            for (int slots : new int[] {2, 4, 8}) {
                start(Manager.builder().prefetch(prefetch).settings(), 1);
                FakeLink link = connect(1, slots);
                List<QueuedTask> ts = new ArrayList<>();
                for (int i = 0; i < slots; i++) {
                    ts.add(submit(0));
                }
                assertEquals(ids(ts), link.tasksSent(), "prefetch " + prefetch + ", " + slots
                        + " slots: a task added while a slot is free goes to it");
            }
        }
    }

    @Test
    void aWorkerWithoutASlotCountInItsHelloHasOneSlot() {
        start(Manager.builder().prefetch(1).settings(), 1);
        submit(3, 0);
        dispatcher.admit(new Message.Hello(1, 1, 1001, "h", "17", new byte[32]));
        FakeLink link = new FakeLink();
        dispatcher.attach(1, link);
        assertEquals(1, link.tasksSent().size());
    }

    @Test
    void eachSlotStartsTheTimeLimitOfTheTaskItRunsAndAnAnswerStartsTheNextHeldTask() {
        start(Manager.builder().prefetch(2).maxLostAttempts(3).taskRetries(0).settings(), 1);
        List<QueuedTask> ts = submit(4, TIMEOUT);
        connect(1, 2);
        assertEquals(2, clock.pending().size(), "two slots: the first two tasks run at once, the other two wait");
        dispatcher.onResult(1, ts.get(1).id(), new byte[0]); // the second slot finished first
        assertEquals(3, clock.pending().size(), "the third task starts in the freed slot");
        dispatcher.onResult(1, ts.get(0).id(), new byte[0]);
        assertEquals(4, clock.pending().size(), "and the fourth in the other");
    }

    @Test
    void aTimedOutTaskOnAMultiSlotWorkerIsInterruptedAndItsWorkerStoppedIfItIgnoresIt() {
        start(Manager.builder().prefetch(1).maxLostAttempts(3).taskRetries(0).settings(), 1);
        List<QueuedTask> ts = submit(2, TIMEOUT);
        FakeLink w = connect(1, 2);
        w.taken();
        clock.pending().get(1).run(); // the task in the second slot times out
        assertEquals(TaskAttempt.Outcome.TIMED_OUT, ts.get(1).attempts().get(0).outcome());
        List<FakeScheduler.Scheduled> p = clock.pending();
        assertEquals(TaskTimeouts.CANCEL_GRACE_MILLIS, p.get(p.size() - 1).delayMillis);
        p.get(p.size() - 1).run();
        assertTrue(w.closed, "the task in a slot ignored its interruption: the worker is stopped");
    }

    @Test
    void aLostWorkerRunningSeveralTasksChargesNoneAndEachIsResentAlone() {
        start(Manager.builder().prefetch(1).maxLostAttempts(1).taskRetries(0).settings(), 1, 2);
        List<QueuedTask> ts = submit(4, 0);
        connect(1, 4);
        dispatcher.workerDisconnected(1, "killed");
        for (QueuedTask t : ts) {
            assertEquals(0, t.attemptsThat(TaskAttempt.Outcome.WORKER_LOST), "four ran at once: none is to blame");
            assertTrue(t.runsAlone, "each is resent alone, so a task that kills its worker shows itself");
            assertFalse(t.isOver());
        }
        FakeLink w2 = connect(2, 4);
        assertEquals(List.of(ts.get(0).id()), w2.tasksSent(), "alone: the 4-slot worker gets one of them");
        dispatcher.onResult(2, ts.get(0).id(), new byte[0]);
        assertEquals(List.of(ts.get(0).id(), ts.get(1).id()), w2.tasksSent());
    }

    private QueuedTask submitCpus(int cpus) {
        FakeCompletion c = new FakeCompletion(nextTaskId++);
        QueuedTask t = new QueuedTask(c, 1, new byte[] {(byte) c.id}, 0);
        t.needCpus(cpus);
        dispatcher.submit(t);
        return t;
    }

    @Test
    void aTwoCpuTaskGoesOnlyWhereTwoSlotsAreFreeAndNothingIsQueuedBeyondTheSlotsBesideIt() {
        start(Manager.builder().prefetch(2).settings(), 1);
        QueuedTask one = submit(0);
        connect(1, 4);
        QueuedTask two = submitCpus(2);
        submit(6, 0);
        assertEquals(4, dispatcher.stats().workers().get(0).busySlots(), "1 + 2 cpus + 1 more: its 4 slots");
        assertEquals(5, dispatcher.stats().waiting(), "no prefetch while the 2-cpu task is held");
        dispatcher.onResult(1, two.id(), new byte[0]);
        assertEquals(0, dispatcher.stats().waiting(), "back to 2 per slot once it is answered: the 5 fit in its 8");
        assertFalse(one.isOver());
    }

    @Test
    void aTwoCpuTaskWaitsForAWorkerHoldingTooMuchToAnswer() {
        start(Manager.builder().prefetch(1).settings(), 1);
        List<QueuedTask> ones = submit(3, 0);
        FakeLink w = connect(1, 4);
        QueuedTask two = submitCpus(2);
        assertEquals(ids(ones), w.tasksSent(), "3 of 4 slots busy: a 2-cpu task does not fit");
        dispatcher.onResult(1, ones.get(0).id(), new byte[0]);
        assertEquals(two.id(), w.tasksSent().get(3), "2 slots free now");
    }

    /**
     * Found by the dispatcher's model (seed 5623870304257783456, CI on Java 17): a 2-cpu task back in the queue
     * after its worker died had been sent once, so its cancellation looked for it on the workers and did not pump:
     * the worker kept for it stayed unready, and a task behind it waited beside a free slot.
     */
    @Test
    void aWorkerKeptForATwoCpuTaskRequeuedAfterItsWorkerDiedTakesOtherTasksOnceThatTaskIsCancelled() {
        start(Manager.builder().prefetch(1).maxLostAttempts(3).settings(), 1, 2);
        FakeLink small = connect(2, 2);
        QueuedTask a = submit(0);
        connect(1, 4);
        FakeCompletion twoCompletion = new FakeCompletion(nextTaskId++);
        QueuedTask two = new QueuedTask(twoCompletion, 1, new byte[] {9}, 0);
        two.needCpus(2);
        dispatcher.submit(two);
        assertEquals(List.of(a.id()), small.tasksSent(), "the 2-cpu task does not fit beside a on 2 slots");
        dispatcher.workerDisconnected(1, "killed"); // two is queued again, first: worker 2 is kept for it
        QueuedTask b = submit(0);
        assertEquals(List.of(a.id()), small.tasksSent(), "b waits behind the 2-cpu task kept its place");
        twoCompletion.cancelled = true;
        dispatcher.cancel(twoCompletion, true);
        assertEquals(List.of(a.id(), b.id()), small.tasksSent(), "the task worker 2 was kept for is cancelled:"
                + " b takes its free slot");
    }

    @Test
    void aTaskAskingForMoreCpusThanAnyGroupsWorkersHaveFailsAtOnceSayingSo() {
        dispatcher = new Dispatcher(Manager.builder().settings(), listener, () -> 100, clock);
        dispatcher.workersAdded(List.of(1), "test", null, 4);
        dispatcher.openContext(1, null);
        QueuedTask t = submitCpus(5);
        FakeCompletion c = (FakeCompletion) t.completion;
        assertTrue(c.failure != null && c.failure.getMessage().contains("asks for 5 cpus")
                && c.failure.getMessage().contains("the most task slots of a worker is 4"), String.valueOf(c.failure));
        QueuedTask fits = submitCpus(4);
        assertEquals(null, ((FakeCompletion) fits.completion).failure);
    }
}
