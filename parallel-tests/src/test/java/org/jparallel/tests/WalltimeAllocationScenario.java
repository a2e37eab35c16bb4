package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jparallel.AllocationDecision;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.ProgressListener;
import org.jparallel.TaskOptions;
import org.jparallel.WorkerInfo;

/**
 * Issue 21's walltime acceptance on a real batch scheduler, with automatic allocation (0 to 3 workers)
 * and a 20 s walltime per submission with a 5 s drain margin, shared by the Grid Engine and Slurm
 * tests: {@value #TASKS} tasks declared 2, 3 or 4 s (running 0.7 to 1 s, so that the run lasts about
 * two walltimes and each test stays under a minute) all complete once, each started once (no attempt
 * lost to a walltime or a lost worker), no worker is lost, workers are drained, and every worker that
 * drained while work remained had its replacement submitted while it still worked (before its drain);
 * that the replacement also connects before the old worker leaves depends on how fast the scheduler
 * and the machine start a worker, so it is asserted for at least one and every late one is printed.
 */
public final class WalltimeAllocationScenario {
    /** How many tasks the scenario runs (issue 21 says 200 of 2-4 s; scaled to keep the test under a minute). */
    public static final int TASKS = 80;
    private static final long GENERATION_GAP_NANOS = Duration.ofSeconds(5).toNanos();

    private WalltimeAllocationScenario() {
    }

    /**
     * Writes a properties file: the given backend lines plus allocation of the default group from 0 to 3
     * workers, a 20 s walltime per submission and a 5 s drain margin.
     *
     * @return the file
     */
    public static Path properties(Path dir, List<String> backendLines) throws Exception {
        List<String> lines = new ArrayList<>(backendLines);
        lines.addAll(List.of("jparallel.manager.start-timeout=60s",
                "jparallel.worker.output=" + dir.resolve("w%d.out"),
                "jparallel.worker.drain-margin=5s",
                "jparallel.alloc.max=3", "jparallel.alloc.min=0", "jparallel.alloc.walltime=20s",
                "jparallel.alloc.idle-timeout=3s", "jparallel.alloc.min-interval=1s"));
        Path f = dir.resolve("jparallel.properties");
        Files.write(f, lines);
        return f;
    }

    /** Runs the scenario on a manager configured by {@code properties}. */
    public static void run(Path properties) throws Exception {
        Map<Integer, Long> joined = new ConcurrentHashMap<>();
        Map<Integer, Long> drainingAt = new ConcurrentHashMap<>();
        Map<Integer, Integer> doneAtDraining = new ConcurrentHashMap<>();
        Map<Integer, Long> left = new ConcurrentHashMap<>();
        Map<Long, AtomicInteger> starts = new ConcurrentHashMap<>();
        List<WorkerInfo> lost = new CopyOnWriteArrayList<>();
        AtomicInteger done = new AtomicInteger();
        ProgressListener events = new ProgressListener() {
            @Override
            public void workerJoined(WorkerInfo w) {
                joined.put(w.id(), System.nanoTime());
            }

            @Override
            public void workerDraining(WorkerInfo w) {
                drainingAt.put(w.id(), System.nanoTime());
                doneAtDraining.put(w.id(), done.get());
            }

            @Override
            public void workerDrained(WorkerInfo w) {
                left.put(w.id(), System.nanoTime());
            }

            @Override
            public void workerLost(WorkerInfo w) {
                lost.add(w);
            }

            @Override
            public void taskStarted(long taskId, int workerId) {
                starts.computeIfAbsent(taskId, k -> new AtomicInteger()).incrementAndGet();
            }

            @Override
            public void taskDone(long taskId, int workerId) {
                done.incrementAndGet();
            }
        };
        long begun = System.nanoTime();
        java.time.Instant startedAt = java.time.Instant.now();
        try (Manager manager = Manager.fromProperties(properties)) {
            manager.addListener(events);
            Context<Void, Integer> ctx = manager.getContext();
            for (int i = 0; i < TASKS; i++) {
                int k = i;
                ctx.addTask(s -> {
                    Thread.sleep(700 + (k % 3) * 150L);
                    return k;
                }, TaskOptions.none().withExpectedDuration(Duration.ofSeconds(2 + k % 3)));
            }
            Set<Integer> seen = new HashSet<>();
            for (Integer r : ctx.getResultsUnordered()) {
                assertTrue(seen.add(r), "result " + r + " twice");
            }
            assertEquals(TASKS, seen.size(), "every result");
            List<WorkerInfo> workers = manager.workers();
            String story = "workers " + workers + "\ndecisions:\n  " + String.join("\n  ",
                    manager.allocations().stream().map(AllocationDecision::toString).toList());
            assertEquals(List.of(), lost, "no worker lost (none killed by its walltime); " + story);
            starts.forEach((task, n) -> assertEquals(1, n.get(), "task " + task + " started once: no attempt lost; "
                    + story));
            assertTrue(workers.stream().noneMatch(w -> w.state() == WorkerInfo.State.LOST), story);
            assertTrue(left.size() >= 1, "workers were drained; " + story);
            int replacedAhead = 0;
            int submittedAhead = 0;
            List<String> late = new ArrayList<>();
            for (Map.Entry<Integer, Long> d : left.entrySet()) {
                int id = d.getKey();
                if (TASKS - doneAtDraining.getOrDefault(id, TASKS) < 6) {
                    continue; // drained at the end of the work: nothing to replace it for
                }
                long joinedAt = joined.get(id);
                long drainAt = drainingAt.get(id);
                // its replacement was asked for while it still worked: a submission for workers ending soon
                boolean asked = manager.allocations().stream().anyMatch(a -> a.kind() == AllocationDecision.Kind.SUBMIT
                        && a.reason().contains("ending soon") && a.time().isAfter(wallAt(joinedAt, begun, startedAt))
                        && a.time().isBefore(wallAt(drainAt, begun, startedAt)));
                assertTrue(asked, "worker " + id + " drained with work left: a replacement was submitted between its"
                        + " connection and its drain; " + story);
                submittedAhead++;
                boolean ahead = joined.entrySet().stream().anyMatch(r -> r.getKey() != id
                        && r.getValue() > joinedAt + GENERATION_GAP_NANOS && r.getValue() < d.getValue());
                if (ahead) {
                    replacedAhead++;
                } else {
                    late.add("worker " + id + " (joined " + ms(joinedAt - begun) + " ms, draining " + ms(drainAt - begun)
                            + " ms, left " + ms(d.getValue() - begun) + " ms)");
                }
            }
            assertTrue(submittedAhead >= 1, "a worker drained while work remained; " + story);
            assertTrue(replacedAhead >= 1, "a later worker connected before a drained one left; late: " + late
                    + ", joins " + joinTimes(joined, begun) + "; " + story);
            if (!late.isEmpty()) {
                System.out.println("replacement connected after the old worker left (start slower than the lead): "
                        + late + "; joins " + joinTimes(joined, begun));
            }
            System.out.printf("walltime with allocation: %d tasks in %d ms, %d workers over the run, %d drained, %d"
                    + " with work left: replacement submitted ahead for %d, connected before the old one left for %d%n",
                    TASKS, ms(System.nanoTime() - begun), workers.size(), left.size(), submittedAhead, submittedAhead,
                    replacedAhead);
        }
    }

    private static java.time.Instant wallAt(long nanos, long begun, java.time.Instant startedAt) {
        return startedAt.plusNanos(nanos - begun);
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static String joinTimes(Map<Integer, Long> joined, long begun) {
        StringBuilder b = new StringBuilder();
        joined.forEach((id, t) -> b.append(id).append('@').append(ms(t - begun)).append(' '));
        return b.toString().trim();
    }
}
