package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;
import org.junit.jupiter.api.Test;

/** Which gone workers are replaced: lost ones within the budget, failed starts only of a group that has started one. */
class WorkerReplacementsTest {

    /** A group of {@code size} workers that is never asked to start any here. */
    private record Group(int size) implements WorkerGroup {
        @Override
        public String backendName() {
            return "test";
        }

        @Override
        public List<WorkerHandle> start(LaunchSpec spec) {
            throw new UnsupportedOperationException("not started in this test");
        }
    }

    @Test
    void aFailedStartOfAGroupNoWorkerOfWhichEverConnectedIsNotReplacedAndTheReasonSaysSo() {
        WorkerReplacements r = new WorkerReplacements(100_000);
        Group g = new Group(2);
        for (int i = 0; i < 5; i++) {
            String why = r.refuseFailedStart(g);
            assertTrue(why != null && why.contains("no worker of its group has connected"), why);
        }
        assertEquals(0, r.used(), "no budget spent on a group that cannot start");
    }

    @Test
    void aFailedStartIsReplacedOnceItsGroupHasConnectedAndUsesTheBudgetSharedWithLostWorkers() {
        WorkerReplacements r = new WorkerReplacements(3);
        Group g = new Group(4);
        r.connected(g);
        assertNull(r.refuseFailedStart(g));
        assertTrue(r.replaceLost());
        assertNull(r.refuseFailedStart(g));
        assertEquals(3, r.used());
        String why = r.refuseFailedStart(g);
        assertTrue(why != null && why.contains("budget of 3 is spent"), why);
        assertFalse(r.replaceLost());
        assertEquals(3, r.used());
    }

    @Test
    void failedStartsInARowAreReplacedUpToThreePerWorkerOfTheGroupAndAConnectStartsTheCountAgain() {
        WorkerReplacements r = new WorkerReplacements(100_000);
        Group g = new Group(2);
        r.connected(g);
        for (int i = 0; i < 6; i++) {
            assertNull(r.refuseFailedStart(g), "failed start " + (i + 1));
        }
        String why = r.refuseFailedStart(g);
        assertTrue(why != null && why.contains("7 workers of its group failed to start in a row"), why);
        assertTrue(why.contains("limit of 6"), why);

        r.connected(g);
        assertNull(r.refuseFailedStart(g), "a worker of the group connected since: replaced again");
        assertEquals(7, r.used());
    }

    @Test
    void eachGroupIsJudgedByItsOwnWorkers() {
        WorkerReplacements r = new WorkerReplacements(10);
        Group good = new Group(1);
        Group bad = new Group(1);
        r.connected(good);
        assertNull(r.refuseFailedStart(good));
        assertTrue(r.refuseFailedStart(bad).contains("no worker of its group has connected"));
    }

    @Test
    void withoutABudgetNothingIsReplacedAndThereIsNothingToExplain() {
        WorkerReplacements r = new WorkerReplacements(0);
        Group g = new Group(1);
        r.connected(g);
        assertEquals("", r.refuseFailedStart(g));
        assertFalse(r.replaceLost());
    }
}
