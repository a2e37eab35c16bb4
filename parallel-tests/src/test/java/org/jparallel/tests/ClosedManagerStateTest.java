package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.ManagerStats;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A closed manager answers {@code stats()} and {@code workers()} with its final state (issue 18, item 9). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClosedManagerStateTest {

    @TempDir
    Path tempDir;

    @Test
    void statsAndWorkersAfterCloseGiveTheFinalState() {
        Manager manager = TestSupport.builder(tempDir).build();
        ManagerStats atClose;
        try (manager) {
            manager.addWorker(new LocalWorker(2));
            TestSupport.awaitConnected(manager, 2, Duration.ofSeconds(60));
            Context<Void, Integer> ctx = manager.getContext();
            for (int i = 0; i < 10; i++) {
                int k = i;
                ctx.addTask(s -> k);
            }
            ctx.getResultsUnordered().forEach(r -> { });
            atClose = manager.stats();
        }
        ManagerStats after = manager.stats();
        assertEquals(10, after.tasksSubmitted(), after.toString());
        assertEquals(10, after.tasksSucceeded(), after.toString());
        assertEquals(atClose.workersStarted(), after.workersStarted(), after.toString());
        assertEquals(atClose.workersConnected(), after.workersConnected(), after.toString());
        List<WorkerInfo> workers = manager.workers();
        assertEquals(2, workers.size(), TestSupport.describe(workers));
        assertTrue(workers.stream().allMatch(w -> w.state() == WorkerInfo.State.STOPPED), TestSupport.describe(workers));
        assertEquals(workers, manager.workers(), "the same final state at every call");
    }

}
