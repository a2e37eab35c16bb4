package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.NoMoreWorkersException;
import org.jparallel.TaskFailedException;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A setup that kills every worker's JVM, with the default settings (lost workers replaced, no fixed
 * budget): the manager stops replacing the group after a bounded number of losses in a row with no
 * answer, and the run ends with a NoMoreWorkersException that says why, instead of starting workers for ever.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrashingSetupTest {
    @TempDir
    Path tempDir;

    @Test
    void aSetupThatHaltsEveryWorkerEndsTheRunWithAClearErrorAfterABoundedNumberOfStarts() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(2));
            Context<Long, Integer> ctx = manager.getContext(WorkerSide::haltWorker);
            for (int i = 0; i < 20; i++) {
                int k = i;
                ctx.addTask(s -> k);
            }
            NoMoreWorkersException none = null;
            int results = 0;
            int failures = 0;
            Iterator<Integer> it = ctx.getResultsUnordered().iterator();
            try {
                while (it.hasNext()) {
                    try {
                        it.next();
                        results++;
                    } catch (TaskFailedException e) { // a task whose setup took maxLostAttempts workers
                        failures++;
                    }
                }
            } catch (NoMoreWorkersException e) {
                none = e;
            }
            assertNotNull(none, "the run ends (" + results + " results, " + failures + " failures)");
            String m = none.getMessage();
            assertTrue(m.contains("were lost 7 times in a row without an answer to any task from a worker started since "
                    + "the first of them, more than the limit of 6"), m);
            assertTrue(m.contains("setup or the worker JVM itself may be crashing them"), m);
            assertTrue(results == 0, "no setup ever succeeded: " + results);
            int started = manager.workers().size();
            // 2 workers, then one replacement per loss up to 3 per worker of the group in a row: 6
            assertTrue(started <= 2 + 6, "workers started: " + started + "\n" + TestSupport.describe(manager.workers()));
        }
    }
}
