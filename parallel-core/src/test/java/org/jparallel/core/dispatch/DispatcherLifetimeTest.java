package org.jparallel.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.jparallel.Manager;
import org.jparallel.ManagerBuilder;
import org.jparallel.TaskAttempt;
import org.jparallel.WorkerInfo;
import org.jparallel.core.dispatch.DispatcherFakes.FakeCompletion;
import org.jparallel.core.dispatch.DispatcherFakes.FakeLink;
import org.jparallel.core.dispatch.DispatcherFakes.FakeScheduler;
import org.jparallel.core.dispatch.DispatcherFakes.Listener;
import org.jparallel.core.protocol.Message;
import org.junit.jupiter.api.Test;

/**
 * Worker lifetimes and expected task durations: a task goes only to a worker that lives long enough
 * to finish it, waits (without holding up the others) when none does, fails at once when no group
 * could ever fit it; a worker is drained a margin before its end, told to exit once it holds nothing,
 * and its leaving is no loss; a worker gone past its drain time costs its task no lost attempt.
 * Driven on the test thread with a hand-set clock and a hand-driven scheduler.
 */
class DispatcherLifetimeTest {
    private static final long S = 1_000_000_000L;

    private final Listener listener = new Listener();
    private final FakeScheduler scheduler = new FakeScheduler();
    private final long[] now = {1_000 * S};
    private long nextTaskId = 1;
    private Dispatcher dispatcher;

    private void start(ManagerBuilder b) {
        dispatcher = new Dispatcher(b.settings(), listener, () -> 100, scheduler);
        dispatcher.useClock(() -> now[0]);
        dispatcher.openContext(1, null);
    }

    private static ManagerBuilder settings() {
        return Manager.builder().prefetch(1).maxLostAttempts(1).drainMargin(Duration.ofSeconds(1));
    }

    private void group(Duration lifetime, Integer... ids) {
        dispatcher.workersAdded(List.of(ids), "test", lifetime);
    }

    private FakeLink connect(int id, long lifetimeSeconds) {
        return connect(id, lifetimeSeconds, 1);
    }

    private FakeLink connect(int id, long lifetimeSeconds, int slots) {
        Admission a = dispatcher.admit(new Message.Hello(1, id, 1000 + id, "host" + id, "17", new byte[32],
                lifetimeSeconds < 0 ? -1 : lifetimeSeconds * 1000, slots));
        assertTrue(a.admitted(), () -> "admitted: " + a.rejection());
        FakeLink link = new FakeLink();
        dispatcher.attach(id, link);
        return link;
    }

    private QueuedTask submit(long expectedSeconds) {
        FakeCompletion c = new FakeCompletion(nextTaskId++);
        QueuedTask t = new QueuedTask(c, 1, new byte[] {(byte) c.id}, 0);
        t.expectDuration(expectedSeconds * S);
        dispatcher.submit(t);
        return t;
    }

    private static FakeCompletion c(QueuedTask t) {
        return (FakeCompletion) t.completion;
    }

    private WorkerInfo worker(int id) {
        return dispatcher.stats().workers().stream().filter(w -> w.id() == id).findFirst().orElseThrow();
    }

    private static List<Long> tasks(FakeLink link) {
        return link.taken().stream().filter(m -> m instanceof Message.Task).map(m -> ((Message.Task) m).taskId()).toList();
    }

    @Test
    void aTaskGoesOnlyToAWorkerThatLivesLongEnoughToFinishIt() {
        start(settings());
        group(Duration.ofSeconds(10), 1);
        group(Duration.ofSeconds(100), 2);
        FakeLink shortLived = connect(1, 10);
        FakeLink longLived = connect(2, 100);
        QueuedTask longTask = submit(20);
        QueuedTask shortTask = submit(2);
        assertEquals(List.of(shortTask.id()), tasks(shortLived), "the 10 s worker gets only the 2 s task");
        assertEquals(List.of(longTask.id()), tasks(longLived), "the 20 s task goes to the 100 s worker");
    }

    @Test
    void aTaskNoLiveWorkerCanFinishWaitsForOneThatCanWithoutHoldingUpTheTasksBehindIt() {
        start(settings());
        group(Duration.ofSeconds(10), 1);
        group(Duration.ofSeconds(100), 2);
        FakeLink shortLived = connect(1, 10);
        QueuedTask longTask = submit(50);
        QueuedTask next = submit(2);
        assertEquals(List.of(next.id()), tasks(shortLived), "the task behind the long one goes on");
        assertEquals(0, c(longTask).calls, "the long task waits");
        dispatcher.onResult(1, next.id(), new byte[0]);
        assertEquals(List.of(), tasks(shortLived), "the long task never goes to the short-lived worker");

        FakeLink longLived = connect(2, 100);
        assertEquals(List.of(longTask.id()), tasks(longLived), "a worker that lives long enough takes it");
    }

    @Test
    void aWorkerIsOfferedOnlyWhatItCanFinishAfterTheTasksItHolds() {
        start(settings().prefetch(3));
        group(Duration.ofSeconds(10), 1);
        group(null, 2);
        FakeLink w1 = connect(1, 10); // 9 s before it drains
        QueuedTask a = submit(4);
        QueuedTask b = submit(4);
        QueuedTask third = submit(4);
        assertEquals(List.of(a.id(), b.id()), tasks(w1), "4 + 4 s fit in 9 s; a third 4 s task does not");
        FakeLink w2 = connect(2, -1);
        assertEquals(List.of(third.id()), tasks(w2), "a worker with no set end takes it");
    }

    @Test
    void aWorkerWithSeveralSlotsRunsWhatItHoldsAtOnceSoItIsOfferedWhatItsSlotsCanFinish() {
        start(settings()); // a task per slot: 4 held by a 4-slot worker
        group(Duration.ofSeconds(10), 1);
        group(null, 2);
        List<QueuedTask> ts = List.of(submit(4), submit(4), submit(4), submit(4), submit(4));
        FakeLink w1 = connect(1, 10, 4); // 9 s before it drains
        // the 4 run at once and end within the 9 s; held one after another only 2 would
        assertEquals(ts.subList(0, 4).stream().map(QueuedTask::id).toList(), tasks(w1), "4 s on each of 4 slots");
        assertEquals(List.of(ts.get(4).id()), tasks(connect(2, -1)), "the fifth, for which it has no room");
    }

    @Test
    void aWorkerWithSeveralSlotsIsOfferedNoTaskThatWouldStartTooLateBehindTheOnesItHolds() {
        start(settings().prefetch(2));
        group(Duration.ofSeconds(7), 1);
        group(null, 2);
        FakeLink w1 = connect(1, 7, 2); // 6 s before it drains, 2 slots, 4 tasks held at most
        QueuedTask a = submit(4);
        QueuedTask b = submit(4);
        QueuedTask c = submit(1);
        QueuedTask d = submit(4);
        // a and b run at once; c starts by 4 s at the latest and ends by 5 s; d could start only after
        // a, b and c shared the 2 slots ((4 + 4 + 1) / 2 = 4.5 s) and would end after the 6 s
        assertEquals(List.of(a.id(), b.id(), c.id()), tasks(w1), "d would end after the worker drains");
        FakeLink w2 = connect(2, -1);
        assertEquals(List.of(d.id()), tasks(w2));
    }

    @Test
    void theJoinedEventOfAWorkerWithALifetimeCarriesItsEndOfLife() {
        start(settings());
        List<WorkerInfo> joined = new java.util.ArrayList<>();
        dispatcher.progressTo(new org.jparallel.ProgressListener() {
            @Override
            public void workerJoined(WorkerInfo w) {
                joined.add(w);
            }
        });
        group(Duration.ofSeconds(10), 1);
        connect(1, 10);
        assertEquals(1, joined.size());
        assertNotNull(joined.get(0).endOfLife(), "progress displays show its remaining time from the event: " + joined);
    }

    @Test
    void aTaskNoGroupCouldEverFinishFailsAtOnceNamingItsEstimateAndTheLongestLifetime() {
        start(settings().drainMargin(Duration.ofSeconds(2)));
        group(Duration.ofSeconds(20), 1, 2);
        group(Duration.ofSeconds(8), 3);
        QueuedTask t = submit(30);
        assertEquals(1, c(t).calls);
        assertNotNull(c(t).failure, "it failed");
        String m = c(t).failure.getMessage();
        assertTrue(m.contains("expected to run 30 s") && m.contains("longest worker lifetime available is 20 s")
                && m.contains("drain margin of 2 s"), m);
        QueuedTask fits = submit(18);
        assertEquals(0, c(fits).calls, "a task of 18 s fits the 20 s workers less 2 s: it waits for them");
    }

    @Test
    void aGroupWithNoSetEndMeansALongTaskWaitsRatherThanFails() {
        start(settings());
        group(Duration.ofSeconds(20), 1);
        group(null, 2);
        QueuedTask t = submit(3600);
        assertEquals(0, c(t).calls);
    }

    @Test
    void aWorkerIsDrainedAtItsMarginFinishesWhatItHoldsAndIsToldToExitAndItsLeavingIsNoLoss() {
        start(settings().drainMargin(Duration.ofSeconds(2)));
        group(Duration.ofSeconds(10), 1);
        FakeLink w1 = connect(1, 10);
        FakeScheduler.Scheduled drain = scheduler.onlyPending(8_000);
        QueuedTask running = submit(1);
        assertEquals(List.of(running.id()), tasks(w1));
        assertNotNull(worker(1).endOfLife(), "the worker's end of life is shown");
        assertFalse(worker(1).draining());

        now[0] += 8 * S;
        drain.run();
        assertEquals(List.of(1), listener.draining, "the manager hears of the drain (and may replace it now)");
        assertTrue(worker(1).draining());
        QueuedTask waiting = submit(0);
        assertEquals(List.of(), w1.taken(), "a draining worker is given nothing, and not told to exit while it holds a task");

        dispatcher.onResult(1, running.id(), new byte[0]);
        List<Message> sent = w1.taken();
        assertEquals(1, sent.size(), sent.toString());
        assertInstanceOf(Message.Shutdown.class, sent.get(0), "told to exit once it holds nothing");
        assertEquals(0, c(waiting).calls);

        dispatcher.workerDisconnected(1, "connection closed");
        assertEquals(WorkerInfo.State.STOPPED, worker(1).state(), "a drained worker is stopped, not lost");
        assertEquals(List.of(), listener.lost, "its leaving is not a loss");
        assertEquals(1, listener.gone.size(), "but it is gone");
    }

    @Test
    void anIdleWorkerThatLivedAUsableLifetimeDrainsWithoutCountingAgainstItsGroup() {
        start(settings().drainMargin(Duration.ofSeconds(2)));
        group(Duration.ofSeconds(10), 1);
        connect(1, 10);
        FakeScheduler.Scheduled drain = scheduler.onlyPending(8_000);
        now[0] += 8 * S; // a quiet spell: no task came
        drain.run();
        assertEquals(List.of(1), listener.draining);
        assertEquals(List.of(true), listener.drainingAnswered, "8 s of usable life and nothing to do: no sign of a "
                + "group that cannot work, so not counted toward its losses in a row");
    }

    @Test
    void aWorkerThatJoinedWithNoTimeBeforeItsDrainCountsAgainstItsGroup() {
        start(settings().drainMargin(Duration.ofSeconds(2)));
        group(Duration.ofSeconds(10), 1);
        connect(1, 2); // joined with 2 s left, no more than its 2 s margin: drained as it joins
        scheduler.onlyPending(0).run();
        assertEquals(List.of(1), listener.draining);
        assertEquals(List.of(false), listener.drainingAnswered, "drained as it joined, before any answer: "
                + "counted toward the group's losses in a row, so a margin that drains every worker as it joins "
                + "cannot churn replacements for ever");
    }

    @Test
    void whenTheManagerDoesNotReplaceADrainingWorkerTheSummaryOfGoneWorkersSaysWhy() {
        start(settings().drainMargin(Duration.ofSeconds(2)));
        group(Duration.ofSeconds(10), 1);
        listener.drainNotReplaced = "It was not replaced: workers of its group were lost 5 times in a row.";
        listener.replacementsStopped = true;
        FakeLink w1 = connect(1, 2); // drained as it joins
        scheduler.onlyPending(0).run();
        assertInstanceOf(Message.Shutdown.class, w1.taken().get(0), "told to exit: it holds nothing");
        dispatcher.workerDisconnected(1, "connection closed");
        assertEquals(WorkerInfo.State.STOPPED, worker(1).state());
        String summary = listener.gone.get(0);
        assertTrue(summary.contains("worker 1 (test, pid 1001 on host1): stopped - ") && summary.contains(
                "\n    It was not replaced: workers of its group were lost 5 times in a row."),
                "the error the program gets when no worker is left names the guard, not only a WARN: " + summary);
        assertTrue(worker(1).detail().contains("It was not replaced"), worker(1).detail());
    }

    @Test
    void aWorkerWithSomeUsableTimeThatDrainsIdleDoesNotCountAgainstItsGroup() {
        start(settings().drainMargin(Duration.ofSeconds(6))); // a margin of 60% of the lifetime, set by hand
        // (it counted when 'near its end' meant less usable time than the margin: a quiet spell stopped the group)
        group(Duration.ofSeconds(10), 1);
        connect(1, 10);
        FakeScheduler.Scheduled drain = scheduler.onlyPending(4_000);
        now[0] += 4 * S;
        drain.run();
        assertEquals(List.of(true), listener.drainingAnswered, "4 s of usable time and nothing to do: a quiet spell, "
                + "not a group that cannot work");
    }

    @Test
    void aDrainingWorkerKilledAtItsWalltimeWhileItHoldsATaskIsToldAsADrainingLoss() {
        start(settings().drainMargin(Duration.ofSeconds(2)));
        group(Duration.ofSeconds(10), 1);
        FakeLink w1 = connect(1, 10);
        FakeScheduler.Scheduled drain = scheduler.onlyPending(8_000);
        QueuedTask t = submit(1);
        assertEquals(List.of(t.id()), tasks(w1));
        now[0] += 8 * S;
        drain.run();
        assertEquals(List.of(1), listener.draining, "the manager heard of the drain (and replaced it then)");
        now[0] += 2 * S; // the batch scheduler kills it at its walltime, its task not done
        dispatcher.workerDisconnected(1, "connection reset");
        assertEquals(List.of(1), listener.lost, "still a loss: it held a task");
        assertEquals(List.of(WorkerLoss.DRAINING), listener.losses, "told as draining: not to be replaced again");
    }

    @Test
    void aWorkerPastItsDrainTimeIsGivenNothingEvenBeforeTheDrainCheckRuns() {
        start(settings());
        group(Duration.ofSeconds(10), 1);
        FakeLink w1 = connect(1, 10);
        now[0] += 9 * S + 1;
        submit(0);
        List<Message> sent = w1.taken();
        assertEquals(1, sent.size(), sent.toString());
        assertInstanceOf(Message.Shutdown.class, sent.get(0));
    }

    @Test
    void aWorkerGoneAtItsWalltimeWithATaskRunningCostsTheTaskNoLostAttemptAndItRunsAgain() {
        start(settings()); // maxLostAttempts 1: a charged loss would fail the task
        group(Duration.ofSeconds(10), 1);
        group(null, 2);
        FakeLink w1 = connect(1, 10);
        QueuedTask t = submit(0);
        assertEquals(List.of(t.id()), tasks(w1));
        now[0] += 10 * S; // the scheduler kills it at its end, before the drain check ran
        dispatcher.workerDisconnected(1, "connection reset");
        assertEquals(0, c(t).calls, "not failed: the walltime is not charged");
        assertEquals(List.of(WorkerLoss.ENDED), listener.losses, "ended by its walltime: no count toward the guard");
        assertFalse(listener.gone.get(0).contains("only task"), "ended by its walltime, it blames no task: "
                + listener.gone.get(0));
        FakeLink w2 = connect(2, -1);
        assertEquals(List.of(t.id()), tasks(w2), "it runs again elsewhere");
        assertEquals(1, t.attempts().size());
        assertEquals(TaskAttempt.Outcome.WALLTIME, t.attempts().get(0).outcome());
        assertEquals(0, t.attemptsThat(TaskAttempt.Outcome.WORKER_LOST));
    }

    @Test
    void aWorkerLostBeforeItsDrainTimeIsStillALoss() {
        start(settings());
        group(Duration.ofSeconds(10), 1);
        FakeLink w1 = connect(1, 10);
        QueuedTask t = submit(0);
        assertEquals(List.of(t.id()), tasks(w1));
        now[0] += 5 * S;
        dispatcher.workerDisconnected(1, "connection reset");
        assertNotNull(c(t).failure, "charged: the one lost attempt allowed is spent");
        assertEquals(TaskAttempt.Outcome.WORKER_LOST, t.attempts().get(0).outcome());
        assertEquals(List.of(1), listener.lost);
        assertEquals(List.of(WorkerLoss.UNASKED), listener.losses, "it counts toward the manager's guard");
    }

    @Test
    void withoutLifetimesNothingIsScheduledAndEstimatesChangeNothing() {
        start(settings());
        group(null, 1);
        FakeLink w1 = connect(1, -1);
        QueuedTask t = submit(10_000);
        assertEquals(List.of(t.id()), tasks(w1));
        assertTrue(scheduler.all.isEmpty());
        assertNull(worker(1).endOfLife());
    }
}
