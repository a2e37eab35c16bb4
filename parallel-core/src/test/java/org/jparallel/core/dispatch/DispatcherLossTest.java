package org.jparallel.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jparallel.Manager;
import org.jparallel.ManagerBuilder;
import org.jparallel.TaskAttempt;
import org.jparallel.core.dispatch.DispatcherFakes.FakeCompletion;
import org.jparallel.core.dispatch.DispatcherFakes.FakeLink;
import org.junit.jupiter.api.Test;

/**
 * What the summary of gone workers says of a lost worker: it names the task the worker held only when that task
 * is charged with the loss (it held that one task, not over, and was neither stopped by the manager nor ended by
 * its lifetime), so that the hint "probably ended by that task" never blames a task that did not run. Driven on
 * the test thread with fake links.
 */
class DispatcherLossTest extends DispatcherRig {

    private static ManagerBuilder settings() {
        return Manager.builder().prefetch(1).maxLostAttempts(3).taskRetries(0);
    }

    private static FakeCompletion c(QueuedTask t) {
        return (FakeCompletion) t.completion;
    }

    private static void blamesNoTask(String summary) {
        assertFalse(summary.contains("only task"), summary);
        assertFalse(summary.contains("probably ended by that task"), summary);
    }

    @Test
    void aWorkerLostWhileItHeldOneTaskNamesThatTaskSoTheTaskThatEndsItsJvmCanBeFound() {
        start(settings().settings(), 1, 2);
        connect(1);
        QueuedTask t = submit(0);
        dispatcher.workerDisconnected(1, "its connection closed");
        connect(2);
        dispatcher.workerDisconnected(2, "its connection closed");
        String summary = listener.gone.get(1);
        assertTrue(summary.contains("worker 1 (test, pid 1001 on host1): lost - its connection closed while it held"
                + " only task " + t.id()), summary);
        assertTrue(summary.contains("worker 2 (test, pid 1002 on host2): lost - its connection closed while it held"
                + " only task " + t.id()), summary);
        assertTrue(summary.contains("probably ended by that task"), summary);
        assertTrue(summary.contains("replaceLostWorkers"), "says how to let such a task fail alone: " + summary);
        assertEquals(2, t.attemptsThat(TaskAttempt.Outcome.WORKER_LOST), "the task named is the task charged");
    }

    @Test
    void aWorkerLostWhileItHeldNoTaskKeepsItsReason() {
        start(settings().settings(), 1, 2);
        connect(1);
        dispatcher.workerDisconnected(1, "its connection closed");
        String summary = listener.gone.get(0);
        assertTrue(summary.endsWith("lost - its connection closed"), summary);
        blamesNoTask(summary);
        assertFalse(summary.contains("replaceLostWorkers"), summary);
    }

    @Test
    void aWorkerLostWhileItHeldSeveralTasksNamesNone() {
        start(settings().prefetch(2).settings(), 1, 2);
        FakeLink w1 = connect(1);
        QueuedTask t1 = submit(0);
        QueuedTask t2 = submit(0);
        assertEquals(List.of(t1.id(), t2.id()), w1.tasksSent());
        dispatcher.workerDisconnected(1, "its connection closed");
        blamesNoTask(listener.gone.get(0));
        assertEquals(List.of(), t1.attempts(), "neither is charged");
        assertEquals(List.of(), t2.attempts());
    }

    @Test
    void aWorkerLostWhileItHeldACancelledTaskAndAnotherNamesNoneForTheOtherIsNotCharged() {
        start(settings().prefetch(2).settings(), 1, 2);
        FakeLink w1 = connect(1);
        QueuedTask t1 = submit(0);
        QueuedTask t2 = submit(0);
        assertEquals(List.of(t1.id(), t2.id()), w1.tasksSent());
        c(t1).cancelled = true; // the program cancelled it; the worker still holds it
        dispatcher.cancel(c(t1), true);
        dispatcher.workerDisconnected(1, "its connection closed");
        blamesNoTask(listener.gone.get(0));
        assertEquals(List.of(), t2.attempts(), "held with another, it is not charged, so it is not named");
    }

    @Test
    void aWorkerLostWhileItHeldOnlyATaskAlreadyOverNamesNone() {
        start(settings().settings(), 1, 2);
        FakeLink w1 = connect(1);
        QueuedTask t = submit(0);
        assertEquals(List.of(t.id()), w1.tasksSent());
        c(t).cancelled = true;
        dispatcher.cancel(c(t), true);
        dispatcher.workerDisconnected(1, "its connection closed");
        blamesNoTask(listener.gone.get(0));
        assertEquals(List.of(), t.attempts(), "over, it is not charged");
    }

    @Test
    void answersAreToldOncePerWorkerPerLossAndATasksOwnFailureIsAnAnswer() {
        start(settings().settings(), 1, 2, 3);
        FakeLink w1 = connect(1);
        FakeLink w2 = connect(2);
        for (int i = 0; i < 20; i++) {
            submit(0);
        }
        int[] next = new int[3];
        FakeLink[] links = {null, w1, w2};
        java.util.function.IntUnaryOperator answer = w -> {
            long id = links[w].tasksSent().get(next[w]++);
            dispatcher.onResult(w, id, new byte[0]);
            return 0;
        };
        answer.applyAsInt(1);
        answer.applyAsInt(2);
        answer.applyAsInt(1);
        answer.applyAsInt(2);
        assertEquals(List.of(1, 2), listener.answered, "each worker's first answer, then nothing per task");

        FakeLink w3 = connect(3);
        dispatcher.workerDisconnected(3, "its connection closed");
        assertEquals(1, w3.tasksSent().size(), "it held a task");
        long failing = w1.tasksSent().get(next[1]++);
        dispatcher.onFailure(1, failing, new org.jparallel.RemoteTaskException("java.lang.IllegalStateException",
                "boom", new StackTraceElement[0], null));
        assertEquals(List.of(1, 2, 1), listener.answered, "a task's own failure is an answer, told again after a loss");
        answer.applyAsInt(1);
        answer.applyAsInt(2);
        answer.applyAsInt(2);
        assertEquals(List.of(1, 2, 1, 2), listener.answered, "once per worker per loss");
    }

    @Test
    void whenTheGuardStoppedReplacingTheHintSaysSoInsteadOfZeroOrSpent() {
        start(settings().settings(), 1, 2);
        connect(1);
        submit(0);
        dispatcher.workerDisconnected(1, "its connection closed");
        String replaced = listener.gone.get(0);
        assertTrue(replaced.contains("is 0 or spent"), replaced);
        listener.lostNotReplaced = "It was not replaced: workers of its group were lost 5 times in a row.";
        listener.replacementsStopped = true;
        connect(2);
        dispatcher.workerDisconnected(2, "its connection closed");
        String stopped = listener.gone.get(1);
        assertTrue(stopped.contains("the guard against a loop stopped replacing them"), stopped);
        assertFalse(stopped.contains("is 0 or spent"), stopped);
    }

    @Test
    void theCrashHintCountsEveryGoneWorkerAndSaysHowManyOfThoseItDescribesAreListed() {
        Integer[] ids = new Integer[25];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i + 1;
        }
        start(settings().settings(), ids);
        connect(1);
        QueuedTask poison = submit(0);
        dispatcher.workerDisconnected(1, "its connection closed"); // ended by the task it held
        FakeLink w2 = connect(2);
        assertEquals(List.of(poison.id()), w2.tasksSent());
        dispatcher.workerDisconnected(2, "its connection closed"); // again
        FakeLink w3 = connect(3);
        dispatcher.onResult(3, w3.tasksSent().get(0), new byte[0]); // it ends well on its third worker
        dispatcher.workerDisconnected(3, "its connection closed");
        for (int id = 4; id <= 25; id++) {
            connect(id);
            dispatcher.workerDisconnected(id, "its connection closed"); // idle: no task to blame
        }
        String summary = listener.gone.get(24);
        assertFalse(summary.contains("only task"), "the two it ended are not among the 20 listed: " + summary);
        assertTrue(summary.contains("\n2 of the 25 gone worker(s) were lost while each held only one task (task "
                + poison.id() + "; 0 of them listed above): such a worker was probably ended by that task"),
                "the hint, over every gone worker, says which task and that the list does not show them: " + summary);

        start(settings().settings(), 1, 2);
        connect(1);
        QueuedTask t = submit(0);
        dispatcher.workerDisconnected(1, "its connection closed");
        String one = listener.gone.get(listener.gone.size() - 1);
        assertTrue(one.contains("lost - its connection closed while it held only task " + t.id()), one);
        assertTrue(one.contains("\n1 of the 1 gone worker(s) was lost while it held only one task (task " + t.id()
                + "; it is listed above)"), one);
    }

    @Test
    void theSummaryOfGoneWorkersListsOnlyTheLatestTwentyAndCountsTheOthers() {
        Integer[] ids = new Integer[25];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i + 1;
        }
        start(settings().settings(), ids);
        for (int id = 1; id <= 25; id++) {
            connect(id);
            dispatcher.workerDisconnected(id, "its connection closed");
        }
        String summary = listener.gone.get(24);
        assertTrue(summary.startsWith("25 of 25 worker(s) are gone:\n  (5 more before these)\n  worker 6 ("), summary);
        assertTrue(summary.contains("worker 25 (test"), summary);
        assertFalse(summary.contains("worker 5 ("), "a long run's summary does not grow with it: " + summary);
        assertEquals(GoneSummary.LINES + 2, summary.split("\n").length, summary);
    }
}
