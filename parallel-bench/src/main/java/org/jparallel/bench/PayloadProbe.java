package org.jparallel.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.local.LocalWorker;

/**
 * Where payload round trips and crowded workers spend their time, in what a loaded machine does not
 * distort: besides the wall time, the CPU time of the manager (this JVM) and of its workers (the sum of
 * their threads' {@code /proc/PID/task/TID/schedstat}) over the measured part. A measuring tool, not part
 * of the benchmark; to compare two builds, run it from each build in turn (interleaved rounds). Linux only.
 *
 * <p>Usage, one line of figures on stdout each:
 * <ul>
 * <li>{@code PayloadProbe big MB TASKS}: one worker, one task of MB megabytes each way at a time;
 * <li>{@code PayloadProbe first MB TASKS}: the benchmark's sequence ({@code Scenarios.bigTask}: a fresh worker,
 * 50 tasks of 1 MB, then TASKS tasks of MB megabytes), a line for each big task;
 * <li>{@code PayloadProbe payload KB WORKERS TASKS}: batches of TASKS tasks of KB kilobytes each way;
 * <li>{@code PayloadProbe trivial WORKERS TASKS}: batches of TASKS trivial tasks;
 * <li>{@code PayloadProbe ping CONNECTIONS SIZE IN_FLIGHT SECONDS}: the ping-pong limit in this JVM.
 * </ul>
 * {@code -Dprobe.warmSeconds=N} (default 10) sets the warm-up before the measured part ({@code payload} then
 * waits for the workers' JIT compilers to settle, as the benchmark does, unless {@code -Dprobe.settle=false}), {@code
 * -Dprobe.workerOptions="..."} adds worker JVM options (e.g. a flight recording).
 */
public final class PayloadProbe {
    private static final double WARM_SECONDS = Double.parseDouble(System.getProperty("probe.warmSeconds", "10"));
    /** Whether {@code payload} also waits, as the benchmark does, until the workers' JIT compilers settle. */
    private static final boolean SETTLE = Boolean.parseBoolean(System.getProperty("probe.settle", "true"));

    private PayloadProbe() {
    }

    /** @param args see the class comment */
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "big" -> big(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            case "first" -> first(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            case "payload" -> payload(Integer.parseInt(args[1]) * 1024, Integer.parseInt(args[2]),
                    Integer.parseInt(args[3]));
            case "trivial" -> trivial(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            case "ping" -> ping(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Double.parseDouble(args[4]));
            default -> throw new IllegalArgumentException("unknown probe " + args[0] + "; see the class comment");
        }
        System.exit(0);
    }

    private static Manager manager(int workers, String heap) throws Exception {
        Path dir = Files.createTempDirectory("jparallel-payloadprobe");
        Manager m = Manager.builder().outputPattern(dir.resolve("worker%d.output").toString()).build();
        List<String> options = new java.util.ArrayList<>(List.of("-Xmx" + heap));
        String more = System.getProperty("probe.workerOptions", "").trim();
        if (!more.isEmpty()) {
            options.addAll(List.of(more.split("\\s+")));
        }
        m.addWorker(new LocalWorker(workers).jvmOptions(options.toArray(String[]::new)));
        Scenarios.awaitConnected(m, workers);
        return m;
    }

    private static void big(int mb, int tasks) throws Exception {
        byte[] data = new byte[mb << 20];
        try (Manager m = manager(1, "2g")) {
            Context<Void, byte[]> ctx = m.getContext();
            long until = System.nanoTime() + (long) (WARM_SECONDS * 1e9);
            while (System.nanoTime() < until) {
                roundTrips(ctx, new byte[1 << 20], 20);
                roundTrips(ctx, data, 1);
            }
            double[] ms = new double[tasks];
            Cpu cpu = new Cpu();
            for (int i = 0; i < tasks; i++) {
                long start = System.nanoTime();
                roundTrips(ctx, data, 1);
                ms[i] = (System.nanoTime() - start) / 1e6;
            }
            double[] c = cpu.since();
            System.out.printf(Locale.ROOT, "big %d MB: wall median %.2f ms (min %.2f), CPU per task: manager %.2f ms,"
                    + " worker %.2f ms, total %.2f ms; %s%n", mb, Stats.median(ms), Stats.min(ms), c[0] / tasks / 1e6,
                    c[1] / tasks / 1e6, (c[0] + c[1]) / tasks / 1e6, cpu.detail(tasks));
        }
    }

    private static void first(int mb, int tasks) throws Exception {
        byte[] data = new byte[mb << 20];
        try (Manager m = manager(1, "2g")) {
            Context<Void, byte[]> ctx = m.getContext();
            roundTrips(ctx, new byte[1 << 20], 50);
            for (int i = 0; i < tasks; i++) {
                Cpu cpu = new Cpu();
                long start = System.nanoTime();
                roundTrips(ctx, data, 1);
                double ms = (System.nanoTime() - start) / 1e6;
                double[] c = cpu.since();
                System.out.printf(Locale.ROOT, "first %d MB task %d: wall %.2f ms, CPU: manager %.2f ms, worker %.2f ms;"
                        + " %s%n", mb, i, ms, c[0] / 1e6, c[1] / 1e6, cpu.detail(1));
            }
        }
    }

    private static void payload(int size, int workers, int tasks) throws Exception {
        byte[] data = new byte[size];
        Arrays.fill(data, (byte) 7);
        try (Manager m = manager(workers, "1g")) {
            Context<Void, byte[]> ctx = m.getContext();
            long until = System.nanoTime() + (long) (WARM_SECONDS * 1e9);
            while (System.nanoTime() < until) {
                roundTrips(ctx, data, tasks);
            }
            if (SETTLE) {
                Scenarios.untilCompiled(() -> roundTrips(ctx, data, tasks));
            }
            int batches = 5;
            Cpu cpu = new Cpu();
            long allocated = allocatedBytes();
            long start = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                roundTrips(ctx, data, tasks);
            }
            double s = (System.nanoTime() - start) / 1e9;
            double[] c = cpu.since();
            int n = tasks * batches;
            System.out.printf(Locale.ROOT, "payload %d B x %d workers: %.0f MB/s, CPU per task: manager %.1f us,"
                    + " workers %.1f us, total %.1f us; manager heap allocated per task %.1f KB; %s%n", size, workers,
                    2.0 * size * n / s / 1e6, c[0] / n / 1e3, c[1] / n / 1e3, (c[0] + c[1]) / n / 1e3,
                    (allocatedBytes() - allocated) / 1024.0 / n, cpu.detail(n));
        }
    }

    private static void trivial(int workers, int tasks) throws Exception {
        try (Manager m = manager(workers, "256m")) {
            Context<Void, Integer> ctx = m.getContext();
            long until = System.nanoTime() + (long) (WARM_SECONDS * 1e9);
            while (System.nanoTime() < until) {
                Scenarios.runTrivial(ctx, tasks);
            }
            double[] rates = new double[5];
            Cpu cpu = new Cpu();
            for (int i = 0; i < rates.length; i++) {
                rates[i] = Scenarios.runTrivial(ctx, tasks);
            }
            double[] c = cpu.since();
            int n = tasks * rates.length;
            System.out.printf(Locale.ROOT, "trivial x %d workers: %.0f tasks/s (median of %d), CPU per task: manager"
                    + " %.2f us, workers %.2f us%n", workers, Stats.median(rates), rates.length, c[0] / n / 1e3,
                    c[1] / n / 1e3);
        }
    }

    private static void ping(int connections, int size, int inFlight, double seconds) throws Exception {
        Limits.pingPongHere(connections, size, inFlight, LimitProbe.warmUpSeconds(seconds));
        long before = processCpu();
        double rate = Limits.pingPongHere(connections, size, inFlight, seconds);
        double cpuPerTrip = (processCpu() - before) / (rate * seconds);
        System.out.printf(Locale.ROOT, "ping %d B x %d (%d in flight): %.1f round trips/s (%.3f ms), CPU per trip"
                + " %.3f ms%n", size, connections, inFlight, rate, 1000 / rate, cpuPerTrip / 1e6);
    }

    private static void roundTrips(Context<Void, byte[]> ctx, byte[] data, int tasks) {
        for (int i = 0; i < tasks; i++) {
            ctx.addTask(s -> data);
        }
        for (byte[] r : ctx.getResultsUnordered()) {
            if (r.length != data.length) {
                throw new IllegalStateException("payload changed size");
            }
        }
    }

    /** @return the heap allocated so far by this JVM's live threads */
    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean t = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return Arrays.stream(t.getThreadAllocatedBytes(t.getAllThreadIds())).filter(b -> b > 0).sum();
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The CPU time of this JVM and of its worker JVMs since it was made. */
    private static final class Cpu {
        private final List<Long> workers = ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains("WorkerMain")).map(ProcessHandle::pid).toList();
        private final long manager = managerCpu();
        private final long worker = workerCpu();
        private final long managerFaults = faults(ProcessHandle.current().pid());
        private final long workerFaults = workers.stream().mapToLong(Cpu::faults).sum();
        private final java.util.Map<String, Long> kinds = kinds();
        private final java.util.Map<String, Long> managerKinds = managerKinds();
        private final long managerGc = gcMillis();

        /** @return the minor page faults of a process so far ({@link ArrayFloor#minorFaults(long)}) */
        private static long faults(long pid) {
            long faults = ArrayFloor.minorFaults(pid);
            if (faults < 0) {
                throw new IllegalStateException("process " + pid + " ended during the probe");
            }
            return faults;
        }

        private java.util.Map<String, Long> kinds() {
            java.util.Map<String, Long> sum = new java.util.TreeMap<>();
            for (long pid : workers) {
                try {
                    ColdProbe.threadsByKind(pid, "net").forEach((k, v) -> sum.merge(k, v, Long::sum));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("worker " + pid + " ended during the probe", e);
                }
            }
            return sum;
        }

        /** @return this JVM's CPU time by thread kind, from {@code /proc} (finer than the MXBean's 10 ms steps) */
        private static java.util.Map<String, Long> managerKinds() {
            try {
                return ColdProbe.threadsByKind(ProcessHandle.current().pid());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot read this JVM's threads", e);
            }
        }

        /** @return this JVM's CPU time so far, in nanoseconds: its live threads' {@code schedstat} */
        private static long managerCpu() {
            return managerKinds().values().stream().mapToLong(Long::longValue).sum();
        }

        private static long gcMillis() {
            return ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
        }

        /** @return page faults per task (manager, workers), the workers' CPU per task by thread kind, the manager's GC time */
        String detail(int tasks) {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "page faults per task: manager %.1f,"
                    + " workers %.1f; manager GC %d ms; workers' CPU per task by thread (us):",
                    (faults(ProcessHandle.current().pid()) - managerFaults) / (double) tasks,
                    (workers.stream().mapToLong(Cpu::faults).sum() - workerFaults) / (double) tasks,
                    gcMillis() - managerGc));
            kinds().forEach((k, v) -> b.append(String.format(Locale.ROOT, " %s %.1f", k,
                    (v - kinds.getOrDefault(k, 0L)) / 1e3 / tasks)));
            b.append("; manager's (us):");
            managerKinds().forEach((k, v) -> b.append(String.format(Locale.ROOT, " %s %.1f", k,
                    (v - managerKinds.getOrDefault(k, 0L)) / 1e3 / tasks)));
            return b.toString();
        }

        private long workerCpu() {
            long sum = 0;
            for (long pid : workers) {
                try {
                    sum += ColdProbe.threadNanos(pid);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("worker " + pid + " ended during the probe", e);
                }
            }
            return sum;
        }

        /** @return {@code [manager, workers]} CPU nanoseconds since this was made */
        double[] since() {
            return new double[] {managerCpu() - manager, workerCpu() - worker};
        }
    }
}
