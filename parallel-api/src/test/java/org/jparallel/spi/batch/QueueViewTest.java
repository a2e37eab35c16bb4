package org.jparallel.spi.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jparallel.spi.CommandRunner;
import org.junit.jupiter.api.Test;

/** The throttled queue view, on a fake clock: no sleeps. */
class QueueViewTest {
    private final AtomicLong clock = new AtomicLong(1_000);
    private final FakeRunner runner = new FakeRunner().answer("stat", 0, "7 1 RUNNING\n7 2 PENDING 0 queued (qw)");
    private final QueueView view = new QueueView(new FakeScheduler(), new BatchOptions.Basic(), runner, clock::get, 1_000);

    private void advanceMillis(long ms) {
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    @Test
    void oneStatusCommandServesEveryCallerWithinTheMaximumAge() {
        view.watch("7");
        view.watch("9");
        QueueView.Snapshot first = view.snapshot();
        advanceMillis(999);
        assertSame(first, view.snapshot());
        assertEquals(List.of(List.of("stat", "7", "9")), runner.of("stat"));
        assertEquals(TaskState.running(), first.tasks().get(new ArrayTask("7", 1)));
        assertEquals(TaskState.pending("queued (qw)"), first.tasks().get(new ArrayTask("7", 2)));
        advanceMillis(1);
        QueueView.Snapshot second = view.snapshot();
        assertEquals(2, runner.of("stat").size());
        assertEquals(first.sequence() + 1, second.sequence());
    }

    @Test
    void nothingWatchedRunsNoCommand() {
        assertTrue(view.snapshot().tasks().isEmpty());
        assertEquals(List.of(), runner.commands);
    }

    @Test
    void aForgottenJobIsNoLongerAskedAbout() {
        view.watch("7");
        view.watch("9");
        view.forget("7");
        view.snapshot();
        assertEquals(List.of(List.of("stat", "9")), runner.of("stat"));
    }

    @Test
    void aFailedStatusCommandKeepsTheLastStatesAndSaysWhy() {
        view.watch("7");
        Map<ArrayTask, TaskState> before = view.snapshot().tasks();
        assertNull(view.snapshot().error());
        runner.answer("stat", 1, "cannot reach the server");
        view.invalidate();
        QueueView.Snapshot s = view.snapshot();
        assertEquals(before, s.tasks());
        assertNotNull(s.error());
        assertTrue(s.error().contains("cannot reach the server"), s.error());
    }

    @Test
    void invalidateMakesTheNextCallerRunTheStatusCommand() {
        view.watch("7");
        view.snapshot();
        view.invalidate();
        view.snapshot();
        assertEquals(2, runner.of("stat").size());
    }

    @Test
    void aConfiguredCommandReplacesTheToolsName() {
        QueueView v = new QueueView(new FakeScheduler(), new BatchOptions.Basic().command("stat", "/opt/pbs/stat --fast"),
                runner, clock::get, 1_000);
        v.watch("7");
        v.snapshot();
        assertEquals(List.of("/opt/pbs/stat", "--fast", "7"), runner.commands.get(0));
    }

    @Test
    void theReasonIsAskedOncePerJobAndAgainWhileItIsEmpty() {
        runner.answer("why", 0, "");
        assertEquals("", view.reason(new ArrayTask("7", 1)));
        runner.answer("why", 0, "can't open output file");
        assertEquals("can't open output file", view.reason(new ArrayTask("7", 1)));
        assertEquals("can't open output file", view.reason(new ArrayTask("7", 2)));
        assertEquals(2, runner.of("why").size());
    }

    @Test
    void historyIsAskedOncePerSnapshotAndNeverAgainOnceTheSchedulerKeepsNone() {
        FakeScheduler withHistory = new FakeScheduler() {
            @Override
            public List<String> historyCommand(String jobId) {
                return List.of("acct", jobId);
            }

            @Override
            public Map<ArrayTask, TaskState> parseHistory(CommandRunner.Result r) {
                if (r.stdout().contains("disabled")) {
                    throw new UnsupportedOperationException("accounting storage is disabled");
                }
                return r.stdout().isBlank() ? Map.of() : Map.of(new ArrayTask("7", 1), TaskState.done(3, "FAILED"));
            }
        };
        QueueView v = new QueueView(withHistory, new BatchOptions.Basic(), runner, clock::get, 1_000);
        assertEquals(Optional.empty(), v.history(new ArrayTask("7", 1), 1));
        assertEquals(Optional.empty(), v.history(new ArrayTask("7", 1), 1));
        assertEquals(1, runner.of("acct").size());
        runner.answer("acct", 0, "7_1|FAILED|3:0");
        assertEquals(Optional.of(TaskState.done(3, "FAILED")), v.history(new ArrayTask("7", 1), 2));
        assertEquals(Optional.of(TaskState.done(3, "FAILED")), v.history(new ArrayTask("7", 1), 3));
        assertEquals(2, runner.of("acct").size());
        runner.answer("acct", 1, "accounting storage is disabled");
        assertEquals(Optional.empty(), v.history(new ArrayTask("8", 1), 4));
        assertEquals(Optional.empty(), v.history(new ArrayTask("9", 1), 5));
        assertEquals(3, runner.of("acct").size());
    }

    @Test
    void unendedJobsAreThoseWithATaskQueuedRunningOrHeldAndAFailedStatusIsAnError() throws Exception {
        runner.answer("stat", 0, "7 1 RUNNING\n8 1 DONE 0\n9 1 ENDED time limit\n10 1 HELD held by the user\n"
                + "11 1 DONE 0\n11 2 PENDING 0 queued (qw)");
        assertEquals(java.util.Set.of("7", "10", "11"), view.unended(List.of("11", "9", "8", "7", "10")));
        assertEquals(List.of("stat", "10", "11", "7", "8", "9"), runner.of("stat").get(0), "asked now, in order");
        runner.answer("stat", 1, "cannot reach the controller");
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> view.unended(List.of("7")));
    }
}
