package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jparallel.AllocationDecision;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;

/**
 * Automatic allocation on a real batch scheduler, configured from a properties file alone, shared by
 * the Grid Engine and Slurm tests: a group from 0 to 4 workers under a backlog, and a bursty queue
 * under a pending limit. {@code jobs} lists the run's jobs as the scheduler's own queue command sees them.
 */
public final class AutoAllocationScenarios {
    private AutoAllocationScenarios() {
    }

    /**
     * Writes a properties file: the given backend lines plus automatic allocation of the default group.
     *
     * @return the file
     */
    public static Path properties(Path dir, int maxPending, List<String> backendLines) throws Exception {
        List<String> lines = new ArrayList<>(backendLines);
        lines.addAll(List.of("jparallel.manager.start-timeout=60s",
                "jparallel.worker.output=" + dir.resolve("w%d.out"),
                "jparallel.alloc.max=4", "jparallel.alloc.max-pending=" + maxPending,
                "jparallel.alloc.idle-timeout=3s", "jparallel.alloc.min-interval=1s"));
        Path f = dir.resolve("jparallel.properties");
        Files.write(f, lines);
        return f;
    }

    /**
     * 2,000 short tasks (2 ms) from 0 workers: the group is submitted (the scheduler lists it), every result
     * arrives once, and after the idle timeout every worker is released and no job of the run is left,
     * the manager still open.
     */
    public static void scalesUpFromZeroAndLeavesNoJobAfterTheIdleTimeout(Path properties, Supplier<List<?>> jobs)
            throws Exception {
        try (Manager manager = Manager.fromProperties(properties)) {
            assertTrue(manager.workers().isEmpty(), "no worker before there is work");
            long started = System.nanoTime();
            Context<Void, Integer> ctx = manager.getContext();
            // 2 ms each (4 s for one worker): a backlog the first workers do not drain before the allocator's next
            // look (min-interval 1 s), when its first look came while the tasks were still being added; trivial
            // tasks were gone by then, and the group stayed at the 2 workers of that first look
            for (int i = 0; i < 2000; i++) {
                int k = i;
                ctx.addTask(s -> {
                    Thread.sleep(2);
                    return k;
                });
            }
            TestSupport.pollUntil(Duration.ofSeconds(20), () -> !jobs.get().isEmpty(),
                    () -> "the scheduler lists the submission; decisions " + manager.allocations());
            Set<Integer> seen = new HashSet<>();
            for (Integer r : ctx.getResultsUnordered()) {
                assertTrue(seen.add(r), "result " + r + " twice");
                assertTrue(alive(manager.workers()) <= 4, "never above max 4");
            }
            assertEquals(2000, seen.size());
            long done = System.nanoTime();
            List<AllocationDecision> ds = manager.allocations();
            List<AllocationDecision> submits = ds.stream().filter(d -> d.kind() == AllocationDecision.Kind.SUBMIT).toList();
            assertEquals(4, submits.stream().mapToInt(AllocationDecision::workers).sum(), ds.toString());
            // for the backlog at once: two when the first look came while the tasks were still being added
            assertTrue(submits.size() <= 2, "submitted for the backlog's size, not one at a time: " + ds);
            TestSupport.pollUntil(Duration.ofSeconds(45), () -> alive(manager.workers()) == 0 && jobs.get().isEmpty(),
                    () -> "every worker released and no job left; workers " + manager.workers() + ", jobs " + jobs.get());
            System.out.printf("automatic allocation: 2,000 tasks done in %d ms from 0 workers; no job of the run %d ms"
                    + " later (idle timeout 3 s)%n", (done - started) / 1_000_000, (System.nanoTime() - done) / 1_000_000);
            for (WorkerInfo w : manager.workers()) {
                assertEquals(WorkerInfo.State.STOPPED, w.state(), "released, not lost: " + w);
                assertTrue(w.detail().startsWith("released by automatic allocation"), w.toString());
            }
            System.out.println("automatic allocation decisions:\n  " + String.join("\n  ",
                    manager.allocations().stream().map(AllocationDecision::toString).toList()));
        }
    }

    /**
     * Bursts of tasks every 2 s for 12 s with a pending limit of 2: never more than 2 workers pending
     * at once, no submission bigger than 2, and every result arrives.
     */
    public static void burstsNeverExceedThePendingLimit(Path properties) throws Exception {
        try (Manager manager = Manager.fromProperties(properties)) {
            Context<Void, Integer> ctx = manager.getContext();
            int added = 0;
            int mostPending = 0;
            for (int burst = 0; burst < 6; burst++) {
                for (int i = 0; i < 5; i++) {
                    int k = added++;
                    ctx.addTask(s -> {
                        Thread.sleep(300);
                        return k;
                    });
                }
                long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (System.nanoTime() < until) { // watches the workers between bursts
                    mostPending = Math.max(mostPending, pending(manager.workers()));
                    Thread.sleep(20);
                }
            }
            Set<Integer> seen = new HashSet<>();
            for (Integer r : ctx.getResultsUnordered()) {
                assertTrue(seen.add(r));
                mostPending = Math.max(mostPending, pending(manager.workers()));
            }
            assertEquals(added, seen.size());
            assertTrue(mostPending <= 2, "at most 2 pending at once, saw " + mostPending);
            for (AllocationDecision d : manager.allocations()) {
                assertTrue(d.kind() != AllocationDecision.Kind.SUBMIT || d.workers() <= 2, d.toString());
            }
            assertTrue(manager.allocations().stream().anyMatch(d -> d.kind() == AllocationDecision.Kind.SUBMIT));
        }
    }

    /**
     * A dry run: the allocator's decision to submit is logged and kept, the kit prints the job script and
     * submit command in each worker's detail instead of submitting, and the allocator then stops (its
     * workers cannot start), so a reader fails at once instead of waiting; nothing reaches the scheduler.
     */
    public static void dryRunShowsTheDecisionsAndSubmitsNothing(Path properties, Supplier<List<?>> jobs)
            throws Exception {
        try (Manager manager = Manager.fromProperties(properties)) {
            Context<Void, Integer> ctx = manager.getContext();
            for (int i = 0; i < 4; i++) {
                ctx.addTask(s -> 1);
            }
            org.jparallel.NoMoreWorkersException e = org.junit.jupiter.api.Assertions.assertThrows(
                    org.jparallel.NoMoreWorkersException.class, () -> ctx.getResultsUnordered().forEach(r -> { }));
            List<AllocationDecision> ds = manager.allocations();
            assertEquals(AllocationDecision.Kind.SUBMIT, ds.get(0).kind(), ds.toString());
            assertEquals(AllocationDecision.Kind.STOP, ds.get(ds.size() - 1).kind(), ds.toString());
            assertTrue(ds.stream().noneMatch(d -> d.kind() == AllocationDecision.Kind.RELEASE), ds.toString());
            assertTrue(manager.workers().get(0).detail().startsWith("dry run ("), manager.workers().toString());
            assertTrue(e.getMessage().contains("dry run"), e.getMessage());
            assertEquals(List.of(), jobs.get());
        }
    }

    private static int alive(List<WorkerInfo> ws) {
        return (int) ws.stream().filter(w -> w.state() == WorkerInfo.State.STARTING
                || w.state() == WorkerInfo.State.CONNECTED).count();
    }

    private static int pending(List<WorkerInfo> ws) {
        return (int) ws.stream().filter(w -> w.state() == WorkerInfo.State.STARTING).count();
    }
}
