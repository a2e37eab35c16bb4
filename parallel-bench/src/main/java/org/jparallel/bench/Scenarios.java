package org.jparallel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.ManagerBuilder;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;

/**
 * The jparallel runs of the benchmark, each with real worker JVMs on this machine; the run of many tasks is
 * {@link ManyScenario}'s.
 */
final class Scenarios {
    /** Warm-up runs in batches of this many tasks, so the manager never holds millions at once. */
    static final int WARM_UP_BATCH = 200_000;
    /** How many measured batches the warm rate is the median of. */
    static final int WARM_BATCHES = 7;
    private final Path dir;
    private final int prefetch;

    Scenarios(Path dir, int prefetch) {
        this.dir = dir;
        this.prefetch = prefetch;
    }

    /** @return the directory for worker output and files of the run */
    Path dir() {
        return dir;
    }

    /** @return a manager builder for a scenario: worker output in {@link #dir}, the run's prefetch */
    ManagerBuilder builder() {
        return Manager.builder().outputPattern(dir.resolve("worker%d.output").toString()).prefetch(prefetch);
    }

    /** Starts workers and waits until all are connected, so start-up is not counted in throughput. */
    static void awaitConnected(Manager m, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (m.workers().stream().filter(w -> w.state() == WorkerInfo.State.CONNECTED).count() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("workers did not connect: " + m.workers());
            }
            Thread.sleep(5);
        }
    }

    /**
     * @param warmUpSeconds the warm-up lasts at least this long, however many tasks that takes: the
     *     workers' JIT compilers share the cores with the work, so they finish by time, not by task count
     * @return trivial tasks per second: {@code [fresh, warm]}: the first {@code freshTasks} on fresh worker
     *     JVMs, then the median rate of {@link #WARM_BATCHES} batches of {@code warmTasks} after a further unmeasured
     *     warm-up of at least {@code warmUpTasks} and {@code warmUpSeconds}
     */
    double[] trivial(int workers, int freshTasks, int warmUpTasks, double warmUpSeconds, int warmTasks)
            throws Exception {
        try (Manager m = builder().build()) {
            m.addWorker(new LocalWorker(workers));
            awaitConnected(m, workers);
            Context<Void, Integer> ctx = m.getContext();
            double fresh = runTrivial(ctx, freshTasks);
            long until = System.nanoTime() + (long) (warmUpSeconds * 1e9);
            for (int done = 0; done < warmUpTasks || System.nanoTime() < until; done += WARM_UP_BATCH) {
                runTrivial(ctx, WARM_UP_BATCH);
            }
            untilCompiled(() -> runTrivial(ctx, WARM_UP_BATCH));
            // the median of seven batches: one batch of 200,000 moved by a fifth between runs, and the
            // slowest of three was 22% under the fastest in one run (a garbage collection or a recompilation)
            double[] warm = new double[WARM_BATCHES];
            for (int i = 0; i < warm.length; i++) {
                warm[i] = runTrivial(ctx, warmTasks);
            }
            return new double[] {fresh, Stats.median(warm)};
        }
    }

    /** The longest warm-up {@link #untilCompiled} adds. */
    private static final long SETTLE_MAX_NANOS = 60_000_000_000L;

    /**
     * Runs {@code batch} until the workers' JIT compilers took at most {@link JitSettle#SETTLED_SHARE} of
     * their CPU during one run of it (at most {@link #SETTLE_MAX_NANOS}): a warm-up of fixed length left
     * 8 workers on 2 cores compiling through the measured part.
     */
    static void untilCompiled(Runnable batch) {
        JitSettle jit = new JitSettle();
        long start = System.nanoTime();
        double share;
        do {
            batch.run();
            share = jit.compilerShareSinceLast();
        } while (share > JitSettle.SETTLED_SHARE && System.nanoTime() - start < SETTLE_MAX_NANOS);
        System.err.printf(java.util.Locale.ROOT, "[bench]   JIT compilers at %.0f%% of the workers' CPU after %.1f s"
                + " more warm-up%s%n", share * 100, (System.nanoTime() - start) / 1e9,
                share > JitSettle.SETTLED_SHARE ? " (NOT SETTLED: the warm figure is taken while they compile)" : "");
    }

    static double runTrivial(Context<Void, Integer> ctx, int n) {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int k = i;
            ctx.addTask(s -> k);
        }
        long sum = 0;
        for (Integer r : ctx.getResultsUnordered()) {
            sum += r;
        }
        checkSum(sum, n);
        return n / ((System.nanoTime() - start) / 1e9);
    }

    /** @return round-trip payload throughput in MB/s (both directions counted) */
    double payload(int workers, int size, int tasks, int warmUpTasks, double warmUpSeconds) throws Exception {
        byte[] data = new byte[size];
        Arrays.fill(data, (byte) 7);
        try (Manager m = builder().build()) {
            m.addWorker(new LocalWorker(workers).jvmOptions("-Xmx1g"));
            awaitConnected(m, workers);
            Context<Void, byte[]> ctx = m.getContext();
            long until = System.nanoTime() + (long) (warmUpSeconds * 1e9);
            for (int done = 0; done < warmUpTasks || System.nanoTime() < until; done += tasks) {
                run(ctx, data, tasks); // fresh JVMs copy slowly until compiled
            }
            untilCompiled(() -> run(ctx, data, tasks));
            int batches = 5; // 2,000 tasks take under half a second: measure several batches
            long start = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                run(ctx, data, tasks);
            }
            double s = (System.nanoTime() - start) / 1e9;
            return 2.0 * size * tasks * batches / s / 1e6;
        }
    }

    private static void run(Context<Void, byte[]> ctx, byte[] data, int tasks) {
        for (int i = 0; i < tasks; i++) {
            ctx.addTask(s -> data);
        }
        for (byte[] r : ctx.getResultsUnordered()) {
            if (r.length != data.length) {
                throw new IllegalStateException("payload changed size");
            }
        }
    }

    /**
     * What {@link #bigTask} measured.
     *
     * @param ms the median milliseconds of the three measured round trips
     * @param faults the minor page faults of this JVM (the manager's side) during the median one, -1 if unknown
     * @param workerFaults the worker JVM's minor page faults during the median one (a 16 MB array in heap the
     *     worker never touched costs ~4,000), -1 if unknown
     * @param workerFaultsEach the worker's faults during each of the three, in order (-1 if unknown)
     */
    record Big(double ms, long faults, long workerFaults, long[] workerFaultsEach) {
    }

    /** @return milliseconds (and the manager's page faults) for one task carrying {@code mb} MB each way, after a warm-up task */
    Big bigTask(int mb) throws Exception {
        byte[] data = new byte[mb << 20];
        try (Manager m = builder().build()) {
            m.addWorker(new LocalWorker().jvmOptions("-Xmx2g"));
            awaitConnected(m, 1);
            Context<Void, byte[]> ctx = m.getContext();
            run(ctx, new byte[1 << 20], 50);
            run(ctx, data, 1);
            long worker = workerPid();
            double[] t = new double[3];
            long[] faults = new long[3];
            long[] workerFaults = new long[3];
            for (int i = 0; i < t.length; i++) {
                long f = ArrayFloor.minorFaults();
                long wf = worker < 0 ? -1 : ArrayFloor.minorFaults(worker);
                long start = System.nanoTime();
                run(ctx, data, 1);
                t[i] = (System.nanoTime() - start) / 1e6;
                faults[i] = f < 0 ? -1 : ArrayFloor.minorFaults() - f;
                long wfAfter = worker < 0 ? -1 : ArrayFloor.minorFaults(worker);
                workerFaults[i] = wf < 0 || wfAfter < 0 ? -1 : wfAfter - wf;
            }
            double median = Stats.median(t);
            for (int i = 0; i < t.length; i++) {
                if (t[i] == median) {
                    return new Big(median, faults[i], workerFaults[i], workerFaults);
                }
            }
            return new Big(median, -1, -1, workerFaults);
        }
    }

    /** @return the process id of this JVM's one worker JVM (a child running WorkerMain), -1 if not exactly one */
    private static long workerPid() {
        List<Long> pids = ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains("WorkerMain")).map(ProcessHandle::pid).toList();
        return pids.size() == 1 ? pids.get(0) : -1;
    }

    /** @return milliseconds from creating the manager to the first result, on fresh worker JVMs */
    double coldStart(int workers) throws Exception {
        long start = System.nanoTime();
        try (Manager m = builder().build()) {
            m.addWorker(new LocalWorker(workers));
            Context<Void, Integer> ctx = m.getContext();
            ctx.addTask(s -> 1);
            ctx.getResultsUnordered().iterator().next();
            return (System.nanoTime() - start) / 1e6;
        }
    }

    /** @return milliseconds from kill -9 of the worker running a task to that task starting again elsewhere */
    double failover() throws Exception {
        Path marker = dir.resolve("failover-" + System.nanoTime());
        String markerPath = marker.toString();
        try (Manager m = builder().build()) {
            m.addWorker(new LocalWorker(2));
            awaitConnected(m, 2);
            Context<Void, Long> ctx = m.getContext();
            ctx.addTask(s -> {
                Path f = Path.of(markerPath);
                if (!Files.exists(f)) {
                    Files.writeString(f, Long.toString(ProcessHandle.current().pid()));
                    Thread.sleep(60_000);
                }
                return System.currentTimeMillis();
            });
            long pid = waitForPid(marker);
            long killedAt = System.currentTimeMillis();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            long restartedAt = ctx.getResultsUnordered().iterator().next();
            return restartedAt - killedAt;
        }
    }

    private static long waitForPid(Path marker) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(marker)) {
                String s = Files.readString(marker).trim();
                if (!s.isEmpty()) {
                    return Long.parseLong(s);
                }
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("the task never started");
    }

    /** @return trivial tasks per second with {@code n} simulated workers connected to one manager */
    double simulated(int n, int tasks) throws Exception {
        return simulated(n, tasks, false);
    }

    /**
     * @param lifetimes whether the workers report a lifetime (an hour) and the tasks declare an expected
     *     duration (1 ms), so that the dispatcher checks every task against its worker's end of life
     * @return trivial tasks per second with {@code n} simulated workers connected to one manager
     */
    double simulated(int n, int tasks, boolean lifetimes) throws Exception {
        try (Manager m = builder().startTimeout(Duration.ofSeconds(120)).build()) {
            m.addWorker(new SimulatedWorkers(n, lifetimes ? 3_600_000 : -1));
            awaitConnected(m, n);
            Context<Void, Integer> ctx = m.getContext();
            if (lifetimes) {
                ctx.setDefaultOptions(org.jparallel.TaskOptions.none().withExpectedDuration(Duration.ofMillis(1)));
            }
            for (int i = 0; i < tasks / 10; i++) {
                ctx.addTask(s -> 0);
            }
            ctx.getResultsUnordered().forEach(r -> { });
            long start = System.nanoTime();
            for (int i = 0; i < tasks; i++) {
                ctx.addTask(s -> 0);
            }
            ctx.getResultsUnordered().forEach(r -> { });
            return tasks / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Checks the sum of the results of the trivial tasks 0 to n - 1. */
    static void checkSum(long sum, int n) {
        if (sum != (long) n * (n - 1) / 2) {
            throw new IllegalStateException("wrong results: " + sum + " for " + n + " tasks");
        }
    }
}
