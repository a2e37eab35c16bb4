package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
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
 * A worker lifetime hardly longer than the drain margin drains every worker as it joins (its start takes the rest): with the default settings
 * (replacement without a fixed budget) the guard on losses in a row stops replacing them, instead of starting a new
 * worker each cycle for the whole run; and the error a reader then gets says why.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DrainMarginGuardTest {
    @TempDir
    Path tempDir;

    @Test
    void workersThatDrainAsTheyJoinAreReplacedOnlyUpToTheGuardsLimit() throws Exception {
        WalltimeTest.Events events = new WalltimeTest.Events();
        try (Manager manager = TestSupport.builder(tempDir).workerLifetime(Duration.ofSeconds(2))
                .drainMargin(Duration.ofMillis(1900)).listener(events).build()) {
            manager.addWorker(new LocalWorker(1));
            // LocalWorker(1) with maxLostAttempts 3: at most 4 losses in a row are replaced, so 5 workers in all;
            // without the guard, a sixth worker drains soon after
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (events.drained.size() < 6 && !(events.drained.size() >= 5 && noneLeft(manager.workers()))) {
                assertTrue(System.nanoTime() < deadline, () -> "neither stopped nor went on: "
                        + TestSupport.describe(manager.workers()));
                Thread.sleep(50); // polling the manager's state, not synchronising on a guess
            }
            assertTrue(events.joined.size() <= 5 && events.drained.size() <= 5, () -> events.joined.size()
                    + " workers joined and " + events.drained.size() + " drained, more than the guard's 1 + 4: "
                    + TestSupport.describe(manager.workers()));
            List<WorkerInfo> workers = manager.workers();
            assertTrue(noneLeft(workers), () -> "no worker is starting or running: " + TestSupport.describe(workers));

            // the program's error names the guard, not only a WARN in the log
            Context<Void, Integer> ctx = manager.<Integer>getContext();
            ctx.addTask(s -> 1);
            NoMoreWorkersException none = assertThrows(NoMoreWorkersException.class,
                    () -> ctx.getResultsUnordered().iterator().next());
            assertTrue(none.getMessage().contains("It was not replaced: workers of its group (local")
                    && none.getMessage().contains("times in a row")
                    && none.getMessage().contains("began draining as it joined"), none.getMessage());
        }
    }

    private static boolean noneLeft(List<WorkerInfo> workers) {
        return workers.stream().noneMatch(w -> w.state() == WorkerInfo.State.STARTING
                || w.state() == WorkerInfo.State.CONNECTED);
    }
}
