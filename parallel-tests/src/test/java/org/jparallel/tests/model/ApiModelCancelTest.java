package org.jparallel.tests.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.tests.model.ApiTask.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ApiModel}'s own bookkeeping of cancels, on one fixed sequence rather than a random one: a cancel the future
 * refuses (the task already cancelled or done) must keep the time of the cancel that took effect. Overwritten, it
 * made the first cancel's taskCancelled, posted before a removeListener and heard by that listener, look caused by
 * the program after the removal: a false violation (71cbcac, which had no test).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ApiModelCancelTest {
    @TempDir
    Path dir;

    @Test
    void aRefusedCancelKeepsTheFirstCancelsTimeForTheEventsJudgedAfterARemoveListener() {
        try (ApiModel m = new ApiModel(dir, ApiSettings.plain())) {
            m.newContext(false);
            m.addTasks(m.contexts.get(0), List.of(Kind.SLEEPS_LONG)); // still queued or running: its cancel counts
            ApiTask t = m.tasks.get(0);
            m.cancel(t, false);
            assertTrue(t.cancelled, "the first cancel took effect");
            long first = t.cancelledAt;
            m.manager().stats(); // a query: the loop ran the cancel, whose taskCancelled went to the listener
            m.events.removeListener(m.manager(), 0); // the listener hears it all the same: it was on its way
            m.cancel(t, false); // the program's second cancel, after the removal: refused, already cancelled
            m.closeManager(); // delivers the events posted and judges what each listener heard
            m.check(); // before 71cbcac: "heard taskCancelled ... though removeListener had returned before the task
            // was cancelled"
            assertEquals(first, t.cancelledAt, "the refused cancel kept the first one's time");
        }
    }
}
