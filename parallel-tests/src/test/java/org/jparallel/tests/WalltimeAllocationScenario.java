package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jparallel.AllocationDecision;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.ProgressListener;
import org.jparallel.TaskFailedException;
import org.jparallel.TaskOptions;
import org.jparallel.WorkerInfo;

/**
 * Issue 21's walltime acceptance at its full size on a real batch scheduler, shared by the Grid Engine
 * and Slurm tests: {@value #TASKS} tasks declared 2, 3 or 4 s that run as long, on automatically
 * allocated workers (0 to {@value #WORKERS}, with {@value #SLOTS} task slots, besides those ending soon) whose jobs end after
 * 20 s and are drained 5 s before. Every result arrives once; no task fails; every task starts once (an
 * attempt lost to a walltime or a lost worker would start it again); no worker is lost; and every worker
 * that left by draining saw a replacement of its group (started after it connected) connect before it
 * left. All of it is read from the manager's progress events, in the order they happened.
 */
public final class WalltimeAllocationScenario {
    /** How many tasks the scenario runs (issue 21's 200 of 2-4 s). */
    public static final int TASKS = 200;
    /**
     * The group's most workers besides those ending soon: one live worker, its replacement and, when
     * workers start slowly, the replacement's own (3 jobs) fit the 4 cores of the test servers.
     */
    public static final int WORKERS = 1;
    /** Each worker's task slots: the tasks sleep, so a worker asks its scheduler for one core (see {@link #properties}). */
    public static final int SLOTS = 8;

    private WalltimeAllocationScenario() {
    }

    /**
     * Writes a properties file: the given backend lines plus allocation of the default group from 0 to
     * {@value #WORKERS} workers of {@value #SLOTS} slots, a 20 s walltime per submission and a 5 s drain
     * margin; up to 2 submissions pending, so that on a queue nearly as slow as the walltime a pending
     * worker's replacement can be submitted before it connects. The backend lines must keep each worker's job to one core (the test servers have 4), so
     * that replacements start while the workers they replace still run.
     *
     * @return the file
     */
    public static Path properties(Path dir, List<String> backendLines) throws Exception {
        List<String> lines = new ArrayList<>(backendLines);
        lines.addAll(List.of("jparallel.manager.start-timeout=60s",
                "jparallel.worker.output=" + dir.resolve("w%d.out"),
                "jparallel.worker.slots=" + SLOTS,
                "jparallel.worker.drain-margin=5s",
                "jparallel.alloc.max=" + WORKERS, "jparallel.alloc.min=0", "jparallel.alloc.max-pending=2",
                "jparallel.alloc.walltime=20s",
                "jparallel.alloc.idle-timeout=3s", "jparallel.alloc.min-interval=1s"));
        Path f = dir.resolve("jparallel.properties");
        Files.write(f, lines);
        return f;
    }

    /** What the manager's progress events said, each stamped with its place in the event order and its time. */
    private static final class Events implements ProgressListener {
        final AtomicLong order = new AtomicLong();
        final long begun = System.nanoTime();
        final Map<Integer, Long> joinedAt = new ConcurrentHashMap<>();
        final Map<Integer, Instant> joinedWall = new ConcurrentHashMap<>();
        final Map<Integer, Long> drainingAt = new ConcurrentHashMap<>();
        final Map<Integer, Long> drainedAt = new ConcurrentHashMap<>();
        final Map<Integer, Long> nanos = new ConcurrentHashMap<>();
        final Map<Long, AtomicInteger> starts = new ConcurrentHashMap<>();
        final List<WorkerInfo> lost = new CopyOnWriteArrayList<>();
        final List<TaskFailedException> failed = new CopyOnWriteArrayList<>();

        @Override
        public void workerJoined(WorkerInfo w) {
            joinedAt.put(w.id(), order.incrementAndGet());
            joinedWall.put(w.id(), Instant.now());
            nanos.put(w.id(), System.nanoTime() - begun);
        }

        @Override
        public void workerDraining(WorkerInfo w) {
            drainingAt.put(w.id(), order.incrementAndGet());
        }

        @Override
        public void workerDrained(WorkerInfo w) {
            drainedAt.put(w.id(), order.incrementAndGet());
            nanos.put(-w.id() - 1, System.nanoTime() - begun);
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
        public void taskFailed(long taskId, TaskFailedException failure) {
            failed.add(failure);
        }

        /**
         * @param submitted when each worker was submitted
         * @return the workers that replaced {@code id} before it left: submitted after it joined (not a
         *     worker of its own generation), they joined before it left
         */
        List<Integer> replacementsOf(int id, Map<Integer, Instant> submitted) {
            long left = drainedAt.get(id);
            Instant joined = joinedWall.get(id);
            return joinedAt.entrySet().stream().filter(e -> submitted.containsKey(e.getKey())
                    && submitted.get(e.getKey()).isAfter(joined) && e.getValue() < left)
                    .map(Map.Entry::getKey).sorted().toList();
        }

        String timeline(Map<Integer, Instant> submitted) {
            StringBuilder b = new StringBuilder();
            new TreeMap<>(submitted).forEach((id, at) -> b.append("\n  worker ").append(id).append(": submitted ")
                    .append(at).append(joinedWall.containsKey(id) ? ", joined " + joinedWall.get(id) + " ("
                            + Duration.between(at, joinedWall.get(id)).toMillis() + " ms later)" : ", never joined")
                    .append(drainingAt.containsKey(id) ? ", draining" : "")
                    .append(drainedAt.containsKey(id) ? ", left drained at " + ms(nanos.get(-id - 1)) + " ms after"
                            + " the start" : ""));
            return b.toString();
        }
    }

    /**
     * Runs the scenario on a manager configured by {@code properties} and prints what it measured: the
     * run's wall time and each worker's start (from its submission to its connection).
     */
    public static void run(Path properties) throws Exception {
        Events events = new Events();
        try (Manager manager = Manager.fromProperties(properties)) {
            manager.addListener(events);
            Context<Void, Integer> ctx = manager.getContext();
            for (int i = 0; i < TASKS; i++) {
                int k = i;
                long seconds = 2 + k % 3;
                ctx.addTask(s -> {
                    Thread.sleep(seconds * 1000);
                    return k;
                }, TaskOptions.none().withExpectedDuration(Duration.ofSeconds(seconds)));
            }
            Set<Integer> seen = new HashSet<>();
            for (Integer r : ctx.getResultsUnordered()) {
                assertTrue(seen.add(r), "result " + r + " twice");
            }
            long took = System.nanoTime() - events.begun;
            List<WorkerInfo> workers = manager.workers();
            List<AllocationDecision> decisions = manager.allocations();
            Map<Integer, Instant> submitted = submissions(decisions, workers);
            String story = "workers " + workers + events.timeline(submitted) + "\ndecisions:\n  "
                    + String.join("\n  ", decisions.stream().map(d -> d.time() + " " + d).toList());
            assertEquals(TASKS, seen.size(), "every result; " + story);
            assertEquals(List.of(), events.failed, "no task failed; " + story);
            assertEquals(List.of(), events.lost, "no worker lost (none killed by its walltime); " + story);
            assertEquals(TASKS, events.starts.size(), "every task started");
            events.starts.forEach((task, n) -> assertEquals(1, n.get(), "task " + task
                    + " started once: no attempt lost to a walltime or a lost worker; " + story));
            assertTrue(workers.stream().noneMatch(w -> w.state() == WorkerInfo.State.LOST), story);
            assertTrue(events.drainedAt.size() >= WORKERS, "workers were drained; " + story);
            for (int id : new TreeMap<>(events.drainedAt).keySet()) {
                assertTrue(events.drainingAt.containsKey(id), "worker " + id + " drained before it left; " + story);
                assertTrue(!events.replacementsOf(id, submitted).isEmpty(), "worker " + id + " left drained with no"
                        + " replacement connected before it left; " + story);
            }
            List<Long> latencies = new ArrayList<>();
            submitted.forEach((id, at) -> {
                if (events.joinedWall.containsKey(id)) {
                    latencies.add(Duration.between(at, events.joinedWall.get(id)).toMillis());
                }
            });
            System.out.printf("walltime at full size: %d tasks of 2-4 s in %d ms on %d workers of %d slots (%d"
                    + " drained, each replaced before it left); submission to connection, ms: %s%n", TASKS, ms(took),
                    workers.size(), SLOTS, events.drainedAt.size(), latencies);
        }
    }

    /**
     * @return when each worker was submitted: the allocator is the group's only starter, and each of its
     *     submissions takes the next worker ids in turn (the lowest id first)
     */
    private static Map<Integer, Instant> submissions(List<AllocationDecision> decisions, List<WorkerInfo> workers) {
        List<Integer> ids = workers.stream().map(WorkerInfo::id).sorted().toList();
        Map<Integer, Instant> out = new TreeMap<>();
        int k = 0;
        for (AllocationDecision d : decisions) {
            for (int i = 0; d.kind() == AllocationDecision.Kind.SUBMIT && i < d.workers() && k < ids.size(); i++) {
                out.put(ids.get(k++), d.time());
            }
        }
        return out;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
