package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jparallel.ManagerSettings;
import org.jparallel.core.dispatch.WorkerLoss;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;
import org.junit.jupiter.api.Test;

/**
 * Which gone workers are replaced: lost ones within the budget (none by default) unless their group keeps losing
 * them without an answer, failed starts only of a group that has started one.
 */
class WorkerReplacementsTest {
    /** The id of the next worker to start, where the tests do not care: answers from it end losses in a row. */
    private static final int NEXT = 10;

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
        WorkerReplacements r = new WorkerReplacements(100_000, 3);
        Group g = new Group(2);
        for (int i = 0; i < 5; i++) {
            String why = r.refuseFailedStart(g);
            assertTrue(why != null && why.contains("no worker of its group has connected"), why);
        }
        assertEquals(0, r.used(), "no budget spent on a group that cannot start");
    }

    @Test
    void aGroupWhoseWorkersCameBackToARestartedManagerHasConnected() {
        WorkerReplacements r = new WorkerReplacements(100_000, 3);
        Group g = new Group(2);
        r.cameBack(g); // a previous run's workers stood in for it: its backend does start workers
        assertNull(r.refuseFailedStart(g), "a replacement of it that failed to start is replaced");
        r.cameBack(g);
        for (int i = 0; i < 5; i++) {
            r.refuseFailedStart(g);
        }
        assertTrue(r.refuseFailedStart(g).contains("failed to start in a row"),
                "workers coming back do not start the count of failed starts again");
    }

    @Test
    void aFailedStartIsReplacedOnceItsGroupHasConnectedAndUsesTheBudgetSharedWithLostWorkers() {
        WorkerReplacements r = new WorkerReplacements(3, 3);
        Group g = new Group(4);
        r.connected(g);
        assertNull(r.refuseFailedStart(g));
        assertNull(r.refuseLost(g, WorkerLoss.UNASKED, NEXT));
        assertNull(r.refuseFailedStart(g));
        assertEquals(3, r.used());
        String why = r.refuseFailedStart(g);
        assertTrue(why != null && why.contains("budget of 3 is spent"), why);
        why = r.refuseLost(g, WorkerLoss.UNASKED, NEXT);
        assertTrue(why != null && why.contains("budget of 3 is spent"), why);
        why = r.refuseDraining(g, true, NEXT);
        assertTrue(why != null && why.contains("budget of 3 is spent"), why);
        assertEquals(3, r.used());
    }

    @Test
    void failedStartsInARowAreReplacedUpToThreePerWorkerOfTheGroupAndAConnectStartsTheCountAgain() {
        WorkerReplacements r = new WorkerReplacements(100_000, 3);
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
        WorkerReplacements r = new WorkerReplacements(10, 3);
        Group good = new Group(1);
        Group bad = new Group(1);
        r.connected(good);
        assertNull(r.refuseFailedStart(good));
        assertTrue(r.refuseFailedStart(bad).contains("no worker of its group has connected"));
    }

    @Test
    void withoutABudgetNothingIsReplacedAndThereIsNothingToExplain() {
        WorkerReplacements r = new WorkerReplacements(0, 3);
        Group g = new Group(1);
        r.connected(g);
        assertEquals("", r.refuseFailedStart(g));
        assertEquals("", r.refuseLost(g, WorkerLoss.UNASKED, NEXT));
        assertEquals("", r.refuseDraining(g, true, NEXT));
    }

    @Test
    void byDefaultThereIsNoFixedBudget() {
        WorkerReplacements r = new WorkerReplacements(ManagerSettings.defaults().replaceLostWorkers(), 3);
        assertEquals(ManagerSettings.UNLIMITED_REPLACEMENTS, ManagerSettings.defaults().replaceLostWorkers());
        Group g = new Group(1);
        r.connected(g);
        for (int i = 0; i < 10_000; i++) {
            assertNull(r.refuseLost(g, WorkerLoss.UNASKED, NEXT), "loss " + (i + 1));
            r.answered(g, NEXT);
            assertNull(r.refuseDraining(g, true, NEXT));
        }
        assertEquals(20_000, r.used());
        assertEquals("20000 replacement(s)", r.usedText());
    }

    @Test
    void lostWorkersAreReplacedUpToThreePerWorkerInARowWithoutAnAnswerThenNotAndTheReasonSaysWhatToDo() {
        WorkerReplacements r = new WorkerReplacements(ManagerSettings.UNLIMITED_REPLACEMENTS, 3);
        Group g = new Group(2);
        r.connected(g);
        for (int i = 0; i < 6; i++) {
            assertNull(r.refuseLost(g, WorkerLoss.UNASKED, NEXT), "loss " + (i + 1));
            r.connected(g); // replacements connecting do not start the count again: only an answer does
        }
        String why = r.refuseLost(g, WorkerLoss.UNASKED, NEXT);
        assertTrue(why != null && why.contains("were lost 7 times in a row without an answer to any task"), why);
        assertTrue(why.contains("limit of 6 (3 per worker of the group, at least maxLostAttempts + 1)"), why);
        assertTrue(why.contains("setup or the worker JVM itself") && why.contains("output files"), why);
        assertEquals(7, r.lostInARow(g));
        assertTrue(r.refuseLost(g, WorkerLoss.UNASKED, NEXT).contains("lost 8 times in a row"), "and so on while no answer comes");
        assertEquals(6, r.used());
    }

    @Test
    void anAnswerFromTheGroupStartsTheCountOfLossesAgain() {
        WorkerReplacements r = new WorkerReplacements(ManagerSettings.UNLIMITED_REPLACEMENTS, 3);
        Group g = new Group(1);
        r.connected(g);
        for (int round = 0; round < 5; round++) { // a poison task: four losses (its first uncharged), then the other tasks answer
            for (int i = 0; i < 4; i++) {
                assertNull(r.refuseLost(g, WorkerLoss.UNASKED, NEXT), "round " + round + ", loss " + (i + 1));
            }
            r.answered(g, NEXT);
        }
        assertEquals(0, r.lostInARow(g));
        for (int i = 0; i < 4; i++) {
            assertNull(r.refuseLost(g, WorkerLoss.UNASKED, NEXT));
        }
        assertTrue(r.refuseLost(g, WorkerLoss.UNASKED, NEXT).contains("lost 5 times in a row"));
        r.answered(g, NEXT); // a replacement answers: replaced again
        assertNull(r.refuseLost(g, WorkerLoss.UNASKED, NEXT));
    }

    @Test
    void lossesInARowAreCountedPerGroupAndAnotherGroupsAnswerDoesNotCount() {
        WorkerReplacements r = new WorkerReplacements(ManagerSettings.UNLIMITED_REPLACEMENTS, 3);
        Group crashing = new Group(1);
        Group healthy = new Group(1);
        r.connected(crashing);
        r.connected(healthy);
        for (int i = 0; i < 4; i++) {
            assertNull(r.refuseLost(crashing, WorkerLoss.UNASKED, NEXT));
            r.answered(healthy, NEXT);
        }
        assertNull(r.refuseLost(healthy, WorkerLoss.UNASKED, NEXT), "the healthy group's own count is 1");
        assertTrue(r.refuseLost(crashing, WorkerLoss.UNASKED, NEXT).contains("lost 5 times in a row"));
        assertEquals(1, r.lostInARow(healthy));
    }

    @Test
    void aFixedBudgetIsItsOwnBoundAndLossesInARowDoNotStopIt() {
        WorkerReplacements r = new WorkerReplacements(20, 3);
        Group g = new Group(1);
        r.connected(g);
        for (int i = 0; i < 20; i++) {
            assertNull(r.refuseLost(g, WorkerLoss.UNASKED, NEXT), "loss " + (i + 1) + ", as replaceLostWorkers(20) asked");
        }
        assertTrue(r.refuseLost(g, WorkerLoss.UNASKED, NEXT).contains("budget of 20 is spent"));
        assertEquals(0, r.lostInARow(g), "not counted: the manager's one WARN of the guard is not given");
    }

    @Test
    void aLargerMaxLostAttemptsAllowsAsManyLossesPerWorker() {
        WorkerReplacements r = new WorkerReplacements(ManagerSettings.UNLIMITED_REPLACEMENTS, 5);
        Group g = new Group(2);
        r.connected(g);
        assertEquals(10, r.lostInARowLimit(g), "a poison task may take 5 workers in a row and still fail alone");
        for (int i = 0; i < 10; i++) {
            assertNull(r.refuseLost(g, WorkerLoss.UNASKED, NEXT));
        }
        assertTrue(r.refuseLost(g, WorkerLoss.UNASKED, NEXT).contains("limit of 10 (5 per worker of the group, at least maxLostAttempts + 1)"));
    }

    @Test
    void aDrainingWorkerReplacedAheadIsNotReplacedAgainAtItsLossAndItsLossDoesNotCount() {
        WorkerReplacements r = new WorkerReplacements(ManagerSettings.UNLIMITED_REPLACEMENTS, 3);
        Group g = new Group(1);
        r.connected(g);
        for (int i = 0; i < 10; i++) { // batch workers killed at their walltime while draining a long task
            assertNull(r.refuseDraining(g, true, NEXT), "replaced as it begins draining");
            assertEquals("", r.refuseLost(g, WorkerLoss.DRAINING, NEXT), "not replaced again when the scheduler kills it");
        }
        assertEquals(10, r.used(), "one replacement per draining worker, not two");
        assertEquals(0, r.lostInARow(g), "no count toward the guard");
        assertNull(r.refuseLost(g, WorkerLoss.UNASKED, NEXT), "a crash is still replaced");
    }

    @Test
    void workersTheManagerStoppedOrWhoseLifetimeEndedAreReplacedButDoNotCountTowardTheGuard() {
        WorkerReplacements r = new WorkerReplacements(ManagerSettings.UNLIMITED_REPLACEMENTS, 3);
        Group g = new Group(1);
        r.connected(g);
        for (int i = 0; i < 10; i++) { // tasks that ignore their interruption after a timeout, walltimes
            assertNull(r.refuseLost(g, WorkerLoss.ENDED, NEXT), "ended loss " + (i + 1));
        }
        assertEquals(10, r.used());
        assertEquals(0, r.lostInARow(g), "not a sign that something crashes every worker");
        for (int i = 0; i < 4; i++) {
            assertNull(r.refuseLost(g, WorkerLoss.UNASKED, NEXT));
        }
        assertTrue(r.refuseLost(g, WorkerLoss.UNASKED, NEXT).contains("lost 5 times in a row"), "crashes still count");
        assertTrue(r.refuseLost(g, WorkerLoss.ENDED, NEXT).contains("lost 5 times in a row"),
                "once the guard stopped the group, no loss of it is replaced until an answer");
        assertEquals(5, r.lostInARow(g));
    }

    @Test
    void aReplacementThatDiesIdleWhileAnOldWorkerKeepsAnsweringTripsTheGuard() {
        WorkerReplacements r = new WorkerReplacements(ManagerSettings.UNLIMITED_REPLACEMENTS, 3);
        Group g = new Group(2); // worker 1 on a good node, worker 2 on a bad one (every worker there dies idle)
        r.connected(g);
        int next = 3;
        assertNull(r.refuseLost(g, WorkerLoss.UNASKED, next), "worker 2 dies; its replacement will be worker 3");
        for (int i = 0; i < 5; i++) {
            r.answered(g, 1); // the old worker answers on
            assertNull(r.refuseLost(g, WorkerLoss.UNASKED, ++next), "replacement " + (next - 1) + " dies idle");
        }
        r.answered(g, 1);
        String why = r.refuseLost(g, WorkerLoss.UNASKED, ++next);
        assertTrue(why != null && why.contains("lost 7 times in a row"), why);
        assertEquals(6, r.used());
    }

    @Test
    void onlyAnAnswerFromAWorkerStartedSinceTheFirstLossInARowEndsThem() {
        WorkerReplacements r = new WorkerReplacements(ManagerSettings.UNLIMITED_REPLACEMENTS, 3);
        Group g = new Group(1);
        r.connected(g);
        assertNull(r.refuseLost(g, WorkerLoss.UNASKED, 2)); // worker 1 takes a poison task down with it
        assertNull(r.refuseLost(g, WorkerLoss.UNASKED, 3)); // worker 2 too
        r.answered(g, 1); // a late answer of worker 1 (or of an older worker) proves nothing
        assertEquals(2, r.lostInARow(g));
        assertNull(r.refuseLost(g, WorkerLoss.UNASKED, 4)); // worker 3 too: the task fails
        r.answered(g, 4); // its replacement answers the innocent tasks
        assertEquals(0, r.lostInARow(g));
        assertNull(r.refuseLost(g, WorkerLoss.UNASKED, 5)); // a second poison task: a new streak, from worker 5
        r.answered(g, 4);
        assertEquals(1, r.lostInARow(g), "worker 4 was started before this streak's first loss");
        r.answered(g, 5);
        assertEquals(0, r.lostInARow(g));
    }

    @Test
    void aGroupOfOneMayLoseMaxLostAttemptsPlusOneInARowForATasksFirstLossIsNotChargedWhenItsWorkerHeldOthers() {
        WorkerReplacements r = new WorkerReplacements(ManagerSettings.UNLIMITED_REPLACEMENTS, 3);
        Group g = new Group(1);
        r.connected(g);
        assertEquals(4, r.lostInARowLimit(g), "LocalWorker(1): the poison task's worker with prefetched tasks, then 3");
        for (int i = 0; i < 4; i++) {
            assertNull(r.refuseLost(g, WorkerLoss.UNASKED, NEXT), "loss " + (i + 1));
        }
        assertTrue(r.refuseLost(g, WorkerLoss.UNASKED, NEXT).contains("limit of 4 (3 per worker of the group, at least "
                + "maxLostAttempts + 1)"));
        assertEquals(6, new WorkerReplacements(ManagerSettings.UNLIMITED_REPLACEMENTS, 5).lostInARowLimit(g));
        assertEquals(6, new WorkerReplacements(ManagerSettings.UNLIMITED_REPLACEMENTS, 3).lostInARowLimit(new Group(2)));
    }

    @Test
    void drainsBeforeAnyAnswerCountTowardTheGuardWhichThenRefusesToReplaceDrainingWorkers() {
        WorkerReplacements r = new WorkerReplacements(ManagerSettings.UNLIMITED_REPLACEMENTS, 3);
        Group g = new Group(1);
        r.connected(g);
        for (int i = 0; i < 4; i++) { // a drain margin as long as the lifetime: each worker drains as it joins
            assertNull(r.refuseDraining(g, false, NEXT), "drain " + (i + 1));
        }
        String why = r.refuseDraining(g, false, NEXT);
        assertTrue(why != null && why.contains("It was not replaced: workers of its group (test, 1 worker(s)) were lost 5 "
                + "times in a row") && why.contains("began draining as it joined"),
                "the fifth drain in a row without an answer trips the guard, and the reason says so: " + why);
        assertEquals(5, r.lostInARow(g));
        assertTrue(r.stopped(g));
        assertTrue(r.guardText(g).contains("lost 5 times in a row without an answer to any task from a worker started "
                + "since the first of them"), r.guardText(g));
        assertNotNull(r.refuseDraining(g, true, NEXT), "no draining worker of a stopped group is replaced");
        assertEquals(4, r.used());
        r.answered(g, NEXT);
        assertNull(r.refuseDraining(g, true, NEXT), "a new worker's answer starts the count again");
    }

    @Test
    void aDrainAfterAnswersDoesNotCountTowardTheGuard() {
        WorkerReplacements r = new WorkerReplacements(ManagerSettings.UNLIMITED_REPLACEMENTS, 3);
        Group g = new Group(1);
        r.connected(g);
        assertNull(r.refuseLost(g, WorkerLoss.UNASKED, NEXT));
        for (int i = 0; i < 100; i++) {
            assertNull(r.refuseDraining(g, true, NEXT), "drain " + (i + 1));
        }
        assertEquals(1, r.lostInARow(g), "only the crash counts");
        assertEquals(101, r.used());
    }
}
