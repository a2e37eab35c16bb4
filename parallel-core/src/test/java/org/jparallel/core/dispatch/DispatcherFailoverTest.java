package org.jparallel.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jparallel.Manager;
import org.jparallel.ManagerBuilder;
import org.jparallel.TaskAttempt;
import org.jparallel.core.dispatch.DispatcherFakes.FakeCompletion;
import org.jparallel.core.dispatch.DispatcherFakes.FakeLink;
import org.jparallel.core.dispatch.DispatcherFakes.FakeScheduler;
import org.jparallel.core.protocol.Message;
import org.junit.jupiter.api.Test;

/**
 * Which tasks a lost worker is charged to, and when a task's time limit starts, with several tasks on
 * a worker: only a task that may have been running there is charged a WORKER_LOST attempt, and a
 * task's clock starts when its worker reaches it, not when it is sent. Driven on the test thread with
 * fakes: no sockets, no threads, no sleeps.
 */
class DispatcherFailoverTest extends DispatcherRig {
    private static final long TIMEOUT = 500;

    private static ManagerBuilder settings(int prefetch) {
        return Manager.builder().prefetch(prefetch).maxLostAttempts(3).taskRetries(0);
    }

    private void start(int prefetch, Integer... workerIds) {
        start(settings(prefetch).settings(), workerIds);
    }

    /** Submits {@code n} tasks without time limit in one go, as the manager's inbox does. */
    private List<QueuedTask> submitUntimed(int n) {
        return submitAll(new long[n]);
    }

    /** Submits a task for each time limit (0 for none) in one go, as the manager's inbox does. */
    private List<QueuedTask> submitAll(long... timeoutMillis) {
        List<QueuedTask> ts = new ArrayList<>();
        for (long timeout : timeoutMillis) {
            ts.add(DispatcherFakes.task(nextTaskId++, timeout));
        }
        dispatcher.submitAll(ts);
        return ts;
    }

    private static FakeCompletion c(QueuedTask t) {
        return (FakeCompletion) t.completion;
    }

    private static List<Long> ids(List<QueuedTask> ts) {
        return ts.stream().map(QueuedTask::id).toList();
    }

    private static List<Long> newlySent(FakeLink link) {
        return link.taken().stream().filter(m -> m instanceof Message.Task).map(m -> ((Message.Task) m).taskId())
                .toList();
    }

    private void answer(int workerId, QueuedTask t) {
        dispatcher.onResult(workerId, t.id(), new byte[] {(byte) t.id()});
    }

    // ---- which tasks a loss is charged to -------------------------------------------------------------

    @Test
    void tasksHeldBehindAnotherOnALostWorkerGoBackToTheFrontUnchargedInTheirOrder() {
        start(4, 1, 2);
        FakeLink w1 = connect(1);
        List<QueuedTask> ts = submitUntimed(6);
        assertEquals(ids(ts.subList(0, 4)), newlySent(w1));

        dispatcher.workerDisconnected(1, "killed by signal 9");
        for (QueuedTask t : ts) {
            assertEquals(List.of(), t.attempts(), "task " + t.id() + " may never have started on worker 1");
            assertEquals(0, c(t).calls);
        }
        assertEquals(6, dispatcher.stats().waiting());

        FakeLink w2 = connect(2);
        assertEquals(List.of(ts.get(0).id()), newlySent(w2), "the held tasks first, oldest first, each alone");
    }

    @Test
    void aTaskFromAnUnclearLossRunsAloneAndNothingIsSentBehindItUntilItIsAnswered() {
        start(4, 1, 2);
        FakeLink w1 = connect(1);
        List<QueuedTask> ts = submitUntimed(8);
        assertEquals(ids(ts.subList(0, 4)), newlySent(w1));
        dispatcher.workerDisconnected(1, "killed by signal 9");

        FakeLink w2 = connect(2);
        for (int i = 0; i < 4; i++) {
            assertEquals(List.of(ts.get(i).id()), newlySent(w2), "task " + ts.get(i).id() + " alone");
            answer(2, ts.get(i));
        }
        assertEquals(ids(ts.subList(4, 8)), newlySent(w2), "then the untouched tasks, four at a time again");
        ts.subList(4, 8).forEach(t -> answer(2, t));
        for (QueuedTask t : ts) {
            assertArrayEquals(new byte[] {(byte) t.id()}, c(t).result);
            assertEquals(List.of(), t.attempts());
        }
    }

    @Test
    void aTaskRunningAloneOnALostWorkerIsChargedTheLoss() {
        start(4, 1, 2, 3);
        connect(1);
        List<QueuedTask> ts = submitUntimed(3);
        dispatcher.workerDisconnected(1, "killed by signal 9");
        connect(2);
        dispatcher.workerDisconnected(2, "killed by signal 9");

        QueuedTask first = ts.get(0);
        assertEquals(List.of(TaskAttempt.Outcome.WORKER_LOST), outcomes(first));
        assertTrue(first.attempts().get(0).worker().contains("worker 2"), first.attempts().get(0).worker());
        assertEquals(List.of(), ts.get(1).attempts(), "worker 2 held the first task alone");
        assertEquals(List.of(), ts.get(2).attempts());
    }

    @Test
    void theOnlyTaskALostWorkerHeldIsChargedEvenWhenItWasSentWithOthers() {
        start(4, 1, 2);
        FakeLink w1 = connect(1);
        List<QueuedTask> ts = submitUntimed(2);
        assertEquals(ids(ts), newlySent(w1));
        answer(1, ts.get(0));
        dispatcher.workerDisconnected(1, "killed by signal 9");
        assertEquals(List.of(TaskAttempt.Outcome.WORKER_LOST), outcomes(ts.get(1)),
                "the worker had answered the task before it, so it was running this one");
    }

    @Test
    void aPoisonTaskAmongOthersFailsAloneAfterThreeChargedLossesAndEveryOtherTaskSucceedsUncharged() {
        start(4, 1, 2, 3, 4, 5, 6);
        List<QueuedTask> ts = submitUntimed(12);
        QueuedTask poison = ts.get(2);
        int workerId = 1;
        int losses = 0;
        FakeLink w = connect(workerId);
        // a worker runs what it holds in order: it answers every task before the poison, then dies with it
        while (c(poison).calls == 0) {
            List<Long> sent = newlySent(w);
            boolean died = false;
            for (long id : sent) {
                QueuedTask t = ts.get((int) id - 1);
                if (t == poison) {
                    dispatcher.workerDisconnected(workerId, "halted");
                    losses++;
                    died = true;
                    break;
                }
                answer(workerId, t);
            }
            if (died) {
                w = connect(++workerId);
            }
            assertTrue(losses < 5, "the poison had " + losses + " chances: " + outcomes(poison));
        }
        assertEquals(List.of(TaskAttempt.Outcome.WORKER_LOST, TaskAttempt.Outcome.WORKER_LOST,
                TaskAttempt.Outcome.WORKER_LOST), outcomes(poison));
        assertTrue(c(poison).failure.getMessage().contains("lost 3 time(s)"), c(poison).failure.getMessage());
        // the rest run on the last worker
        for (int round = 0; round < 20 && dispatcher.stats().succeeded() < 11; round++) {
            for (long id : newlySent(w)) {
                answer(workerId, ts.get((int) id - 1));
            }
        }
        for (QueuedTask t : ts) {
            if (t != poison) {
                assertArrayEquals(new byte[] {(byte) t.id()}, c(t).result, "task " + t.id());
                assertEquals(List.of(), t.attempts(), "task " + t.id() + " was never charged");
            }
        }
        assertEquals(1, dispatcher.stats().failed());
        assertEquals(11, dispatcher.stats().succeeded());
    }

    @Test
    void aBusyWorkerGetsATaskThatMustRunAloneOnlyOnceItHoldsNothingElse() {
        start(2, 1, 2);
        FakeLink w1 = connect(1);
        FakeLink w2 = connect(2);
        List<QueuedTask> ts = submitUntimed(4);
        assertEquals(ids(ts.subList(0, 2)), newlySent(w1));
        assertEquals(ids(ts.subList(2, 4)), newlySent(w2));
        List<QueuedTask> later = submitUntimed(2);

        dispatcher.workerDisconnected(1, "killed by signal 9");
        assertEquals(List.of(), newlySent(w2), "worker 2 holds two tasks: the first lost task waits");
        answer(2, ts.get(2));
        assertEquals(List.of(), newlySent(w2), "worker 2 still holds a task");
        answer(2, ts.get(3));
        assertEquals(List.of(ts.get(0).id()), newlySent(w2));
        answer(2, ts.get(0));
        assertEquals(List.of(ts.get(1).id()), newlySent(w2));
        answer(2, ts.get(1));
        assertEquals(ids(later), newlySent(w2));
    }

    @Test
    void aTaskFromAnUnclearLossThatThrowsIsRetriedAloneAndOtherTasksThenFlowAgain() {
        dispatcher = new Dispatcher(settings(2).taskRetries(1).settings(), listener, () -> 100, clock);
        dispatcher.workersAdded(List.of(1, 2), "test");
        dispatcher.openContext(1, null);
        connect(1);
        List<QueuedTask> ts = submitUntimed(3);
        dispatcher.workerDisconnected(1, "gone");
        FakeLink w2 = connect(2);
        assertEquals(List.of(ts.get(0).id()), newlySent(w2));
        dispatcher.onFailure(2, ts.get(0).id(), new org.jparallel.RemoteTaskException("java.lang.IllegalStateException",
                "flaky", new StackTraceElement[0], null));
        assertEquals(List.of(ts.get(0).id()), newlySent(w2), "run again, alone");
        answer(2, ts.get(0));
        assertEquals(List.of(ts.get(1).id()), newlySent(w2));
        answer(2, ts.get(1));
        assertEquals(List.of(ts.get(2).id()), newlySent(w2));
        assertEquals(List.of(TaskAttempt.Outcome.THREW), outcomes(ts.get(0)));
    }

    private static List<TaskAttempt.Outcome> outcomes(QueuedTask t) {
        return t.attempts().stream().map(TaskAttempt::outcome).toList();
    }

    // ---- when a task's clock starts -----------------------------------------------------------------

    @Test
    void aTimedTaskSentBehindAnotherStartsItsClockWhenTheTaskBeforeItIsAnswered() {
        start(2, 1);
        FakeLink w1 = connect(1);
        QueuedTask first = submit(0L);
        QueuedTask timed = submit(TIMEOUT);
        assertEquals(List.of(first.id(), timed.id()), newlySent(w1));
        assertTrue(clock.all.isEmpty(), "the worker has not reached the timed task: no clock yet");

        answer(1, first);
        clock.onlyPending(TIMEOUT).run();
        assertEquals(TaskAttempt.Outcome.TIMED_OUT, outcomes(timed).get(0));
    }

    @Test
    void aTimedTaskSentToAWorkerHoldingNothingStartsItsClockAtOnce() {
        start(2, 1);
        FakeLink w1 = connect(1);
        QueuedTask timed = submit(TIMEOUT);
        assertEquals(List.of(timed.id()), newlySent(w1));
        clock.onlyPending(TIMEOUT);
    }

    @Test
    void timedTasksQueuedBehindALongTaskDoNotTimeOutWhileItRuns() {
        start(4, 1);
        FakeLink w1 = connect(1);
        List<QueuedTask> all = submitAll(0, TIMEOUT, TIMEOUT, TIMEOUT);
        QueuedTask longTask = all.get(0);
        List<QueuedTask> timed = all.subList(1, 4);
        assertEquals(4, newlySent(w1).size());
        assertTrue(clock.all.isEmpty());

        answer(1, longTask);
        assertEquals(1, clock.pending().size(), "only the task the worker runs now has a clock");
        answer(1, timed.get(0));
        clock.pending().forEach(FakeScheduler.Scheduled::run); // both checks: the first finds its task done
        assertArrayEquals(new byte[] {(byte) timed.get(0).id()}, c(timed.get(0)).result);
        assertEquals(List.of(TaskAttempt.Outcome.TIMED_OUT), outcomes(timed.get(1)));
        assertNull(c(timed.get(2)).failure, "the last one has not started");
        assertEquals(0, c(timed.get(2)).calls);
    }
}
