package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.JournalMode;
import org.jparallel.Manager;
import org.jparallel.NoMoreWorkersException;
import org.jparallel.TaskFailedException;
import org.jparallel.TaskOptions;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a journal, a task's failure reaches its context through the journal's thread (after the failure's record is
 * written). When that failure comes with the loss of the last worker (a task that kills its worker, no replacement
 * left), a reader must get the failure before it is told no worker is left: the failure needs no worker, it is only
 * on its way. Found by ApiModelTest with replaceLostWorkers(1) (seed -8457059539037026324): the last run's halting
 * key was never delivered, the reader having stopped at a NoMoreWorkersException that came first.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JournalNoMoreWorkersTest {
    /** Rounds: the journal's write is quick, the reader often woken after it; several rounds make the race likely. */
    private static final int ROUNDS = 6;

    @TempDir
    Path dir;

    @Test
    void aFailureJournaledAsTheLastWorkerIsLostIsReadBeforeNoMoreWorkersException() {
        for (int round = 0; round < ROUNDS; round++) {
            try (Manager m = TestSupport.builder(dir).replaceLostWorkers(0).maxLostAttempts(1).prefetch(1)
                    .journal(dir.resolve("round" + round + ".journal"), JournalMode.FRESH).build()) {
                m.addWorker(new LocalWorker(1));
                Context<Void, Integer> ctx = m.<Integer>getContext("c");
                ctx.addTask(s -> (int) WorkerSide.haltWorker(), TaskOptions.none().withKey("poison"));
                ctx.addTask(s -> 1, TaskOptions.none().withKey("waiting")); // no worker left to run it
                Iterator<Integer> it = ctx.getResultsUnordered().iterator();
                assertTrue(it.hasNext());
                int r = round;
                TaskFailedException f = assertThrows(TaskFailedException.class, it::next,
                        () -> "round " + r + ": the poison task's failure, before the reader hears no worker is left");
                assertTrue(f.getMessage().contains("lost"), f.getMessage());
                assertTrue(it.hasNext());
                assertThrows(NoMoreWorkersException.class, it::next, "then: the waiting task has no worker left");
            }
        }
    }
}
