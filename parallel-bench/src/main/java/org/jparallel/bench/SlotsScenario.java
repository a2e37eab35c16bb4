package org.jparallel.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;

/**
 * Task slots against one-slot workers: the memory and setup runs of 8 tasks in flight with a 200 MB
 * setup as 8 one-slot JVMs or 1 eight-slot JVM, and the rate of trivial tasks on 1 x 4 slots or 4 x 1.
 */
final class SlotsScenario {
    /** Setup runs in this (worker) JVM. */
    static final AtomicInteger SETUP_RUNS = new AtomicInteger();
    private final Path dir;

    SlotsScenario(Path dir) {
        this.dir = dir;
    }

    /** The 200 MB a setup holds, touched so that it is resident. */
    static byte[] bigSetup() {
        SETUP_RUNS.incrementAndGet();
        byte[] b = new byte[200 * 1024 * 1024];
        for (int i = 0; i < b.length; i += 4096) {
            b[i] = 1;
        }
        return b;
    }

    /**
     * @return {@code [total worker RSS in MB, setup runs]} with 8 tasks in flight on {@code jvms} JVMs of
     *     {@code 8 / jvms} slots each, every task holding the 200 MB setup's result
     */
    double[] memory(int jvms) throws Exception {
        try (Manager m = Manager.builder().outputPattern(dir.resolve("worker%d.output").toString()).prefetch(1).build()) {
            m.addWorker(new LocalWorker(jvms).slots(8 / jvms).jvmOptions("-Xmx1g"));
            Scenarios.awaitConnected(m, jvms);
            Context<byte[], String> ctx = m.getContext(SlotsScenario::bigSetup);
            Path started = Files.createTempFile(dir, "started", ".txt");
            String file = started.toString();
            for (int i = 0; i < 8; i++) {
                ctx.addTask(b -> {
                    synchronized (SlotsScenario.class) {
                        Files.writeString(Path.of(file), "x", java.nio.file.StandardOpenOption.APPEND);
                    }
                    Thread.sleep(3000); // all 8 in flight while the RSS is read
                    return ProcessHandle.current().pid() + ":" + SETUP_RUNS.get() + ":" + b.length;
                });
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (Files.size(started) < 8 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            double rssMb = 0;
            for (WorkerInfo w : m.workers()) {
                rssMb += rssKb(w.pid()) / 1024.0;
            }
            Set<String> runs = new HashSet<>();
            for (String r : ctx.getResultsUnordered()) {
                String[] p = r.split(":");
                runs.add(p[0] + ":" + p[1]);
            }
            return new double[] {rssMb, runs.size()};
        }
    }

    /** @return trivial tasks per second on {@code jvms} workers of {@code slots} slots, after a warm-up */
    double rate(int jvms, int slots, int tasks) throws Exception {
        try (Manager m = Manager.builder().outputPattern(dir.resolve("worker%d.output").toString()).build()) {
            m.addWorker(new LocalWorker(jvms).slots(slots));
            Scenarios.awaitConnected(m, jvms);
            Context<Void, Integer> ctx = m.getContext();
            run(ctx, tasks); // warm-up
            long t0 = System.nanoTime();
            run(ctx, tasks);
            return tasks / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static void run(Context<Void, Integer> ctx, int n) {
        for (int i = 0; i < n; i++) {
            int k = i;
            ctx.addTask(s -> k);
        }
        for (Integer ignored : ctx.getResultsUnordered()) {
            // drain
        }
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            return 0;
        }
        return 0;
    }

    /** Runs the comparisons {@code reps} times, interleaved, and prints each and the medians. */
    static List<Figure> figures(Path dir, int reps, int tasks) throws Exception {
        SlotsScenario s = new SlotsScenario(dir);
        double[] rss8 = new double[reps];
        double[] rss1 = new double[reps];
        double[] setups8 = new double[reps];
        double[] setups1 = new double[reps];
        double[] rate41 = new double[reps];
        double[] rate14 = new double[reps];
        for (int i = 0; i < reps; i++) {
            double[] a = s.memory(8);
            double[] b = s.memory(1);
            rss8[i] = a[0];
            setups8[i] = a[1];
            rss1[i] = b[0];
            setups1[i] = b[1];
            rate41[i] = s.rate(4, 1, tasks);
            rate14[i] = s.rate(1, 4, tasks);
            System.err.printf("rep %d: RSS 8x1 %.0f MB (%d setups), 1x8 %.0f MB (%d setups); tasks/s 4x1 %.0f, 1x4 %.0f%n",
                    i + 1, rss8[i], (int) setups8[i], rss1[i], (int) setups1[i], rate41[i], rate14[i]);
        }
        return List.of(
                figure("worker RSS, 8 tasks in flight, 200 MB setup, 8 JVMs x 1 slot", rss8, "MB"),
                figure("worker RSS, 8 tasks in flight, 200 MB setup, 1 JVM x 8 slots", rss1, "MB"),
                figure("setup runs, 8 JVMs x 1 slot", setups8, "runs"),
                figure("setup runs, 1 JVM x 8 slots", setups1, "runs"),
                figure("trivial tasks/s, 4 JVMs x 1 slot", rate41, "tasks/s"),
                figure("trivial tasks/s, 1 JVM x 4 slots", rate14, "tasks/s"));
    }

    private static Figure figure(String name, double[] reps, String unit) {
        return new Figure(name, Stats.median(reps), Stats.min(reps), Stats.max(reps), unit, null, Double.NaN, null);
    }
}
