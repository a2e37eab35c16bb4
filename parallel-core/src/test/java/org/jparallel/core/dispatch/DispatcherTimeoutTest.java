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
import org.jparallel.Manager;
import org.jparallel.ManagerBuilder;
import org.jparallel.RemoteTaskException;
import org.jparallel.TaskAttempt;
import org.jparallel.TaskFailedException;
import org.jparallel.WorkerInfo;
import org.jparallel.core.dispatch.DispatcherFakes.FakeCompletion;
import org.jparallel.core.dispatch.DispatcherFakes.FakeHandle;
import org.jparallel.core.dispatch.DispatcherFakes.FakeLink;
import org.jparallel.core.dispatch.DispatcherFakes.FakeScheduler;
import org.jparallel.core.protocol.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Task timeouts, cancellation of running tasks and lost-worker reports, driven on the test thread
 * with a hand-driven scheduler: a scheduled check runs only when the test runs it. No sockets, no
 * threads, no sleeps.
 */
class DispatcherTimeoutTest extends DispatcherRig {
    private static final long TIMEOUT = 500;
    private static final long GRACE = TaskTimeouts.CANCEL_GRACE_MILLIS;

    // ---- helpers --------------------------------------------------------------------------------

    private static ManagerBuilder settings() {
        return Manager.builder().prefetch(1).maxLostAttempts(3).taskRetries(0);
    }

    private void start(Integer... workerIds) {
        start(settings().settings(), workerIds);
    }

    private static FakeCompletion c(QueuedTask t) {
        return (FakeCompletion) t.completion;
    }

    private static void isTask(Message m, QueuedTask t) {
        assertEquals(t.id(), assertInstanceOf(Message.Task.class, m).taskId());
    }

    private static void isCancel(Message m, QueuedTask t) {
        assertEquals(t.id(), assertInstanceOf(Message.Cancel.class, m).taskId());
    }

    private static void sentOnly(FakeLink link, Class<? extends Message> type, QueuedTask t) {
        List<Message> m = link.taken();
        assertEquals(1, m.size(), m.toString());
        if (type == Message.Task.class) {
            isTask(m.get(0), t);
        } else {
            isCancel(m.get(0), t);
        }
    }

    private WorkerInfo worker(int id) {
        return dispatcher.stats().workers().stream().filter(w -> w.id() == id).findFirst().orElseThrow();
    }

    private static RemoteTaskException remote(String className, String message) {
        return new RemoteTaskException(className, message, new StackTraceElement[0], null);
    }

    private static TaskAttempt last(TaskFailedException f) {
        return f.getAttempts().get(f.getAttempts().size() - 1);
    }

    // ---- the check is scheduled when the task is sent -------------------------------------------------

    @Test
    void aTimedTaskSchedulesACheckWithItsTimeoutWhenItIsSentNotWhileItWaits() {
        start(1);
        QueuedTask untimed = submit(0);
        QueuedTask timed = submit(TIMEOUT);
        assertTrue(clock.all.isEmpty(), "nothing is sent yet, so no check");

        FakeLink w1 = connect(1);
        sentOnly(w1, Message.Task.class, untimed);
        assertTrue(clock.all.isEmpty(), "a task without timeout schedules nothing");

        dispatcher.onResult(1, untimed.id(), new byte[0]);
        sentOnly(w1, Message.Task.class, timed);
        clock.onlyPending(TIMEOUT);
    }

    // ---- the task runs past its timeout -------------------------------------------------------------

    @Test
    void aCheckThatFindsTheTaskInFlightFailsItTimedOutSendsCancelAndSchedulesTheGraceCheck() {
        start(1);
        FakeHandle h1 = new FakeHandle(1);
        dispatcher.handleAttached(h1);
        FakeLink w1 = connect(1);
        QueuedTask t = submit(TIMEOUT);
        sentOnly(w1, Message.Task.class, t);

        clock.onlyPending(TIMEOUT).run();

        assertEquals(1, c(t).calls);
        TaskFailedException f = c(t).failure;
        assertEquals(t.id(), f.getTaskId());
        assertEquals(1, f.getAttempts().size());
        TaskAttempt a = last(f);
        assertEquals(TaskAttempt.Outcome.TIMED_OUT, a.outcome());
        assertTrue(a.detail().contains("500 ms"), a.detail());
        assertTrue(a.worker().contains("worker 1"), a.worker());
        assertEquals(h1.logLocation(), a.logFile());
        assertNull(a.cause());
        assertTrue(f.getMessage().contains("timed out after 500 ms"), f.getMessage());
        assertEquals(1, dispatcher.stats().failed());
        assertEquals(0, dispatcher.stats().succeeded());

        sentOnly(w1, Message.Cancel.class, t);
        clock.onlyPending(GRACE);
        assertFalse(w1.closed, "the worker gets its grace first");
        assertEquals(WorkerInfo.State.CONNECTED, worker(1).state());
        assertTrue(listener.stopped.isEmpty());
        assertTrue(listener.lost.isEmpty());
    }

    @ParameterizedTest(name = "answers with a failure: {0}")
    @ValueSource(booleans = {true, false})
    void aWorkerThatAnswersWithinTheGraceIsKeptAndGetsTheNextTaskAndTheAnswerIsDropped(boolean withFailure) {
        start(settings().taskRetries(2).settings(), 1);
        FakeLink w1 = connect(1);
        QueuedTask t1 = submit(TIMEOUT);
        QueuedTask t2 = submit(0);
        sentOnly(w1, Message.Task.class, t1);

        clock.onlyPending(TIMEOUT).run();
        sentOnly(w1, Message.Cancel.class, t1);
        assertEquals(1, dispatcher.stats().waiting(), "the worker still holds the timed-out task, so the next one waits");

        if (withFailure) {
            dispatcher.onFailure(1, t1.id(), remote("java.lang.InterruptedException", "sleep interrupted"));
        } else {
            dispatcher.onResult(1, t1.id(), new byte[] {9});
        }
        assertEquals(1, c(t1).calls, "the answer after the timeout is dropped");
        assertNull(c(t1).result);
        assertEquals(List.of(TaskAttempt.Outcome.TIMED_OUT),
                c(t1).failure.getAttempts().stream().map(TaskAttempt::outcome).toList());
        assertEquals(1, dispatcher.stats().failed());
        assertEquals(0, dispatcher.stats().succeeded());
        sentOnly(w1, Message.Task.class, t2);

        clock.onlyPending(GRACE).run();
        assertFalse(w1.closed, "the worker answered in time");
        assertEquals(WorkerInfo.State.CONNECTED, worker(1).state());
        assertTrue(listener.stopped.isEmpty());
        assertTrue(listener.lost.isEmpty());
        assertTrue(listener.gone.isEmpty());
        assertTrue(w1.taken().isEmpty(), "no retry of the timed-out task despite taskRetries(2)");

        dispatcher.onResult(1, t2.id(), new byte[] {2});
        assertArrayEquals(new byte[] {2}, c(t2).result);
        assertTrue(clock.pending().isEmpty());
    }

    @Test
    void aWorkerThatIgnoresTheCancelIsClosedAfterTheGraceAndLostWithItsOtherTasksRequeued() {
        start(settings().prefetch(2).settings(), 1, 2);
        FakeHandle h1 = new FakeHandle(1);
        dispatcher.handleAttached(h1);
        FakeLink w1 = connect(1);
        QueuedTask t1 = submit(TIMEOUT);
        QueuedTask t2 = submit(0);
        assertEquals(List.of(t1.id(), t2.id()), w1.tasksSent());
        w1.taken();

        clock.onlyPending(TIMEOUT).run();
        sentOnly(w1, Message.Cancel.class, t1);
        clock.onlyPending(GRACE).run();
        assertTrue(w1.closed, "no answer within the grace: the connection is closed");
        assertTrue(w1.sent.get(w1.sent.size() - 1) instanceof Message.Shutdown,
                "told to shut down first, so it does not seek its manager again as if the manager had died");
        assertTrue(listener.lost.isEmpty(), "lost once the connection is gone, not before");

        dispatcher.workerDisconnected(1, "its connection closed");
        WorkerInfo w = worker(1);
        assertEquals(WorkerInfo.State.LOST, w.state());
        assertTrue(w.detail().contains("task " + t1.id()), w.detail());
        assertTrue(w.detail().contains("ignored its interruption"), w.detail());
        assertEquals(List.of(1), listener.lost);
        assertEquals(List.of(WorkerLoss.ENDED), listener.losses, "stopped by the manager: no count toward its guard");
        assertEquals(List.of(h1), listener.stopped);
        assertEquals(1, listener.gone.size());
        assertTrue(listener.gone.get(0).contains("ignored its interruption"), listener.gone.get(0));
        assertFalse(listener.gone.get(0).contains("only task"), "stopped by the manager, it blames no task: "
                + listener.gone.get(0));
        assertFalse(listener.gone.get(0).contains("probably ended by that task"), listener.gone.get(0));

        assertEquals(1, c(t1).calls, "the timed-out task is not touched by the loss");
        assertEquals(1, t1.attempts().size());
        assertEquals(TaskAttempt.Outcome.TIMED_OUT, t1.attempts().get(0).outcome());
        assertEquals(0, t1.attemptsThat(TaskAttempt.Outcome.WORKER_LOST));

        assertEquals(0, c(t2).calls, "the other task goes back to the queue");
        assertEquals(List.of(), t2.attempts(), "queued behind the timed-out task, it never started: not charged");
        assertEquals(1, dispatcher.stats().waiting());

        FakeLink w2 = connect(2);
        assertEquals(List.of(t2.id()), w2.tasksSent(), "only the other task is sent again");
        dispatcher.onResult(2, t2.id(), new byte[] {2});
        assertArrayEquals(new byte[] {2}, c(t2).result);
        dispatcher.onResult(1, t1.id(), new byte[] {1});
        assertEquals(1, c(t1).calls);
        assertTrue(clock.pending().isEmpty());
        assertEquals(List.of(t1.id(), t2.id()), w1.tasksSent());
    }

    @Test
    void aWorkerBeingStoppedAfterTheGraceGetsNoNewTaskBeforeItsDisconnectArrives() {
        start(settings().prefetch(2).settings(), 1, 2);
        FakeLink w1 = connect(1);
        QueuedTask t1 = submit(TIMEOUT);
        w1.taken();
        clock.onlyPending(TIMEOUT).run();
        clock.onlyPending(GRACE).run();
        assertTrue(w1.closed);

        // the close is asynchronous: other events may come before workerDisconnected
        QueuedTask t2 = submit(0);
        assertEquals(List.of(t1.id()), w1.tasksSent(), "nothing is written to a connection being closed");
        assertEquals(1, dispatcher.stats().waiting());
        dispatcher.workerDisconnected(1, "its connection closed");
        assertTrue(t2.attempts().isEmpty(), "t2 never reached worker 1, so no lost attempt is charged");
        FakeLink w2 = connect(2);
        assertEquals(List.of(t2.id()), w2.tasksSent());
    }

    @Test
    void aSecondTimeoutOnAWorkerBeingStoppedFailsTheTaskWithoutWritingToTheConnection() {
        start(settings().prefetch(2).settings(), 1);
        FakeLink w1 = connect(1);
        QueuedTask t1 = submit(TIMEOUT);
        QueuedTask t2 = submit(TIMEOUT);
        w1.taken();
        clock.onlyPending(TIMEOUT).run();
        sentOnly(w1, Message.Cancel.class, t1);
        clock.onlyPending(GRACE).run();
        assertTrue(w1.closed);
        // the interrupted task's answer arrives after all, before the disconnect: the worker went on to t2
        dispatcher.onResult(1, t1.id(), new byte[] {1});

        clock.onlyPending(TIMEOUT).run();
        assertEquals(TaskAttempt.Outcome.TIMED_OUT, last(c(t2).failure).outcome());
        assertTrue(clock.pending().isEmpty(), "no second grace check for a worker already being stopped");
        dispatcher.workerDisconnected(1, "its connection closed");
        assertTrue(worker(1).detail().contains("task " + t1.id()), worker(1).detail());
        assertEquals(1, c(t1).calls);
        assertEquals(1, c(t2).calls);
        assertEquals(0, dispatcher.stats().waiting(), "neither timed-out task is run again");
        assertEquals(2, dispatcher.stats().failed());
    }

    @Test
    void closingTheContextOfATimedOutTaskStillHeldByItsWorkerDoesNotCompleteItAgain() {
        start(1);
        FakeLink w1 = connect(1);
        QueuedTask t = submit(TIMEOUT);
        clock.onlyPending(TIMEOUT).run();
        dispatcher.closeContext(1);
        assertEquals(1, c(t).calls, "completed once, by the timeout");
        assertNull(c(t).abandoned);
        List<Message> m = w1.taken();
        assertEquals(3, m.size(), m.toString());
        isTask(m.get(0), t);
        isCancel(m.get(1), t);
        assertEquals(1, assertInstanceOf(Message.Release.class, m.get(2)).contextId());
    }

    // ---- stale checks ---------------------------------------------------------------------------------

    @Test
    void aCheckFromAnEarlierSendDoesNotFireAgainstTheTaskResentToAnotherWorker() {
        start(1, 2);
        FakeLink w1 = connect(1);
        QueuedTask t = submit(TIMEOUT);
        FakeScheduler.Scheduled checkOnA = clock.onlyPending(TIMEOUT);
        FakeLink w2 = connect(2);
        dispatcher.workerDisconnected(1, "connection reset");
        sentOnly(w2, Message.Task.class, t);
        assertEquals(2, clock.pending().size(), "the re-send scheduled its own check");

        checkOnA.run();
        assertEquals(0, c(t).calls, "the old check does not fail the re-sent task");
        assertTrue(w2.taken().isEmpty(), "no cancel");
        sentOnly(w1, Message.Task.class, t);
        FakeScheduler.Scheduled checkOnB = clock.onlyPending(TIMEOUT);

        checkOnB.run();
        assertEquals(1, c(t).calls);
        assertEquals(List.of(TaskAttempt.Outcome.WORKER_LOST, TaskAttempt.Outcome.TIMED_OUT),
                c(t).failure.getAttempts().stream().map(TaskAttempt::outcome).toList());
        assertTrue(last(c(t).failure).worker().contains("worker 2"), last(c(t).failure).worker());
        sentOnly(w2, Message.Cancel.class, t);
    }

    @Test
    void aCheckFromAnEarlierSendDoesNotFireAgainstTheTaskRetriedOnTheSameWorker() {
        start(settings().taskRetries(1).settings(), 1);
        FakeLink w1 = connect(1);
        QueuedTask t = submit(TIMEOUT);
        FakeScheduler.Scheduled first = clock.onlyPending(TIMEOUT);
        dispatcher.onFailure(1, t.id(), remote("java.lang.IllegalStateException", "flaky"));
        assertEquals(List.of(t.id(), t.id()), w1.tasksSent(), "run again on the same worker");
        w1.taken();

        first.run();
        assertEquals(0, c(t).calls, "the first run's check does not fail the second run");
        assertTrue(w1.taken().isEmpty());

        clock.onlyPending(TIMEOUT).run();
        assertEquals(List.of(TaskAttempt.Outcome.THREW, TaskAttempt.Outcome.TIMED_OUT),
                c(t).failure.getAttempts().stream().map(TaskAttempt::outcome).toList());
        sentOnly(w1, Message.Cancel.class, t);
    }

    @Test
    void aTaskThatEndsBeforeItsTimeoutIsNotTouchedByTheCheck() {
        start(1);
        FakeLink w1 = connect(1);
        QueuedTask ok = submit(TIMEOUT);
        dispatcher.onResult(1, ok.id(), new byte[] {1});
        QueuedTask threw = submit(TIMEOUT);
        dispatcher.onFailure(1, threw.id(), remote("java.lang.IllegalStateException", "boom"));
        w1.taken();
        assertEquals(2, clock.pending().size());

        clock.pending().forEach(FakeScheduler.Scheduled::run);
        assertEquals(1, c(ok).calls);
        assertArrayEquals(new byte[] {1}, c(ok).result);
        assertEquals(1, c(threw).calls);
        assertEquals(List.of(TaskAttempt.Outcome.THREW),
                c(threw).failure.getAttempts().stream().map(TaskAttempt::outcome).toList());
        assertTrue(w1.taken().isEmpty(), "no cancel");
        assertTrue(clock.pending().isEmpty(), "no grace check");
        assertEquals(1, dispatcher.stats().succeeded());
        assertEquals(1, dispatcher.stats().failed());
    }

    @Test
    void aCheckOfACancelledTaskDoesNothing() {
        start(1);
        FakeLink w1 = connect(1);
        QueuedTask t = submit(TIMEOUT);
        w1.taken();
        c(t).cancelled = true;
        clock.onlyPending(TIMEOUT).run();
        assertEquals(0, c(t).calls, "its future was completed by the cancel");
        assertTrue(w1.taken().isEmpty());
        assertTrue(clock.pending().isEmpty());
        assertEquals(0, dispatcher.stats().failed());
    }

    @Test
    void checksPendingAtShutdownDoNothing() {
        start(settings().prefetch(2).settings(), 1);
        FakeLink w1 = connect(1);
        QueuedTask t1 = submit(TIMEOUT);
        QueuedTask t2 = submit(TIMEOUT);
        w1.taken();
        clock.pending().get(0).run();
        sentOnly(w1, Message.Cancel.class, t1);

        dispatcher.shutdown();
        assertSame(Message.Shutdown.INSTANCE, w1.taken().get(0));
        assertEquals("the manager was closed", c(t2).abandoned);
        clock.pending().forEach(FakeScheduler.Scheduled::run);
        assertEquals(1, c(t1).calls);
        assertEquals(1, c(t2).calls);
        assertFalse(w1.closed, "no grace kill after shutdown");
        assertTrue(w1.taken().isEmpty());
        assertTrue(listener.lost.isEmpty());
    }

    // ---- cancel -------------------------------------------------------------------------------------

    @Test
    void cancelSendsCancelToTheWorkerHoldingTheTaskAndNothingForATaskNotInFlight() {
        start(1, 2);
        FakeLink w1 = connect(1);
        FakeLink w2 = connect(2);
        QueuedTask t1 = submit(0);
        QueuedTask t2 = submit(0);
        QueuedTask waiting = submit(0);
        sentOnly(w1, Message.Task.class, t1);
        sentOnly(w2, Message.Task.class, t2);

        dispatcher.cancel(c(t2), true);
        sentOnly(w2, Message.Cancel.class, t2);
        assertTrue(w1.taken().isEmpty());

        dispatcher.cancel(c(waiting), true);
        DispatcherFakes.FakeCompletion unknown = new DispatcherFakes.FakeCompletion(999);
        unknown.sends = 1; // as if sent once: the workers are searched, and none holds it
        dispatcher.cancel(unknown, true);
        assertTrue(w1.taken().isEmpty(), "a waiting task is not on any worker");
        assertTrue(w2.taken().isEmpty());

        dispatcher.onResult(1, t1.id(), new byte[0]);
        sentOnly(w1, Message.Task.class, waiting);
        dispatcher.cancel(c(t1), true);
        assertTrue(w1.taken().isEmpty(), "a completed task is not on any worker");
        assertTrue(clock.all.isEmpty());
    }

    @Test
    void shutdownAndCloseContextDoNotCompleteAgainTasksTheUserCancelled() {
        start(1);
        dispatcher.openContext(2, null);
        FakeLink w1 = connect(1);
        QueuedTask running = submit(0);
        QueuedTask waiting = submit(0);
        FakeCompletion waiting2 = new FakeCompletion(nextTaskId++);
        dispatcher.submit(new QueuedTask(waiting2, 2, new byte[0]));
        sentOnly(w1, Message.Task.class, running);
        c(running).cancelled = true;
        c(waiting).cancelled = true;
        waiting2.cancelled = true;

        dispatcher.closeContext(2);
        dispatcher.shutdown();
        assertEquals(0, c(running).calls, "its future was completed by the cancel");
        assertEquals(0, c(waiting).calls);
        assertEquals(0, waiting2.calls);
    }

    // ---- workerLost -----------------------------------------------------------------------------------

    @Test
    void workerLostIsReportedForALostConnectedWorkerOnlyNotAtShutdownNorForAFailedStart() {
        start(1, 2, 3);
        connect(1);
        connect(2);
        dispatcher.workerFailedToStart(3, "no java");
        assertTrue(listener.lost.isEmpty(), "a worker that failed to start was never connected");
        dispatcher.workerDisconnected(3, "never connected");
        assertTrue(listener.lost.isEmpty());

        dispatcher.workerDisconnected(1, "connection reset");
        assertEquals(List.of(1), listener.lost);
        dispatcher.workerDisconnected(1, "again");
        assertEquals(List.of(1), listener.lost, "reported once");

        dispatcher.shutdown();
        dispatcher.workerDisconnected(2, "its connection closed");
        assertEquals(List.of(1), listener.lost, "not at shutdown");
    }

    @Test
    void aFailedStartAsksForAReplacementBeforeTheWorkerIsReportedGoneAndOnlyOnce() {
        start(1, 2);
        connect(1);
        dispatcher.workerFailedToStart(2, "killed by signal 9");
        assertEquals(List.of(2), listener.failedToStart);
        assertEquals(List.of(0), listener.goneBeforeFailedToStart, "asked before the pool may look empty");
        assertEquals(1, listener.gone.size());
        assertEquals("killed by signal 9", worker(2).detail(), "replaced: nothing added");
        dispatcher.workerFailedToStart(2, "again");
        assertEquals(List.of(2), listener.failedToStart, "asked once");
        assertTrue(listener.lost.isEmpty(), "a failed start is not a lost worker");
    }

    @Test
    void whyAFailedStartWasNotReplacedIsAddedToTheWorkersDetailAndTheGoneSummary() {
        start(1);
        listener.notReplaced = "It was not replaced: no worker of its group has connected yet.";
        dispatcher.workerFailedToStart(1, "exit code 1");
        assertEquals("exit code 1\n" + listener.notReplaced, worker(1).detail());
        assertTrue(listener.gone.get(0).contains(listener.notReplaced), listener.gone.get(0));
    }

    // ---- the constructor without scheduler ----------------------------------------------------------------

    @Test
    void aDispatcherWithoutSchedulerServesTasksWithoutTimeoutAndRefusesOnlyATimedOne() {
        dispatcher = new Dispatcher(settings().settings(), listener, () -> 100);
        dispatcher.workersAdded(List.of(1), "test");
        dispatcher.openContext(1, null);
        FakeLink w1 = connect(1);
        QueuedTask t1 = submit(0);
        sentOnly(w1, Message.Task.class, t1);
        dispatcher.onResult(1, t1.id(), new byte[] {1});
        assertArrayEquals(new byte[] {1}, c(t1).result);
        dispatcher.cancel(c(t1), true);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> submit(TIMEOUT));
        assertTrue(e.getMessage().contains("no scheduler"), e.getMessage());
    }
}
