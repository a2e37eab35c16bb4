package org.jparallel.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.local.LocalWorker;

/**
 * A program's first run as its user sees it: a fresh JVM whose {@code main} builds a manager, adds one local
 * worker, adds one task and waits for its result. The benchmark's other cold start runs in the benchmark's own JVM,
 * whose manager code has run before; here the manager's JVM is as fresh as the worker's (its classes loaded from
 * the jars, Netty set up, its code interpreted). {@link #run} starts it and times it from the process's start to
 * the line it prints at its first result (the hello world beside it is timed to its exit), beside the steps' times
 * the child measured itself. The child's output directory is made by the parent: a temporary directory's name
 * comes from a {@code SecureRandom}, whose set-up (the security providers, ~20-30 ms) a program need not pay.
 */
final class FirstRun {
    private FirstRun() {
    }

    /** How long a first run may take before it is stopped. */
    private static final long TIMEOUT_SECONDS = 120;

    /**
     * The child: prints {@code FIRST-RUN build addWorker task result} (ms) at its first result, then closes.
     *
     * @param args the directory for the worker's output file
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long t0 = System.nanoTime();
        try (Manager m = Manager.builder().outputPattern(dir.resolve("worker%d.output").toString()).build()) {
            long t1 = System.nanoTime();
            m.addWorker(new LocalWorker(1));
            long t2 = System.nanoTime();
            Context<Void, Integer> ctx = m.getContext();
            ctx.addTask(s -> 1);
            long t3 = System.nanoTime();
            ctx.getResultsUnordered().iterator().next();
            long t4 = System.nanoTime();
            System.out.printf(Locale.ROOT, "FIRST-RUN %.1f %.1f %.1f %.1f%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6,
                    (t3 - t2) / 1e6, (t4 - t3) / 1e6);
            System.out.flush();
        }
    }

    /** One first run's times, in ms; {@code whole} to the process's end (the manager's close and the JVM's exit). */
    record Times(double total, double build, double addWorker, double task, double result, double whole) {
    }

    /**
     * @param dir the child's directory (its worker's output, its own standard error)
     * @return the times of one first run in a fresh JVM on this classpath
     */
    static Times run(Path dir) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                System.getProperty("java.class.path"), FirstRun.class.getName(), dir.toString()));
        Path err = dir.resolve("first-run.err");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        // a child that hangs is stopped, its worker too: its output then ends and the read below returns
        Thread watchdog = new Thread(new Runnable() {
            @Override
            public void run() {
                try {
                    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "first-run watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        String line = null;
        double total = Double.NaN;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                if (l.startsWith("FIRST-RUN ") && line == null) {
                    total = (System.nanoTime() - start) / 1e6;
                    line = l;
                }
            }
        }
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        double whole = (System.nanoTime() - start) / 1e6;
        watchdog.interrupt();
        if (line == null) {
            throw new IllegalStateException("the first-run JVM gave no result (exit " + exit(p) + "): " + tail(err));
        }
        if (exit(p) != 0) {
            throw new IllegalStateException("the first-run JVM gave its result, then exited with " + exit(p) + ": "
                    + tail(err));
        }
        String[] f = line.split(" ");
        return new Times(total, Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                Double.parseDouble(f[4]), whole);
    }

    /**
     * Measures {@code n} first runs, each right after a hello world (as the cold start: {@link PairedRatio}), after
     * one unmeasured (the workers' class-sharing archive for this classpath exists by then).
     *
     * @return the first run's figure (its ratio the median of the per-pair ratios) and its two parts
     */
    static List<Figure> figures(int n) throws Exception {
        Path dir = Files.createTempDirectory("jparallel-firstrun");
        List<Times> runs = new ArrayList<>();
        PairedRatio.Pairs pairs;
        try {
            run(dir);
            pairs = PairedRatio.measure(n, () -> Limits.jvmFloorMs(1), () -> {
                Times t = run(dir);
                runs.add(t);
                return t.total();
            });
        } finally {
            delete(dir);
        }
        System.err.println("[bench]   (hello world ms, first run ms, ratio) in the order taken: " + pairs.describe());
        double[] build = new double[runs.size()];
        double[] toResult = new double[runs.size()];
        double[] whole = new double[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            whole[i] = runs.get(i).whole();
            build[i] = runs.get(i).build();
            toResult[i] = runs.get(i).addWorker() + runs.get(i).task() + runs.get(i).result();
        }
        double[] total = pairs.figure();
        return List.of(
                new Figure("a program's first run: a fresh JVM's start to its first result (Manager.build, one local"
                        + " worker, one task; ratio: the median of " + n + " per-pair ratios to a hello world)",
                        Stats.median(total), Stats.min(total), Stats.max(total), "ms",
                        "JVM floor (hello world), interleaved (median)", Stats.median(pairs.limit()), null,
                        pairs.medianRatio()),
                new Figure("... of which Manager.build() in that fresh JVM", Stats.median(build), Stats.min(build),
                        Stats.max(build), "ms", null, Double.NaN, null),
                new Figure("... of which addWorker to the first result in that fresh JVM", Stats.median(toResult),
                        Stats.min(toResult), Stats.max(toResult), "ms", null, Double.NaN, null),
                new Figure("... its whole run: the fresh JVM's start to its end (the manager's close and the JVM's exit"
                        + " after the first result included)", Stats.median(whole), Stats.min(whole), Stats.max(whole),
                        "ms", null, Double.NaN, null));
    }

    private static int exit(Process p) {
        return p.isAlive() ? -1 : p.exitValue();
    }

    /** @return the last lines of the child's standard error, or a word that there were none */
    private static String tail(Path err) {
        try {
            List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "(no standard error)"
                    : String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(its standard error could not be read: " + e.getMessage() + ")";
        }
    }

    private static void delete(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
