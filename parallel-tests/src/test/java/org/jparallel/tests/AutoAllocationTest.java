package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jparallel.Allocation;
import org.jparallel.AllocationDecision;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic allocation with real local worker JVMs: a group that starts with none grows to its max under
 * a backlog, every result arrives once, and the idle workers are released (told to exit, not lost)
 * after the idle timeout.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AutoAllocationTest {
    private static final int TASKS = 60;

    @TempDir
    Path tempDir;

    @Test
    void growsFromZeroToMaxUnderABacklogThenReleasesTheIdleWorkers() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            Allocation upTo3 = Allocation.upTo(3).idleTimeout(Duration.ofSeconds(2)).minInterval(Duration.ofSeconds(1));
            manager.addWorker(new LocalWorker(), "local", upTo3);
            assertTrue(manager.workers().isEmpty(), "no worker before there is work");
            Context<Void, long[]> ctx = manager.getContext();
            for (int i = 0; i < TASKS; i++) {
                long k = i;
                ctx.addTask(s -> {
                    Thread.sleep(150);
                    return new long[] {k, ProcessHandle.current().pid()};
                });
            }
            Set<Long> keys = new HashSet<>();
            Set<Long> pids = new HashSet<>();
            int mostAlive = 0;
            for (long[] r : ctx.getResultsUnordered()) {
                assertTrue(keys.add(r[0]), "result of task " + r[0] + " twice");
                pids.add(r[1]);
                mostAlive = Math.max(mostAlive, alive(manager.workers()));
            }
            assertEquals(TASKS, keys.size());
            assertTrue(mostAlive <= 3, "never above max: " + mostAlive);
            assertEquals(3, pids.size(), "the group grew to max 3 under the backlog: " + manager.allocations());

            TestSupport.pollUntil(Duration.ofSeconds(20), () -> alive(manager.workers()) == 0,
                    () -> "every idle worker released: " + TestSupport.describe(manager.workers()));
            List<WorkerInfo> ws = manager.workers();
            assertEquals(3, ws.size(), "no replacement started: " + TestSupport.describe(ws));
            for (WorkerInfo w : ws) {
                assertEquals(WorkerInfo.State.STOPPED, w.state(), "released, not lost: " + w);
                assertTrue(w.detail().startsWith("released by automatic allocation: idle for"), w.detail());
                long pid = w.pid();
                TestSupport.pollUntil(Duration.ofSeconds(10), () -> !TestSupport.isAlive(pid),
                        () -> "worker " + w.id() + " (pid " + pid + ") has exited");
            }
            List<AllocationDecision> ds = manager.allocations();
            assertEquals(3, ds.stream().filter(d -> d.kind() == AllocationDecision.Kind.SUBMIT)
                    .mapToInt(AllocationDecision::workers).sum(), ds.toString());
            assertEquals(3, ds.stream().filter(d -> d.kind() == AllocationDecision.Kind.RELEASE).count(), ds.toString());
            assertFalse(ds.get(0).reason().isEmpty());
            assertEquals(TASKS, manager.stats().tasksSucceeded());
        }
    }

    @Test
    void drainingWorkersOfAnAllocatingGroupAreReplacedByTheAllocatorAloneNotAlsoFromTheReplacementBudget()
            throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).workerLifetime(Duration.ofSeconds(8))
                .drainMargin(Duration.ofSeconds(2)).replaceLostWorkers(10).build()) {
            manager.addWorker(new LocalWorker(), "local", Allocation.upTo(1).minInterval(Duration.ofMillis(500)));
            Context<Void, Integer> ctx = manager.getContext();
            ctx.setDefaultOptions(org.jparallel.TaskOptions.none().withExpectedDuration(Duration.ofSeconds(1)));
            // 8 s of work on the one worker: work is left when it drains 6 s into its life (30 tasks took 12 s)
            for (int i = 0; i < 20; i++) {
                int k = i;
                ctx.addTask(s -> {
                    Thread.sleep(400);
                    return k;
                });
            }
            Set<Integer> seen = new HashSet<>();
            ctx.getResultsUnordered().forEach(r -> assertTrue(seen.add(r), "result " + r + " twice"));
            assertEquals(20, seen.size());
            List<WorkerInfo> ws = manager.workers();
            List<AllocationDecision> ds = manager.allocations();
            assertTrue(ws.stream().anyMatch(w -> w.detail().startsWith("drained")), "a worker drained: "
                    + TestSupport.describe(ws));
            assertEquals(ds.stream().filter(d -> d.kind() == AllocationDecision.Kind.SUBMIT)
                    .mapToInt(AllocationDecision::workers).sum(), ws.size(),
                    "every worker was started by an allocation decision: " + TestSupport.describe(ws) + "; " + ds);
        }
    }

    @Test
    void aGroupThatCannotGrowIsRefusedNamingIt() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            org.jparallel.spi.WorkerGroup fixed = new org.jparallel.spi.WorkerGroup() {
                @Override
                public int size() {
                    return 2;
                }

                @Override
                public String backendName() {
                    return "fixed";
                }

                @Override
                public List<org.jparallel.spi.WorkerHandle> start(org.jparallel.spi.LaunchSpec spec) {
                    throw new AssertionError("never started");
                }
            };
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> manager.addWorker(fixed, "hosts", Allocation.upTo(2)));
            assertEquals("the fixed worker group 'hosts' cannot start more workers after it started, so it cannot "
                    + "allocate automatically", e.getMessage());
            assertTrue(manager.workers().isEmpty());
        }
    }

    private static int alive(List<WorkerInfo> ws) {
        return (int) ws.stream().filter(w -> w.state() == WorkerInfo.State.STARTING
                || w.state() == WorkerInfo.State.CONNECTED).count();
    }
}
