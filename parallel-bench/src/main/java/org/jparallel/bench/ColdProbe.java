package org.jparallel.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.local.LocalWorker;

/**
 * Where a fresh local worker's start goes, measured in what a loaded machine does not distort: the
 * CPU time (user and system, ended threads included, from {@code /proc/PID/stat}) the worker JVM
 * has used when its first result reaches the manager, beside the same for a hello world that prints a
 * line and waits (the JVM's floor, started the same way). Variants of worker JVM options run
 * interleaved, round after round, and each is reported as the median of its ratio to the first
 * variant in the same round. Linux only; a measuring tool, not part of the benchmark.
 *
 * <p>Usage: {@code ColdProbe ROUNDS CACHE_DIR VARIANT...}, a variant being JVM options separated by
 * spaces, or {@code -} for none; a word {@code cp=CLASSPATH} sets the worker's classpath (two builds
 * compared in one run), {@code nocds} starts it without backend-local's class sharing archive, and
 * {@code starts=N} sets {@code LocalWorker.startsAtOnce(N)} (0: all workers at once), {@code workers=N}
 * that variant's number of workers (as {@code -Dprobe.workers}). With {@code -Dprobe.fresh=N} each worker then runs N trivial tasks and the
 * figures are those of the N tasks instead (the worker's CPU, the manager's wall time), and each round
 * prints the CPU of the worker's threads by kind (task, net, C1, C2, other) and its read and write system calls
 * over them; with {@code
 * -Dprobe.warm=true} the figures are the worker's CPU microseconds per task and the rate in tasks/s, warm
 * (after 420,000 tasks and 10 s). With {@code -Dprobe.workers=N} each variant starts N workers at once (the
 * hello world stays one JVM) and its CPU figure is the sum of all N workers' CPU when the first result arrives:
 * issue 24's second cold-start goal (4 workers on 2 cores), where the workers share the cores; the
 * "manager" column then holds the wall ms until every worker has connected.
 * With {@code -Dprobe.freshManager=true} each measurement runs in a manager
 * JVM started for it (the manager fresh too, as in a user's first run; its CPU over the fresh tasks is
 * reported beside the worker's), and a word {@code mcp=CLASSPATH} sets that manager's classpath.
 */
public final class ColdProbe {
    private ColdProbe() {
    }

    /** @param args {@code ROUNDS CACHE_DIR VARIANT...} */
    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        Path cache = Path.of(args[1]);
        List<List<String>> variants = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            variants.add(args[i].equals("-") ? List.of() : Arrays.asList(args[i].trim().split("\\s+")));
        }
        Path dir = Files.createTempDirectory("jparallel-coldprobe");
        int n = variants.size() + 1; // the last column is the hello world
        double[][] cpu = new double[rounds][n];
        double[][] wall = new double[rounds][n];
        double[][] mgr = new double[rounds][n]; // the manager's CPU over the fresh tasks
        for (int r = -1; r < rounds; r++) { // round -1 writes the archives and loads the manager: unmeasured
            for (int v = 0; v < n; v++) {
                double[] m = v >= variants.size() ? hello(variants.get(0))
                        : Boolean.getBoolean("probe.freshManager") ? inFreshManager(cache, variants.get(v))
                        : worker(dir, cache, variants.get(v));
                if (r >= 0) {
                    cpu[r][v] = m[0];
                    wall[r][v] = m[1];
                    mgr[r][v] = m.length > 2 ? m[2] : 0;
                }
            }
            System.err.printf(Locale.ROOT, "round %d: cpu ms %s, manager %s, wall %s%n", r,
                    r >= 0 ? Arrays.toString(cpu[r]) : "(warm-up)", r >= 0 ? Arrays.toString(mgr[r]) : "",
                    r >= 0 ? Arrays.toString(wall[r]) : "");
        }
        for (int v = 0; v < n; v++) {
            String name = v < variants.size() ? "worker " + shortName(variants.get(v)) : "hello world (floor)";
            double[] cr = ratio(cpu, v, 0);
            double[] wr = ratio(wall, v, 0);
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.2f (%.2f-%.2f) | %.1f | %.2f (%.2f-%.2f) | %.1f | %.2f |%n", name,
                    Stats.median(col(cpu, v)), Stats.median(cr), min(cr), max(cr), Stats.median(col(wall, v)),
                    Stats.median(wr), min(wr), max(wr), Stats.median(col(mgr, v)), Stats.median(ratio(mgr, v, 0)));
        }
        System.out.printf(Locale.ROOT, "(n = %d rounds; columns: CPU ms median, median of CPU ratio to the first"
                + " variant in the same round (range), wall ms median, median of wall ratio (range); with"
                + " -Dprobe.fresh: manager CPU ms over the tasks, median of its ratio)%n", rounds);
    }

    /** @return {@code [cpu ms, wall ms]} of one worker JVM at the moment its first result arrives */
    private static double[] worker(Path dir, Path cache, List<String> variant) throws Exception {
        List<String> options = variant.stream().filter(o -> !o.startsWith("cp=") && !o.equals("nocds")
                && !o.startsWith("starts=") && !o.startsWith("workers=")).toList();
        int workers = variant.stream().filter(o -> o.startsWith("workers=")).map(o -> Integer.parseInt(o.substring(8)))
                .findFirst().orElse(Integer.getInteger("probe.workers", 1));
        LocalWorker group = new LocalWorker(workers).jvmOptions(options.toArray(String[]::new)).classSharingCache(cache)
                .classSharing(!variant.contains("nocds"));
        variant.stream().filter(o -> o.startsWith("cp=")).findFirst().ifPresent(cp -> group.classpath(cp.substring(3)));
        variant.stream().filter(o -> o.startsWith("starts=")).findFirst()
                .ifPresent(s -> group.startsAtOnce(Integer.parseInt(s.substring(7))));
        long start = System.nanoTime();
        try (Manager m = Manager.builder().outputPattern(dir.resolve("worker%d.output").toString()).build()) {
            m.addWorker(group);
            Context<Void, Integer> ctx = m.getContext();
            ctx.addTask(s -> 1);
            ctx.getResultsUnordered().iterator().next();
            double wallMs = (System.nanoTime() - start) / 1e6;
            long pid = ProcessHandle.current().children().filter(p -> p.info().commandLine().orElse("")
                    .contains("WorkerMain")).mapToLong(ProcessHandle::pid).findFirst().orElseThrow();
            double cpuMs = cpuNanos(pid) / 1e6;
            if (workers > 1) { // every worker's CPU at the first result: on 2 cores they share the CPU
                cpuMs = 0;
                for (ProcessHandle p : ProcessHandle.current().children().filter(c -> c.info().commandLine().orElse("")
                        .contains("WorkerMain")).toList()) {
                    cpuMs += cpuNanos(p.pid()) / 1e6;
                }
                // then the wall time until every worker has connected (polled: a measuring tool)
                long until = System.nanoTime() + 30_000_000_000L;
                while (m.workers().stream().anyMatch(w -> w.state() == org.jparallel.WorkerInfo.State.STARTING)
                        && System.nanoTime() < until) {
                    Thread.sleep(2);
                }
                return new double[] {cpuMs, wallMs, (System.nanoTime() - start) / 1e6};
            }
            if (Boolean.getBoolean("probe.warm")) { // the warm rate instead, as the benchmark takes it
                Scenarios.runTrivial(ctx, 20_000);
                long until = System.nanoTime() + 10_000_000_000L;
                for (int done = 0; done < 400_000 || System.nanoTime() < until; done += 200_000) {
                    Scenarios.runTrivial(ctx, 200_000);
                }
                double[] warm = new double[5];
                double before = cpuNanos(pid);
                for (int i = 0; i < warm.length; i++) {
                    warm[i] = Scenarios.runTrivial(ctx, 200_000);
                }
                double usPerTask = (cpuNanos(pid) - before) / 1e3 / (200_000.0 * warm.length);
                System.err.printf(Locale.ROOT, "  warm: %.0f tasks/s, worker CPU %.2f us/task%n", Stats.median(warm), usPerTask);
                return new double[] {usPerTask, Stats.median(warm)};
            }
            int fresh = Integer.getInteger("probe.fresh", 0);
            if (fresh > 0) { // then the first tasks on the fresh worker: its CPU per task, and the rate
                long[] io = syscalls(pid);
                java.util.Map<String, Long> threadsBefore = threadsByKind(pid, "net");
                long self = ProcessHandle.current().pid();
                java.util.Map<String, Long> managerBefore = threadsByKind(self);
                long managerCpuBefore = processNanos(self);
                double rate = Scenarios.runTrivial(ctx, fresh);
                long managerCpu = processNanos(self) - managerCpuBefore;
                java.util.Map<String, Long> threadsAfter = threadsByKind(pid, "net");
                java.util.Map<String, Long> managerAfter = threadsByKind(self);
                StringBuilder msplit = new StringBuilder();
                for (var e : managerAfter.entrySet()) {
                    msplit.append(String.format(Locale.ROOT, " %s %.1f", e.getKey(),
                            (e.getValue() - managerBefore.getOrDefault(e.getKey(), 0L)) / 1e6));
                }
                System.err.printf(Locale.ROOT, "  manager CPU %.0f ms over the tasks; threads:%s%n", managerCpu / 1e6, msplit);
                StringBuilder split = new StringBuilder();
                for (var e : threadsAfter.entrySet()) {
                    split.append(String.format(Locale.ROOT, " %s %.1f", e.getKey(),
                            (e.getValue() - threadsBefore.getOrDefault(e.getKey(), 0L)) / 1e6));
                }
                System.err.println("  threads, CPU ms over the tasks:" + split);
                double taskCpuMs = cpuNanos(pid) / 1e6 - cpuMs;
                long[] ioAfter = syscalls(pid);
                System.err.printf(Locale.ROOT, "  first %d tasks: %.0f tasks/s, worker CPU %.0f ms (%.1f us/task),"
                        + " %d read and %d write system calls%n", fresh, rate, taskCpuMs, taskCpuMs * 1000 / fresh,
                        ioAfter[0] - io[0], ioAfter[1] - io[1]);
                return new double[] {taskCpuMs, fresh / rate * 1000, managerCpu / 1e6};
            }
            if (Boolean.getBoolean("probe.keepOutput")) {
                Files.copy(dir.resolve("worker1.output"), dir.resolve("first-result-" + pid + ".output"));
                System.err.println("output at the first result: " + dir.resolve("first-result-" + pid + ".output"));
            }
            return new double[] {cpuMs, wallMs};
        }
    }

    /** @return {@code [cpu ms, wall ms]} of a hello world at the moment its line arrives */
    private static double[] hello(List<String> options) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(options.stream().filter(o -> !o.startsWith("-Xlog") && !o.startsWith("cp=") && !o.startsWith("mcp=") && !o.equals("nocds")
                && !o.startsWith("starts=") && !o.startsWith("workers=") && !o.startsWith("-XX:AOT")).toList());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), HelloWait.class.getName()));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            r.readLine();
            double wallMs = (System.nanoTime() - start) / 1e6;
            double cpuMs = cpuNanos(p.pid()) / 1e6;
            p.getOutputStream().close();
            p.waitFor();
            return new double[] {cpuMs, wallMs};
        }
    }

    /**
     * @return the CPU time (user and system) of a process so far, ended threads included, in nanoseconds
     *     (from {@code /proc/PID/stat}, in clock ticks of 10 ms); with {@code -Dprobe.threads=true} also
     *     prints each live thread's from its {@code schedstat}
     */
    static long cpuNanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of proc(5)
        threadNanos(pid);
        return ticks * 10_000_000L;
    }

    /** @return the CPU time of the live threads of a process, in nanoseconds (ended threads not counted) */
    static long processNanos(long pid) throws IOException {
        return threadsByKind(pid).values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * With {@code -Dprobe.freshManager=true}: one measurement in a manager JVM of its own, started for it,
     * so the manager's first tasks are measured fresh as well (its JIT and interpreter), as in a user's
     * first run.
     *
     * @return what {@link #worker} returned in that JVM
     */
    private static double[] inFreshManager(Path cache, List<String> variant) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String cp = variant.stream().filter(o -> o.startsWith("mcp=")).map(o -> o.substring(4)).findFirst()
                .orElse(System.getProperty("java.class.path"));
        List<String> rest = variant.stream().filter(o -> !o.startsWith("mcp=")).toList();
        cmd.addAll(List.of("-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dprobe.fresh=" + Integer.getInteger("probe.fresh", 0),
                "-Dprobe.warm=" + Boolean.getBoolean("probe.warm"),
                "-cp", cp, Child.class.getName(), cache.toString()));
        cmd.add(rest.isEmpty() ? "-" : String.join(" ", rest));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                last = line;
            }
        }
        if (p.waitFor() != 0 || last == null || !last.startsWith("CHILD ")) {
            throw new IllegalStateException("the probe's manager JVM failed (exit " + p.exitValue() + "), last line: " + last);
        }
        return Arrays.stream(last.substring(6).trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
    }

    /** One measurement in a fresh manager JVM: {@code Child CACHE_DIR VARIANT}; prints {@code CHILD} and the figures. */
    public static final class Child {
        private Child() {
        }

        /** @param args {@code CACHE_DIR VARIANT} */
        public static void main(String[] args) throws Exception {
            Path dir = Files.createTempDirectory("jparallel-coldprobe");
            List<String> variant = args[1].equals("-") ? List.of() : Arrays.asList(args[1].trim().split("\\s+"));
            double[] m = worker(dir, Path.of(args[0]), variant);
            StringBuilder out = new StringBuilder("CHILD");
            for (double d : m) {
                out.append(' ').append(d);
            }
            System.out.println(out);
            System.exit(0);
        }
    }

    /** @return the read and write system calls of a process so far ({@code syscr}, {@code syscw} of {@code /proc/PID/io}) */
    static long[] syscalls(long pid) throws IOException {
        long[] rw = new long[2];
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "io"))) {
            if (line.startsWith("syscr:")) {
                rw[0] = Long.parseLong(line.substring(6).trim());
            } else if (line.startsWith("syscw:")) {
                rw[1] = Long.parseLong(line.substring(6).trim());
            }
        }
        return rw;
    }

    /**
     * @return the CPU time in nanoseconds of the live threads of a process by kind, as {@link #threadsByKind(long,
     *     String)} with its main thread filed as "main": for the manager's JVM (the program's thread)
     */
    static java.util.Map<String, Long> threadsByKind(long pid) throws IOException {
        return threadsByKind(pid, "main");
    }

    /**
     * @param mainKind the kind of the process's main thread: "main" for the manager's (the program's thread), "net"
     *     for a worker's (its reader: the blocking transport serves the session on it)
     * @return the CPU time in nanoseconds of the live threads of a process by kind: the task thread, the network
     *     threads, the main thread, the C1 and C2 compilers, the collector, the rest
     */
    static java.util.Map<String, Long> threadsByKind(long pid, String mainKind) throws IOException {
        java.util.Map<String, Long> kinds = new java.util.TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks) {
                try {
                    long ns = ThreadCpu.nanos(t);
                    String name = Files.readString(t.resolve("comm")).trim();
                    boolean primordial = t.getFileName().toString().equals(Long.toString(pid));
                    kinds.merge(kindOf(name, primordial, mainKind), ns, Long::sum);
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return kinds;
    }

    /**
     * The launcher runs {@code main} on a thread of its own, which the kernel knows by the launcher's name ("java",
     * as the process's first thread, which only waits for it): HotSpot names the threads it starts, not that one.
     *
     * @param name a thread's name as the kernel has it ({@code comm}: at most 15 characters)
     * @param primordial whether it is the process's first thread (its id the process's)
     * @param mainKind the kind of the main thread
     * @return the kind the thread is filed under
     */
    static String kindOf(String name, boolean primordial, String mainKind) {
        if (primordial) {
            return "other";
        }
        return name.startsWith("jparallel-task") ? "task"
                : name.startsWith("jparallel-net") || name.startsWith("jparallel-conn") ? "net"
                : name.startsWith("jparallel-mana") ? "loop" : name.equals("java") || name.equals("main") ? mainKind
                : name.startsWith("C1 ") ? "C1" : name.startsWith("C2 ") ? "C2"
                : name.startsWith("GC ") || name.startsWith("G1 ") ? "GC" : "other";
    }

    /** @return the CPU time of every live thread of a process, in nanoseconds */
    static long threadNanos(long pid) throws IOException {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks) {
                try {
                    long ns = ThreadCpu.nanos(t);
                    sum += ns;
                    if (Boolean.getBoolean("probe.threads")) {
                        System.err.printf(Locale.ROOT, "  %d %-28s %7.1f ms%n", pid, Files.readString(t.resolve("comm")).trim(), ns / 1e6);
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return sum;
    }

    /** @return the variant's words, a classpath shown as the folder of its last entry */
    private static String shortName(List<String> variant) {
        return variant.stream().map(o -> {
            int eq = o.indexOf('=');
            if ((o.startsWith("cp=") || o.startsWith("mcp=")) && o.length() > 40) {
                Path last = Path.of(o.substring(o.lastIndexOf(java.io.File.pathSeparatorChar) + 1));
                return o.substring(0, eq + 1) + "..." + (last.getParent() != null ? last.getParent() : last);
            }
            return o;
        }).toList().toString();
    }

    private static double min(double[] a) {
        return Arrays.stream(a).min().orElse(Double.NaN);
    }

    private static double max(double[] a) {
        return Arrays.stream(a).max().orElse(Double.NaN);
    }

    private static double[] col(double[][] a, int v) {
        return Arrays.stream(a).mapToDouble(row -> row[v]).toArray();
    }

    private static double[] ratio(double[][] a, int v, int base) {
        return Arrays.stream(a).mapToDouble(row -> row[v] / row[base]).toArray();
    }

    /** A hello world that prints its line, then waits for its standard input to close. */
    public static final class HelloWait {
        private HelloWait() {
        }

        /** @param args ignored */
        public static void main(String[] args) throws IOException {
            System.out.println("hello");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the end of the input
            }
        }
    }
}
