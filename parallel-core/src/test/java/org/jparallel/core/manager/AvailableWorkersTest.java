package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The summary of gone workers (a walk over every worker ever seen) is built only when no worker is left, the one
 * time a reader's error needs it, and before the count says so: not at each loss of a long run.
 */
class AvailableWorkersTest {
    private int built;

    private Supplier<String> summary(String text) {
        return () -> {
            built++;
            return text;
        };
    }

    @Test
    void theSummaryIsBuiltOnlyWhenNoWorkerIsLeft() {
        AvailableWorkers available = new AvailableWorkers();
        available.starting(3);
        available.gone(summary("first"));
        available.gone(summary("second"));
        assertEquals(0, built, "workers are left: no summary is needed yet");
        assertNull(available.noneLeftReason());
        available.gone(summary("third"));
        assertEquals(1, built);
        String reason = available.noneLeftReason();
        assertTrue(reason.startsWith("No worker is left to run the waiting tasks. third\n"), reason);
        available.noneLeftReason();
        assertEquals(1, built, "read, not built again");

        available.starting(1); // a worker added by the program
        assertNull(available.noneLeftReason());
        available.gone(summary("fourth"));
        assertEquals(2, built);
        assertTrue(available.noneLeftReason().contains("fourth"), available.noneLeftReason());
    }

    @Test
    void workersCountedAheadAndSettledToNoneBuildTheLatestSummary() {
        AvailableWorkers available = new AvailableWorkers();
        available.starting(2); // held for the workers returning after a restart
        available.starting(1);
        available.gone(summary("one gone"));
        assertEquals(0, built);
        available.starting(-2); // settled: none came back, none left
        assertEquals(1, built);
        assertTrue(available.noneLeftReason().contains("one gone"), available.noneLeftReason());
    }

    @Test
    void aWorkerReleasedLastKeepsTheSummaryOfThoseGoneBefore() {
        AvailableWorkers available = new AvailableWorkers();
        available.starting(2);
        available.gone(summary("one crashed"));
        available.released(); // automatic allocation let the other go idle
        assertTrue(available.noneLeftReason().contains("one crashed"), available.noneLeftReason());
    }
}
