package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker lost while no task waits or runs (the end of a run) is replaced only once a task comes: it used to be
 * replaced at once, a JVM started just before the program's close stopped it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IdleLossReplacementTest {
    @TempDir
    Path tempDir;

    @Test
    void aWorkerLostIdleIsReplacedOnlyOnceATaskComes() {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(1));
            WorkerInfo first = TestSupport.awaitConnected(manager, 1, Duration.ofSeconds(60)).get(0);
            Context<Void, Integer> ctx = manager.<Integer>getContext();
            ctx.addTask(s -> 1);
            assertEquals(List.of(1), read(ctx), "the run's results are in");

            TestSupport.kill9(first.pid()); // lost idle, as a node reclaimed at the end of a run
            TestSupport.pollUntil(Duration.ofSeconds(30), () -> manager.workers().stream()
                    .anyMatch(w -> w.id() == first.id() && w.state() == WorkerInfo.State.LOST),
                    () -> "worker " + first.id() + " is not lost: " + TestSupport.describe(manager.workers()));
            List<WorkerInfo> afterLoss = manager.workers(); // asked after the loss was handled, on the manager's loop
            assertEquals(1, afterLoss.size(), () -> "no replacement started while nothing is to do: "
                    + TestSupport.describe(afterLoss));

            ctx.addTask(s -> 2); // a task comes: the replacement starts and runs it
            assertEquals(List.of(2), read(ctx));
            List<WorkerInfo> workers = manager.workers();
            assertEquals(2, workers.size(), () -> TestSupport.describe(workers));
            assertTrue(workers.get(1).tasksCompleted() == 1, () -> TestSupport.describe(workers));
        }
    }

    private static List<Integer> read(Context<Void, Integer> ctx) {
        List<Integer> out = new java.util.ArrayList<>();
        ctx.getResultsUnordered().forEach(out::add);
        return out;
    }
}
