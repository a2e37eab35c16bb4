package org.jparallel.bench;

import org.jparallel.Context;
import org.jparallel.ManagerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark: jparallel's figures on real worker JVMs, each beside the machine's limit measured in
 * the same run, printed as a markdown table and written as JSON. Run it with {@code scripts/bench.sh}.
 */
public final class Benchmark {
    private final List<Figure> figures = new ArrayList<>();
    private final boolean quick;
    private final Scenarios scenarios;

    /** The parts of the run, for {@code --only}. */
    private static final String PARTS = "trivial,payload,big,cold,many,failover,simulated,journal";
    private final java.util.Set<String> only;
    private final LimitDrift drift = new LimitDrift();
    /** How many (hello world, cold start of 1 worker) pairs the cold start's ratio is the median of. */
    private static final int COLD_PAIRS = 9;

    /** @return how many JVMs a one-in-flight limit is the median of: {@link #ONE_IN_FLIGHT_JVMS}, one in a quick run */
    private int oneInFlightJvms() {
        return quick ? 1 : ONE_IN_FLIGHT_JVMS;
    }

    /** @return the label's words for {@link #oneInFlightJvms} */
    private String jvmsLabel() {
        return oneInFlightJvms() == 1 ? ", one JVM" : ", the median of " + oneInFlightJvms() + " JVMs";
    }

    private Benchmark(boolean quick, Scenarios scenarios, java.util.Set<String> only) {
        this.only = only;
        this.quick = quick;
        this.scenarios = scenarios;
    }

    /**
     * @param args {@code [--quick] [--tasks N (the big run, default 1,000,000)] [--prefetch N] [--out FILE]
     *     [--only PART,...]}, the parts being {@link #PARTS}
     */
    public static void main(String[] args) throws Exception {
        boolean quick = false;
        int many = 1_000_000;
        int prefetch = 0;
        java.util.Set<String> only = java.util.Set.of(PARTS.split(","));
        Path out = Path.of("target/bench.json");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--tasks" -> many = Integer.parseInt(args[++i]);
                case "--prefetch" -> prefetch = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--only" -> only = java.util.Set.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: bench [--quick] [--tasks N] [--prefetch N] [--out FILE] [--only " + PARTS + "]");
            }
        }
        Path dir = Files.createTempDirectory("jparallel-bench");
        Benchmark b = new Benchmark(quick, new Scenarios(dir, prefetch), only);
        b.run(quick ? Math.min(many, 200_000) : many);
        String table = b.markdown(prefetch) + b.driftText();
        System.out.println(table);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, BenchJson.of(Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version"), prefetch, b.figures));
        System.out.println("JSON written to " + out.toAbsolutePath());
    }

    /** The limits measured at both ends of the run, to tell a run on a machine that changed under it. */
    private void measureLimits(boolean atStart) throws Exception {
        progress("limits at the " + (atStart ? "start" : "end"));
        QuietSelf.await(10_000); // this JVM's own compilers, busy after its start, are not the machine's noise
        if (atStart) {
            // unmeasured: the first hello world reads the jars from disk. The ping-pong needs no such
            // start: each runs in a fresh JVM of its own after an unmeasured one (LimitProbe), so this JVM's
            // JIT warming during the run (26,512 round trips/s at the start, 35,164 at the end of a quiet
            // run, when both ran here) no longer moves it
            Limits.jvmFloorMs(1);
        }
        double floor = Limits.jvmFloorMs(quick ? 5 : 9);
        // pipelined, as the warm figures' limits are, and the median of three JVMs: one in flight measures how
        // fast this VM wakes a sleeping core, which moved 9k-45k round trips/s between half-second samples of
        // one idle JVM (2026-12-07) and flagged every run; the pipelined one moved within a fifth
        double ping = Limits.pingPongMedian(DRIFT_PING_JVMS, 1, 64, ManagerSettings.AUTO_PREFETCH_MAX, 1);
        if (atStart) {
            drift.atStart(FLOOR, floor);
            drift.atStart(PING, ping);
        } else {
            drift.atEnd(FLOOR, floor);
            drift.atEnd(PING, ping);
        }
        add(FLOOR + ", at the " + (atStart ? "start" : "end") + " of the run", new double[] {floor}, "ms", null,
                Double.NaN, null);
    }

    /**
     * How many JVMs each one-in-flight ping-pong limit is the median of: one in flight measures, besides the
     * transport, how fast this VM wakes a sleeping core, and one JVM's figure moved 2,620-6,043 MB/s (100 KB x 4)
     * and 7.3-13.0 ms (16 MB) across one day's runs (2026-12-07), moving the ratios set against it as much.
     */
    private static final int ONE_IN_FLIGHT_JVMS = 3;
    /** How many JVMs the drift's pipelined ping-pong is the median of. */
    private static final int DRIFT_PING_JVMS = 3;
    private static final String FLOOR = "JVM floor: hello world started as local workers are (ms)";
    private static final String PING = "Netty ping-pong 64 B, " + ManagerSettings.AUTO_PREFETCH_MAX
            + " in flight x 1, the median of " + DRIFT_PING_JVMS + " JVMs (round trips/s)";

    private void run(int many) throws Exception {
        measureLimits(true);
        runParts(many);
        measureLimits(false);
    }

    private void runParts(int many) throws Exception {
        // fresh JVMs on 2 cores reach their steady rate only after a few hundred thousand trivial tasks
        // each and 15-20 s (their JIT compilers share the cores with everything else, and finish by
        // time): the warm-up grows with the workers and lasts at least warmUpSeconds
        int fresh = quick ? 5_000 : 20_000;
        int warm = quick ? 50_000 : 200_000;
        int warmUpPerWorker = quick ? 150_000 : 400_000;
        double warmUpSeconds = quick ? 3 : 20;
        int[] counts = quick ? new int[] {1, 4} : new int[] {1, 2, 4, 8};
        for (int w : only.contains("trivial") ? counts : new int[0]) {
            progress("trivial tasks, " + w + " worker(s)");
            int warmUp = warmUpPerWorker * w;
            double[][] reps = {scenarios.trivial(w, fresh, warmUp, warmUpSeconds, warm),
                scenarios.trivial(w, fresh, warmUp, warmUpSeconds, warm)};
            // one in flight: the median of three JVMs (one in a quick run), as every one-in-flight limit here
            double oneInFlight = Limits.pingPongMedian(oneInFlightJvms(), w, 64, 1, quick ? 1 : 2);
            double pipelined = Limits.pingPong(w, 64, ManagerSettings.AUTO_PREFETCH_MAX, quick ? 1 : 2);
            double pool = Limits.threadPool(w, warm);
            add("trivial tasks/s, " + w + " worker(s), first " + fresh + " on fresh JVMs",
                    new double[] {reps[0][0], reps[1][0]}, "tasks/s",
                    "Netty ping-pong 64 B, 1 in flight x " + w + jvmsLabel(),
                    oneInFlight, null);
            add("trivial tasks/s, " + w + " worker(s), warm (median of " + Scenarios.WARM_BATCHES + " x " + warm + " after " + (fresh + warmUp)
                    + " and " + (int) warmUpSeconds + " s)",
                    new double[] {reps[0][1], reps[1][1]}, "tasks/s", "Netty ping-pong 64 B, "
                    + ManagerSettings.AUTO_PREFETCH_MAX + " in flight x " + w, pipelined,
                    w == 4 ? ">= 350,000 and >= half the ping-pong limit" : w == 1 ? ">= 200,000" : null);
            add("trivial tasks/s, " + w + " worker(s), first " + fresh + " on fresh JVMs, beside the warm rate",
                    new double[] {reps[0][0], reps[1][0]}, "tasks/s", "the warm rate, same run",
                    Stats.median(new double[] {reps[0][1], reps[1][1]}), ">= 0.20 of warm");
            add("in-process ThreadPoolExecutor, " + w + " thread(s), same tasks", new double[] {pool}, "tasks/s",
                    null, Double.NaN, null);
        }
        if (only.contains("slots")) { // not in the default parts: --only slots
            progress("task slots: 8 x 1 slot vs 1 x 8 slots (memory), 4 x 1 vs 1 x 4 (rate)");
            figures.addAll(SlotsScenario.figures(Files.createTempDirectory("jparallel-slots"), 3,
                    quick ? 50_000 : 200_000));
        }
        if (only.contains("payload")) {
            payloads();
        }
        if (only.contains("big")) {
            bigTasks(quick ? new int[] {1, 16} : new int[] {1, 4, 16, 64});
        }
        if (only.contains("cold")) {
            // unmeasured: loads the manager's classes when this part runs alone, and writes the
            // workers' class data sharing archive when this classpath has none yet
            scenarios.coldStart(1);
        }
        double oneWorkerMs = Double.NaN;
        for (int w : only.contains("cold") ? new int[] {1, 4} : new int[0]) {
            progress("cold start, " + w + " worker(s)");
            if (w == 1) {
                // each cold start right after a hello world, so that both see the same moment of the machine: the
                // floor alone moved 126-150 ms between quiet runs, and a ratio to the floor measured at the start
                // of the run read 1.38 and 1.70 for the same code
                PairedRatio.Pairs pairs = PairedRatio.measure(COLD_PAIRS, () -> Limits.jvmFloorMs(1),
                        () -> scenarios.coldStart(1));
                double[] cs = pairs.figure();
                oneWorkerMs = Stats.median(cs);
                System.err.println("[bench]   (hello world ms, cold start ms, ratio) in the order taken: "
                        + pairs.describe());
                figures.add(new Figure("cold start to first result, 1 worker(s) (ratio: the median of " + COLD_PAIRS
                        + " per-pair ratios, each cold start to the hello world started just before it)",
                        oneWorkerMs, Stats.min(cs), Stats.max(cs), "ms", "JVM floor (hello world), interleaved with the"
                        + " cold starts (median)", Stats.median(pairs.limit()), "<= 1.5 x the floor",
                        pairs.medianRatio()));
            } else {
                double[] cs = new double[3];
                for (int i = 0; i < cs.length; i++) {
                    cs[i] = scenarios.coldStart(w);
                }
                add("cold start to first result, " + w + " worker(s)", cs, "ms", "the same with 1 worker",
                        oneWorkerMs, "<= 2 x 1 worker");
            }
        }
        if (only.contains("cold")) {
            progress("a program's first run (a fresh JVM: manager, 1 worker, 1 task)");
            figures.addAll(FirstRun.figures(quick ? 3 : 5));
        }
        if (only.contains("many")) {
            many(many);
        }
        if (only.contains("failover")) {
            progress("failover");
            double[] fo = {scenarios.failover(), scenarios.failover(), scenarios.failover()};
            add("re-dispatch after kill -9 of the worker", fo, "ms", null, Double.NaN, "<= 50 ms");
        }
        if (only.contains("journal")) {
            journal();
        }
        if (only.contains("simulated")) {
            int sims = quick ? 200 : 1_000;
            int tasks = quick ? 50_000 : 200_000;
            // without and with lifetimes interleaved (A B, B A, A B), so that a disturbance of the shared
            // machine falls on both alike and the with/without ratio is comparable
            double[] plain = new double[3];
            double[] life = new double[3];
            for (int round = 0; round < 3; round++) {
                boolean lifeFirst = round == 1;
                for (int k = 0; k < 2; k++) {
                    boolean lifetimes = (k == 0) == lifeFirst;
                    progress(sims + " simulated workers" + (lifetimes ? " with lifetimes, tasks with expected durations"
                            : "") + ", round " + (round + 1) + " of 3");
                    (lifetimes ? life : plain)[round] = scenarios.simulated(sims, tasks, lifetimes);
                }
            }
            add("trivial tasks/s, " + sims + " simulated workers on one manager", plain, "tasks/s", null,
                    Double.NaN, ">= 100,000");
            add("trivial tasks/s, " + sims + " simulated workers with lifetimes, tasks with expected durations", life,
                    "tasks/s", "the same without (interleaved)", Stats.median(plain), null);
        }
    }

    /**
     * One task of each size at a time, beside two limits: the ping-pong (no Java array on either side), and
     * the ping-pong plus the JVM's own floor for receiving the payload as a new {@code byte[]} on each side
     * ({@link ArrayFloor}, in fresh JVMs of the manager's and the worker's options, the same sequence), which
     * no transport avoids. The floors also in a touched heap ({@code -Xms} = {@code -Xmx},
     * {@code -XX:+AlwaysPreTouch}): what a fixed heap buys a program with big payloads.
     */
    private void bigTasks(int[] sizes) throws Exception {
        progress("array floors: a fresh byte[] of " + java.util.Arrays.toString(sizes) + " MB on each side");
        List<String> managerOptions = ArrayFloor.managerOptions();
        List<ArrayFloor.Floor> manager = ArrayFloor.forked(managerOptions, true, sizes);
        // both sides' options touched are the same heap (-Xmx2g -Xms2g -XX:+AlwaysPreTouch), and in a touched
        // heap the sequence before an array does not matter: one JVM (pre-touching 2 GB takes seconds) for both
        List<ArrayFloor.Floor> touched = ArrayFloor.forked(ArrayFloor.touched(managerOptions), true, sizes);
        for (int i = 0; i < sizes.length; i++) {
            int mb = sizes[i];
            progress("one " + mb + " MB task");
            Scenarios.Big big = scenarios.bigTask(mb);
            double ping = 1000.0 / Limits.pingPongMedian(oneInFlightJvms(), 1, mb << 20, 1, 1);
            ArrayFloor.Floor worker = ArrayFloor.forked(ArrayFloor.WORKER_OPTIONS, false, mb).get(0);
            ArrayFloor.Floor m = manager.get(i);
            add("one " + mb + " MB task, round trip", new double[] {big.ms()}, "ms",
                    "Netty ping-pong " + mb + " MB" + jvmsLabel(),
                    ping, mb == 16 ? "<= 50 ms" : null);
            add("one " + mb + " MB task, round trip, beside the ping-pong plus a fresh " + mb + " MB byte[] made and"
                    + " filled on each side (the JVM's floor, not a transport's)", new double[] {big.ms()}, "ms",
                    String.format(Locale.ROOT, "ping-pong %s + arrays %s (manager) + %s (worker)", num(ping),
                            num(m.ms()), num(worker.ms())), ping + m.ms() + worker.ms(), null);
            add("manager page faults during one " + mb + " MB task", new double[] {big.faults()}, "faults",
                    "the array floor's, manager's options", m.faults(), null);
            add("worker page faults during one " + mb + " MB task (the three timed: " + faultList(big.workerFaultsEach())
                    + "; thousands mean the task's array landed in heap the worker had not touched yet)",
                    new double[] {big.workerFaults()}, "faults", "the array floor's, worker's options", worker.faults(),
                    null);
            floorRow(mb, "the manager's", managerOptions, m, touched.get(i));
            floorRow(mb, "a worker's", ArrayFloor.WORKER_OPTIONS, worker, touched.get(i));
        }
    }

    private static String faultList(long[] faults) {
        StringBuilder b = new StringBuilder();
        for (long f : faults) {
            b.append(b.length() == 0 ? "" : ", ").append(f);
        }
        return b.toString();
    }

    private void floorRow(int mb, String side, List<String> options, ArrayFloor.Floor fresh, ArrayFloor.Floor touched) {
        add(String.format(Locale.ROOT, "array floor: a fresh %d MB byte[] made and filled in %s JVM (%s; after "
                + "bigTask's warm-up; %d faults; the copy alone %s ms)", mb, side, String.join(" ", options),
                fresh.faults(), num(fresh.copyMs())), new double[] {fresh.minMs(), fresh.ms(), fresh.maxMs()}, "ms",
                "the same in a touched heap (-Xms = -Xmx, -XX:+AlwaysPreTouch; " + touched.faults() + " faults)",
                touched.ms(), null);
    }

    private void payloads() throws Exception {
        progress("100 KB payloads");
        int payloadTasks = quick ? 500 : 2_000;
        // fresh JVMs reach their steady rate on 100 KB tasks only after some 15,000 each (measured: the
        // hot methods run a thousand times a second, so C2 gets to them late)
        int payloadWarmUp = quick ? 10_000 : 60_000;
        double warmUpSeconds = quick ? 3 : 20;
        double[] mbs = {scenarios.payload(4, 100 * 1024, payloadTasks, payloadWarmUp, warmUpSeconds),
            scenarios.payload(4, 100 * 1024, payloadTasks, payloadWarmUp, warmUpSeconds)};
        double pingMbs = Limits.pingPongMedian(oneInFlightJvms(), 4, 100 * 1024, 1, quick ? 1 : 2) * 2 * 100 * 1024
                / 1e6;
        add("100 KB payload round trip, 4 workers (after " + payloadWarmUp + " tasks and " + (int) warmUpSeconds
                + " s)", mbs, "MB/s", "Netty ping-pong 100 KB, 1 in flight x 4" + jvmsLabel(), pingMbs, ">= 2,000 MB/s");
    }

    /** The journal's cost: the same keyed tasks with and without a journal, in alternating managers. */
    private void journal() throws Exception {
        progress("journal");
        JournalScenario js = new JournalScenario(scenarios.dir());
        int trivial = quick ? 20_000 : 100_000;
        int ms = quick ? 1_000 : 4_000;
        int batches = quick ? 2 : 3;
        JournalScenario.Rates off = js.run(false, 2, trivial, ms, batches);
        JournalScenario.Rates on = js.run(true, 2, trivial, ms, batches);
        add("keyed trivial tasks/s through mapUnordered with a journal, 2 workers (" + batches + " x " + trivial + ")",
                on.trivialRate(), "tasks/s", "the same without a journal", Stats.median(off.trivialRate()), null);
        add("keyed 1 ms tasks/s through mapUnordered with a journal, 2 workers (" + batches + " x " + ms + ")",
                on.msRate(), "tasks/s", "the same without a journal", Stats.median(off.msRate()), null);
        add("journal bytes per result (a 4-byte Integer result, a key of up to 6 digits, its delivery mark)",
                new double[] {on.bytesPerResult()}, "bytes", null, Double.NaN, null);
    }

    private void many(int many) throws Exception {
        int warmUpPerWorker = quick ? 150_000 : 400_000;
        progress(many + " tasks");
        ManyScenario.Many big = new ManyScenario(scenarios).run(4, many, warmUpPerWorker * 4, quick ? 3 : 20);
        double small = Stats.median(big.small());
        add("overhead per task at 10,000 tasks, 4 warm workers (" + big.small().length + " runs)", big.small(), "us",
                null, Double.NaN, null);
        add("overhead per task at " + many + " tasks, 4 workers (" + big.large().length + " runs)", big.large(), "us",
                "the same at 10,000 tasks", small, "the same as at 10 k");
        add("... of which the manager's GC pauses", big.gcPause(), "us", null, Double.NaN, null);
        add("overhead per task at " + many + " tasks through mapUnordered (window " + Context.DEFAULT_MAP_WINDOW
                + ", " + big.mapped().length + " runs)", big.mapped(), "us", "the same at 10,000 tasks", small,
                "the same as at 10 k");
        add("... of which the manager's GC pauses", big.mappedGcPause(), "us", null, Double.NaN, null);
        add("manager live heap halfway through " + many + " tasks through mapUnordered (after a full GC)",
                new double[] {big.mappedLiveMb()}, "MB", null, Double.NaN, null);
        add("manager heap peak during " + many + " tasks (used, garbage included)", new double[] {big.peakMb()}, "MB",
                null, Double.NaN, null);
        add("manager heap peak during " + many + " tasks (after each GC, dead promoted objects included)",
                new double[] {big.afterGcMb()}, "MB", null, Double.NaN, null);
        add("manager live heap with " + many + " tasks added (after a full GC)", new double[] {big.liveMb()}, "MB", null,
                Double.NaN, "<= 1,000 MB");
    }

    private void add(String name, double[] reps, String unit, String limitName, double limit, String target) {
        figures.add(new Figure(name, Stats.median(reps), Stats.min(reps), Stats.max(reps), unit, limitName, limit, target));
    }

    private static void progress(String what) {
        System.err.println("[bench] " + what + " ...");
    }

    private String markdown(int prefetch) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%n## jparallel benchmark (%d cores, Java %s, prefetch %d%s)%n%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), prefetch,
                quick ? ", quick" : ""));
        b.append("| figure | median | min-max | unit | limit (same run) | ratio to limit | target |\n");
        b.append("|---|---:|---:|---|---|---:|---|\n");
        for (Figure f : figures) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %s-%s | %s | %s | %s | %s |%n", f.name(), num(f.value()),
                    num(f.min()), num(f.max()), f.unit(),
                    f.limitName() == null ? "" : f.limitName() + ": " + num(f.limit()),
                    Double.isNaN(f.ratio()) ? "" : String.format(Locale.ROOT, "%.2f", f.ratio()),
                    f.target() == null ? "" : f.target()));
        }
        return b.toString();
    }

    /** @return the limits at both ends of the run, and whether they moved enough to distrust it */
    private String driftText() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%nLimits at the start and the end of the run:%n"));
        for (String line : drift.lines()) {
            b.append("- ").append(line).append(String.format(Locale.ROOT, "%n"));
        }
        b.append(drift.noisy() ? "**A limit moved by more than 20% during the run: the machine was busy; do not trust"
                + " these figures.**" : "No limit moved by more than 20% during the run.").append(String.format(Locale.ROOT, "%n"));
        return b.toString();
    }

    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
