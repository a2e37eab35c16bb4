package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.TaskFuture;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover latency: the time from kill -9 of the worker running a task to the same task starting on
 * another worker, measured by wall clock (the kill time here, the start time written by the task).
 * Printed as a figure; only the re-run itself is asserted.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FailoverLatencyTest {
    private static final int ROUNDS = 3;

    @TempDir
    Path tempDir;

    @Test
    void taskOfAWorkerKilledWithSigkillStartsAgainOnAnotherWorkerAndTheLatencyIsPrinted() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(ROUNDS + 1));
            TestSupport.awaitConnected(manager, ROUNDS + 1, Duration.ofSeconds(60));
            Context<Void, Long> ctx = manager.<Long>getContext();
            // warm the workers up (class loading, first task), so the figure is the failover's own
            for (int i = 0; i < 8 * (ROUNDS + 1); i++) {
                ctx.addTask(s -> WorkerSide.sleepThenReturn(10, WorkerSide.pid()));
            }
            ctx.getResultsUnordered().forEach(pid -> { });

            String dir = tempDir.toString();
            List<Long> latencies = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                String name = "round" + round;
                Path starts = tempDir.resolve(name + ".starts");
                TaskFuture<Long> f = ctx.addTask(s -> WorkerSide.sleepOnFirstRun(dir, name, 30_000));
                TestSupport.pollUntil(Duration.ofSeconds(30), () -> TestSupport.lines(starts).size() == 1,
                        () -> name + ": the task never started");
                long victim = Long.parseLong(TestSupport.lines(starts).get(0).split(" ")[0]);

                long killedAt = System.currentTimeMillis();
                TestSupport.kill9(victim);
                long rerunPid = f.get(30, TimeUnit.SECONDS);

                List<String> lines = TestSupport.lines(starts);
                assertEquals(2, lines.size(), name + ": the task ran again exactly once: " + lines);
                String[] second = lines.get(1).split(" ");
                long secondPid = Long.parseLong(second[0]);
                long latency = Long.parseLong(second[1]) - killedAt;
                assertNotEquals(victim, secondPid, name + ": re-run on the killed worker?");
                assertEquals(secondPid, rerunPid, name + ": the result comes from the re-run");
                assertTrue(TestSupport.connectedPids(manager).contains(secondPid), TestSupport.describe(manager.workers()));
                TestSupport.awaitGone(victim, Duration.ofSeconds(10), "the killed worker");
                System.out.println("failover latency: " + latency + " ms (" + name + ", kill -9 of pid " + victim
                        + " to the task starting on pid " + secondPid + ")");
                latencies.add(latency);
            }
            List<Long> sorted = new ArrayList<>(latencies);
            sorted.sort(null);
            System.out.println("failover latency over " + ROUNDS + " kills: min " + sorted.get(0) + " ms, median "
                    + sorted.get(ROUNDS / 2) + " ms, max " + sorted.get(ROUNDS - 1) + " ms");
            ctx.getResultsUnordered().forEach(pid -> { });
            assertEquals(0, ctx.outstanding());
        }
    }
}
