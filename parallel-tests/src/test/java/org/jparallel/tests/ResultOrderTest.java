package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Tasks sleeping 400/300/200/100/0 ms on 5 workers, read as they complete and in submission order. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ResultOrderTest {

    private static final long[] SLEEPS = {400, 300, 200, 100, 0};

    @TempDir
    Path tempDir;

    @Test
    void unorderedResultsComeInCompletionOrder() {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            Context<Void, Long> ctx = fiveWarmWorkers(manager);
            for (long ms : SLEEPS) {
                ctx.addTask(s -> WorkerSide.sleepThenReturn(ms, ms));
            }
            List<Long> order = new ArrayList<>();
            for (Long r : ctx.getResultsUnordered()) {
                order.add(r);
            }
            assertEquals(List.of(0L, 100L, 200L, 300L, 400L), order);
        }
    }

    @Test
    void orderedResultsComeInSubmissionOrder() {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            Context<Void, Long> ctx = fiveWarmWorkers(manager);
            for (long ms : SLEEPS) {
                ctx.addTask(s -> WorkerSide.sleepThenReturn(ms, ms));
            }
            List<Long> order = new ArrayList<>();
            for (Long r : ctx.getResults()) {
                order.add(r);
            }
            assertEquals(List.of(400L, 300L, 200L, 100L, 0L), order);
        }
    }

    /** Five connected workers that have each run a task of the returned context, so start-up is behind us. */
    private static Context<Void, Long> fiveWarmWorkers(Manager manager) {
        manager.addWorker(new LocalWorker(5));
        TestSupport.awaitConnected(manager, 5, Duration.ofSeconds(90));
        Context<Void, Long> ctx = manager.<Long>getContext();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 5; i++) {
                ctx.addTask(s -> WorkerSide.sleepThenReturn(50, -1L));
            }
            int n = 0;
            for (Long r : ctx.getResultsUnordered()) {
                assertEquals(-1L, r);
                n++;
            }
            assertEquals(5, n, "warm-up round " + round);
        }
        return ctx;
    }
}
