package org.jparallel.bench;

import java.util.stream.IntStream;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.Task;
import org.jparallel.local.LocalWorker;

/**
 * The benchmark's run of many tasks (a million by default) on warm local workers: the overhead per task at that
 * size beside the same at 10,000 (runs of both sizes taking turns, so both see the same state of the machine),
 * the tasks added all at once and drawn through {@code Context.mapUnordered}, with the manager's garbage
 * collection pauses and its heap (peak, and live after a full collection). Why a class of its own: it is the
 * one scenario about how the manager scales with the number of tasks held, and has a result record and heap
 * helpers that no other scenario uses; the others ({@link Scenarios}) measure rates and latencies.
 */
final class ManyScenario {
    private final Scenarios scenarios;

    /** @param scenarios the run's scenarios, whose manager settings this one uses */
    ManyScenario(Scenarios scenarios) {
        this.scenarios = scenarios;
    }

    /** @return trivial tasks per second, {@code n} of them drawn lazily by {@code Context.mapUnordered} */
    private static double runMapped(Context<Void, Integer> ctx, int n) {
        long start = System.nanoTime();
        long sum = 0;
        for (Integer r : ctx.mapUnordered(trivialTasks(n))) {
            sum += r;
        }
        Scenarios.checkSum(sum, n);
        return n / ((System.nanoTime() - start) / 1e9);
    }

    /** How many times the large run is timed, each after its own 10k runs. */
    static final int MANY_RUNS = 5;
    /** How many 10k runs come before each large run. */
    private static final int SMALL_RUNS = 5;

    /**
     * What {@link #run} measured.
     *
     * @param small microseconds per task of each 10k run
     * @param large microseconds per task of each large run
     * @param gcPause microseconds per task the manager's garbage collector stopped it in each large run
     * @param mapped microseconds per task of each large run through {@code Context.mapUnordered}
     * @param mappedGcPause as {@code gcPause}, for the runs through {@code mapUnordered}
     * @param mappedLiveMb the live heap halfway through a run of {@code n} tasks through {@code mapUnordered},
     *     after a full collection
     * @param peakMb the most heap used (garbage included) over the large runs
     * @param afterGcMb the most heap in use after a collection over the large runs
     * @param liveMb the live heap with all {@code n} tasks added, after a full collection
     */
    record Many(double[] small, double[] large, double[] gcPause, double[] mapped, double[] mappedGcPause,
                double mappedLiveMb, double peakMb, double afterGcMb, double liveMb) {
    }

    /**
     * Times {@link #MANY_RUNS} runs of {@code n} tasks, each after {@link #SMALL_RUNS} runs of 10k, so
     * that both sizes are measured in the same state of the machine, all after {@code warmUpTasks}
     * and {@code warmUpSeconds}; each added all at once, then the same through {@code mapUnordered}.
     */
    Many run(int workers, int n, int warmUpTasks, double warmUpSeconds) throws Exception {
        try (Manager m = scenarios.builder().build()) {
            m.addWorker(new LocalWorker(workers));
            Scenarios.awaitConnected(m, workers);
            Context<Void, Integer> ctx = m.getContext();
            long until = System.nanoTime() + (long) (warmUpSeconds * 1e9);
            for (int done = 0; done < warmUpTasks || System.nanoTime() < until; done += Scenarios.WARM_UP_BATCH) {
                Scenarios.runTrivial(ctx, Scenarios.WARM_UP_BATCH); // to the steady rate first, so both figures are warm
            }
            double[] smalls = new double[SMALL_RUNS * MANY_RUNS];
            double[] larges = new double[MANY_RUNS];
            double[] pauses = new double[MANY_RUNS];
            double[] mapped = new double[MANY_RUNS];
            double[] mappedPauses = new double[MANY_RUNS];
            long peak = 0;
            long afterGc = 0;
            for (int r = 0; r < MANY_RUNS; r++) {
                for (int i = 0; i < SMALL_RUNS; i++) {
                    smalls[r * SMALL_RUNS + i] = 1e6 / Scenarios.runTrivial(ctx, 10_000);
                }
                try (LiveHeap heap = new LiveHeap()) {
                    larges[r] = 1e6 / Scenarios.runTrivial(ctx, n);
                    pauses[r] = heap.pauseMillis() * 1e3 / n;
                    afterGc = Math.max(afterGc, heap.peakBytes());
                    peak = Math.max(peak, heap.peakUsedBytes());
                }
                try (LiveHeap heap = new LiveHeap()) {
                    mapped[r] = 1e6 / runMapped(ctx, n);
                    mappedPauses[r] = heap.pauseMillis() * 1e3 / n;
                }
            }
            long live = liveWithAllAdded(ctx, n);
            long mappedLive = liveHalfwayThroughMap(ctx, n);
            return new Many(smalls, larges, pauses, mapped, mappedPauses, mappedLive / 1e6, peak / 1e6, afterGc / 1e6,
                    live / 1e6);
        }
    }

    /**
     * The live heap when the manager holds the most: right after {@code n} tasks were added (waiting,
     * running, or done with their results not yet read), measured after a full collection. Untimed,
     * after the timed run: the heap after a young collection also counts dead objects already
     * promoted, and moved from 181 to 880 MB between runs of the same code.
     *
     * @return bytes
     */
    private static long liveWithAllAdded(Context<Void, Integer> ctx, int n) {
        for (int i = 0; i < n; i++) {
            int k = i;
            ctx.addTask(s -> k);
        }
        long live = liveHeapBytes();
        long sum = 0;
        for (Integer r : ctx.getResultsUnordered()) {
            sum += r;
        }
        Scenarios.checkSum(sum, n);
        return live;
    }

    /**
     * The live heap halfway through {@code n} tasks run through {@code mapUnordered}, measured after a
     * full collection; untimed, like {@link #liveWithAllAdded}.
     *
     * @return bytes
     */
    private static long liveHalfwayThroughMap(Context<Void, Integer> ctx, int n) {
        long live = -1;
        long sum = 0;
        int read = 0;
        for (Integer r : ctx.mapUnordered(trivialTasks(n))) {
            sum += r;
            if (++read == n / 2) {
                live = liveHeapBytes();
            }
        }
        Scenarios.checkSum(sum, n);
        return live;
    }

    /** @return the trivial tasks {@code s -> k} for k from 0 to n - 1, made as they are drawn */
    private static Iterable<Task<Void, Integer>> trivialTasks(int n) {
        return () -> IntStream.range(0, n).<Task<Void, Integer>>mapToObj(k -> s -> k).iterator();
    }

    /** @return the heap in use after a full collection, in bytes */
    private static long liveHeapBytes() {
        System.gc();
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
