package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.NoMoreWorkersException;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every worker killed with tasks still queued: the reader gets NoMoreWorkersException at once rather
 * than a hang; the queued tasks are kept, and a new worker runs them when the results are read again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NoMoreWorkersRecoveryTest {
    private static final int TASKS = 50;

    @TempDir
    Path tempDir;

    @Test
    void allWorkersKilledWithTasksQueuedThrowsPromptlyThenANewLocalWorkerCompletesEachOfThe50ExactlyOnce() {
        // without replacements (by default both would be replaced): the point is the reader's error, then recovery
        try (Manager manager = TestSupport.builder(tempDir).replaceLostWorkers(0).build()) {
            manager.addWorker(new LocalWorker(2));
            List<WorkerInfo> first = TestSupport.awaitConnected(manager, 2, Duration.ofSeconds(60));
            Context<Void, Integer> ctx = manager.<Integer>getContext();
            for (int i = 0; i < TASKS; i++) {
                int k = i;
                ctx.addTask(s -> WorkerSide.sleepThenReturn(100, k));
            }
            BitSet seen = new BitSet(TASKS);
            List<Integer> duplicates = new ArrayList<>();
            Iterator<Integer> it = ctx.getResultsUnordered().iterator();
            // let a few results through, so the kill lands mid-run with most tasks still queued
            for (int i = 0; i < 4; i++) {
                record(it.next(), seen, duplicates);
            }
            long killedAt = System.nanoTime();
            for (WorkerInfo w : first) {
                TestSupport.kill9(w.pid());
            }
            NoMoreWorkersException none = null;
            while (it.hasNext()) {
                try {
                    record(it.next(), seen, duplicates);
                } catch (NoMoreWorkersException e) {
                    none = e;
                    break;
                }
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            System.out.println("NoMoreWorkersRecoveryTest: NoMoreWorkersException " + ms + " ms after killing both"
                    + " workers, with " + seen.cardinality() + " results read and " + ctx.outstanding() + " waiting");
            assertTrue(none != null, "no NoMoreWorkersException; read " + seen.cardinality());
            assertTrue(ms < 5_000, "NoMoreWorkersException took " + ms + " ms after the kills");
            assertTrue(ctx.outstanding() > 30, "the kill should leave most tasks queued: " + ctx.outstanding());
            String msg = none.getMessage();
            for (WorkerInfo w : first) {
                assertTrue(msg.contains("worker " + w.id()), "message does not name worker " + w.id() + ": " + msg);
            }
            List<WorkerInfo> lost = manager.workers();
            assertTrue(lost.stream().allMatch(w -> w.state() == WorkerInfo.State.LOST), TestSupport.describe(lost));
            long readBeforeRecovery = seen.cardinality();

            manager.addWorker(new LocalWorker(2));
            for (Integer r : ctx.getResultsUnordered()) {
                record(r, seen, duplicates);
            }
            if (!duplicates.isEmpty()) {
                fail("duplicate results: " + duplicates);
            }
            assertEquals(TASKS, seen.cardinality(), "results read: " + seen + " (" + readBeforeRecovery
                    + " before the exception)");
            assertEquals(0, ctx.outstanding());
            assertEquals(TASKS, manager.stats().tasksSucceeded(), manager.stats().toString());
            assertEquals(2, TestSupport.connectedPids(manager).size(), TestSupport.describe(manager.workers()));
        }
    }

    private static void record(int r, BitSet seen, List<Integer> duplicates) {
        assertTrue(r >= 0 && r < TASKS, "result out of range: " + r);
        if (seen.get(r)) {
            duplicates.add(r);
        }
        seen.set(r);
    }
}
