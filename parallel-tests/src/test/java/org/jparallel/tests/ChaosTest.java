package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.ManagerBuilder;
import org.jparallel.ManagerStats;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos: random workers are killed with kill -9, one every 200 ms, while 10,000 tasks run and their
 * results are read. Every result arrives exactly once, none is missing, none fails.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ChaosTest {
    private static final int TASKS = 10_000;
    private static final long KILL_EVERY_MS = 200;

    @TempDir
    Path tempDir;

    /** One kill -9: which worker, and how many results were still unread at that moment. */
    private record Kill(int workerId, long pid, long atMillis, long outstanding) {
        @Override
        public String toString() {
            return "worker " + workerId + " (pid " + pid + ") at " + atMillis + " ms, " + outstanding + " unread";
        }
    }

    @Test
    void killingFiveOfSixWorkersEvery200MsDeliversEachOfTenThousandResultsExactlyOnce() throws Exception {
        killFiveOfSix(0);
    }

    /** With prefetch 4 each killed worker takes up to 4 tasks down with it; they all go back, each runs once. */
    @Test
    void withPrefetchFourKillingFiveOfSixWorkersEvery200MsDeliversEachOfTenThousandResultsExactlyOnce()
            throws Exception {
        killFiveOfSix(4);
    }

    /** @param prefetch the manager's prefetch, 0 for the default */
    private void killFiveOfSix(int prefetch) throws Exception {
        long seed = System.nanoTime();
        System.out.println("ChaosTest (prefetch " + (prefetch == 0 ? "default" : prefetch) + ") seed " + seed);
        // without replacements (the default replaces each killed worker): the survivors must finish the work
        ManagerBuilder builder = TestSupport.builder(tempDir).maxLostAttempts(10).replaceLostWorkers(0);
        if (prefetch > 0) {
            builder.prefetch(prefetch);
        }
        try (Manager manager = builder.build()) {
            manager.addWorker(new LocalWorker(6));
            TestSupport.awaitConnected(manager, 6, Duration.ofSeconds(90));
            Context<Void, Integer> ctx = manager.<Integer>getContext();
            List<Kill> kills = fiveKillsWhileReading(manager, ctx, seed,
                    "prefetch " + (prefetch == 0 ? "default" : prefetch));
            assertTrue(kills.stream().allMatch(k -> k.outstanding() > 0),
                    "every kill must land while results are still unread, or the test proves nothing: " + kills);
            ManagerStats stats = manager.stats();
            assertEquals(TASKS, stats.tasksSucceeded(), stats.toString());
            assertEquals(0, stats.tasksFailed(), stats.toString());

            List<WorkerInfo> workers = manager.workers();
            Set<Long> killedPids = kills.stream().map(Kill::pid).collect(Collectors.toSet());
            assertEquals(6, workers.size(), TestSupport.describe(workers));
            for (WorkerInfo w : workers) {
                WorkerInfo.State expected = killedPids.contains(w.pid()) ? WorkerInfo.State.LOST : WorkerInfo.State.CONNECTED;
                assertEquals(expected, w.state(), "worker " + w.id() + ": " + TestSupport.describe(workers));
            }
            for (long pid : killedPids) {
                TestSupport.awaitGone(pid, Duration.ofSeconds(10), "a killed worker");
            }
        }
    }

    @Test
    void fiveKillsAmongFourWorkersWithFiveReplacementsDeliverEachResultOnceAndTheReplacementsConnect()
            throws Exception {
        long seed = System.nanoTime();
        System.out.println("ChaosTest (replacement) seed " + seed);
        try (Manager manager = TestSupport.builder(tempDir).maxLostAttempts(10).replaceLostWorkers(5).build()) {
            manager.addWorker(new LocalWorker(4));
            TestSupport.awaitConnected(manager, 4, Duration.ofSeconds(90));
            Context<Void, Integer> ctx = manager.<Integer>getContext();
            List<Kill> kills = fiveKillsWhileReading(manager, ctx, seed, "replacement");
            assertTrue(kills.get(0).outstanding() > 0, "the first kill came after the last result: " + kills);
            assertEquals(0, manager.stats().tasksFailed(), manager.stats().toString());

            // 4 started + 5 replacements; the 5 killed are LOST, the 4 others connected, most of them replacements
            TestSupport.pollUntil(Duration.ofSeconds(60),
                    () -> manager.workers().stream().filter(w -> w.state() == WorkerInfo.State.CONNECTED).count() == 4,
                    () -> "waiting for 4 connected workers after 5 kills and 5 replacements: "
                            + TestSupport.describe(manager.workers()));
            List<WorkerInfo> workers = manager.workers();
            String all = TestSupport.describe(workers);
            assertEquals(9, workers.size(), all);
            assertEquals(9, manager.stats().workersStarted(), manager.stats().toString());
            Set<Long> killedPids = kills.stream().map(Kill::pid).collect(Collectors.toSet());
            for (WorkerInfo w : workers) {
                if (killedPids.contains(w.pid())) {
                    assertEquals(WorkerInfo.State.LOST, w.state(), "killed worker " + w.id() + ": " + all);
                } else {
                    assertEquals(WorkerInfo.State.CONNECTED, w.state(), "worker " + w.id() + ": " + all);
                }
            }
            long connectedReplacements = workers.stream()
                    .filter(w -> w.id() > 4 && w.state() == WorkerInfo.State.CONNECTED).count();
            long originalsKilled = kills.stream().filter(k -> k.workerId() <= 4).count();
            // at least one of the 5 kills hit an original worker; each killed original is made up for
            assertTrue(connectedReplacements >= 1, all);
            assertEquals(originalsKilled, connectedReplacements, "kills " + kills + ", workers " + all);

            // the replacements take work
            List<Long> connected = TestSupport.connectedPids(manager);
            for (int i = 0; i < 40; i++) {
                ctx.addTask(s -> WorkerSide.sleepThenReturn(20, (int) WorkerSide.pid()));
            }
            Set<Long> pids = new HashSet<>();
            for (Integer pid : ctx.getResultsUnordered()) {
                pids.add((long) pid);
            }
            assertTrue(connected.containsAll(pids), "pids " + pids + " vs connected " + connected);
            assertTrue(pids.size() >= 2, "40 sleeping tasks on 4 workers ran on " + pids);
        }
    }

    /**
     * Adds {@link #TASKS} tasks of a millisecond each, kills 5 workers while their results are read, and
     * checks that every result arrived exactly once.
     *
     * @return the kills
     */
    private static List<Kill> fiveKillsWhileReading(Manager manager, Context<Void, Integer> ctx, long seed, String label)
            throws Exception {
        for (int i = 0; i < TASKS; i++) {
            int k = i;
            // a millisecond of work each: trivial tasks finish before the fifth kill (10,000 in under 1 s)
            ctx.addTask(s -> {
                Thread.sleep(1);
                return k;
            });
        }
        FutureTask<List<Kill>> chaos = startChaos(manager, ctx, 5, new Random(seed));
        long start = System.nanoTime();
        BitSet seen = readAllExactlyOnce(ctx);
        long readMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        List<Kill> kills = chaos.get(60, TimeUnit.SECONDS);
        System.out.println("ChaosTest (" + label + "): read " + TASKS + " results in " + readMs + " ms; kills: " + kills);
        assertEquals(TASKS, seen.cardinality(), "results missing: " + missing(seen));
        assertEquals(5, kills.size(), kills.toString());
        return kills;
    }

    /** Reads every result, failing on a duplicate or a value out of range. */
    private static BitSet readAllExactlyOnce(Context<Void, Integer> ctx) {
        BitSet seen = new BitSet(TASKS);
        List<Integer> duplicates = new ArrayList<>();
        for (Integer r : ctx.getResultsUnordered()) {
            assertTrue(r >= 0 && r < TASKS, "result out of range: " + r);
            if (seen.get(r)) {
                duplicates.add(r);
            }
            seen.set(r);
        }
        if (!duplicates.isEmpty()) {
            fail(duplicates.size() + " duplicate result(s), e.g. " + duplicates.subList(0, Math.min(20, duplicates.size())));
        }
        assertEquals(0, ctx.outstanding());
        return seen;
    }

    private static String missing(BitSet seen) {
        BitSet m = new BitSet(TASKS);
        m.set(0, TASKS);
        m.andNot(seen);
        return m.cardinality() + " missing, e.g. " + m.stream().limit(20).boxed().collect(Collectors.toList());
    }

    /**
     * Starts a thread that kills {@code count} random CONNECTED workers with kill -9, one every 200 ms
     * (the pause is the test's stimulus, not synchronisation). When no live connected worker is left to
     * kill (replacements still starting), it polls until one connects.
     */
    private static FutureTask<List<Kill>> startChaos(Manager manager, Context<?, ?> ctx, int count, Random random) {
        FutureTask<List<Kill>> task = new FutureTask<>(() -> {
            long start = System.nanoTime();
            List<Kill> kills = new ArrayList<>();
            Set<Long> killed = new HashSet<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (kills.size() < count) {
                Thread.sleep(KILL_EVERY_MS);
                List<WorkerInfo> candidates;
                while ((candidates = manager.workers().stream()
                        .filter(w -> w.state() == WorkerInfo.State.CONNECTED && !killed.contains(w.pid()))
                        .collect(Collectors.toList())).isEmpty()) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new AssertionError("no connected worker left to kill: "
                                + TestSupport.describe(manager.workers()));
                    }
                    Thread.sleep(20);
                }
                WorkerInfo victim = candidates.get(random.nextInt(candidates.size()));
                killed.add(victim.pid());
                TestSupport.kill9(victim.pid());
                kills.add(new Kill(victim.id(), victim.pid(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), ctx.outstanding()));
            }
            return kills;
        });
        Thread t = new Thread(task, "chaos-killer");
        t.setDaemon(true);
        t.start();
        return task;
    }
}
