package org.jparallel.demo;

import java.io.PrintStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jparallel.ConfigurationException;
import org.jparallel.ConsoleProgress;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.ManagerStats;
import org.jparallel.NoMoreWorkersException;
import org.jparallel.TaskFailedException;
import org.jparallel.local.LocalWorker;

/**
 * A runnable demonstration: a temperature sweep of a Metropolis Monte Carlo simulation on a rugged
 * energy landscape. Building the landscape is the deliberately expensive setup: each worker builds
 * it once, and every task on that worker reuses it. Results are printed as they arrive, then a
 * summary.
 *
 * <p>Run it with {@code scripts/demo.sh [--workers N] [--tasks N] [--config FILE]} (or {@code jparallel
 * demo}). With {@code
 * --config}, the workers are the ones the properties file configures (any backend); without it,
 * {@code --workers} local workers.
 */
public final class MonteCarloDemo {

    private MonteCarloDemo() {
    }

    /** The setup's product: a rugged 1-D energy landscape, costly to build. */
    public static final class Landscape implements Serializable {
        private static final long serialVersionUID = 1L;
        private final double[] energy;
        private final long pid = ProcessHandle.current().pid();

        Landscape(int size, long seed) {
            energy = new double[size];
            SplittableRandom r = new SplittableRandom(seed);
            // Many overlapping wells: some 60 million exp() calls, about a second on one core.
            for (int well = 0; well < 150; well++) {
                double centre = r.nextDouble() * size;
                double depth = r.nextDouble() * 4;
                double width = 50 + r.nextDouble() * 2000;
                for (int i = 0; i < size; i++) {
                    double d = (i - centre) / width;
                    energy[i] -= depth * Math.exp(-d * d);
                }
            }
        }

        /** @return the energy at position {@code i} (periodic) */
        double at(int i) {
            int n = energy.length;
            return energy[((i % n) + n) % n];
        }

        /** @return the pid of the worker that built this landscape */
        long builtBy() {
            return pid;
        }
    }

    /**
     * One task's answer.
     *
     * @param temperature the simulated temperature
     * @param meanEnergy the mean energy over the walk
     * @param acceptance the fraction of accepted moves
     * @param workerPid the worker that ran it
     */
    public record Sample(double temperature, double meanEnergy, double acceptance, long workerPid)
            implements Serializable {
    }

    /** Runs a Metropolis walk at one temperature on the landscape. */
    static Sample simulate(Landscape land, double temperature, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int pos = 0;
        double e = land.at(pos);
        double sum = 0;
        int accepted = 0;
        int steps = 2_000_000;
        for (int s = 0; s < steps; s++) {
            int next = pos + r.nextInt(-25, 26);
            double en = land.at(next);
            if (en <= e || r.nextDouble() < Math.exp((e - en) / temperature)) {
                pos = next;
                e = en;
                accepted++;
            }
            sum += e;
        }
        return new Sample(temperature, sum / steps, (double) accepted / steps, ProcessHandle.current().pid());
    }

    /**
     * @param args {@code [--workers N] [--tasks N] [--config FILE] [--progress auto|bar|plain|off]}
     */
    public static void main(String[] args) {
        int workers = Runtime.getRuntime().availableProcessors();
        int tasks = 24;
        Path config = null;
        ConsoleProgress.Mode progress = ConsoleProgress.Mode.AUTO;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--workers" -> workers = Integer.parseInt(args[++i]);
                    case "--tasks" -> tasks = Integer.parseInt(args[++i]);
                    case "--config" -> config = Path.of(args[++i]);
                    case "--progress" -> progress = ConsoleProgress.Mode.valueOf(args[++i].toUpperCase(Locale.ROOT));
                    default -> throw new IllegalArgumentException(args[i]);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("bad argument: " + e.getMessage());
            System.err.println("usage: demo [--workers N] [--tasks N] [--config FILE] [--progress auto|bar|plain|off]");
            System.exit(2);
        }
        System.exit(run(workers, tasks, config, System.out, progress));
    }

    /**
     * Runs the demo, printing results as they arrive above a progress bar, then a summary.
     *
     * @param workers how many local workers, when {@code config} is {@code null}
     * @param tasks how many temperatures
     * @param config a properties file configuring the workers, or {@code null}
     * @param out where to print
     * @param progressMode how progress is shown
     * @return the exit code: 0 when it ran, 1 when the configuration is wrong or no worker could run
     */
    public static int run(int workers, int tasks, Path config, PrintStream out, ConsoleProgress.Mode progressMode) {
        try {
            runDemo(workers, tasks, config, out, progressMode);
            return 0;
        } catch (ConfigurationException | NoMoreWorkersException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }

    private static void runDemo(int workers, int tasks, Path config, PrintStream out, ConsoleProgress.Mode mode) {
        long start = System.nanoTime();
        ManagerStats stats;
        // the manager closes first, delivering its last events, so the progress display ends on every task
        try (ConsoleProgress progress = new ConsoleProgress(out, mode, 2_000)) {
            try (Manager manager = config != null ? Manager.fromProperties(config)
                    : Manager.builder().outputPattern("target/demo-worker%d.output").build()) {
                manager.addListener(progress);
                if (config == null) {
                    manager.addWorker(new LocalWorker(workers));
                    progress.println(String.format(Locale.ROOT, "jparallel demo: %d temperatures on %d local worker(s)",
                            tasks, workers));
                } else {
                    progress.println(String.format(Locale.ROOT, "jparallel demo: %d temperatures on the workers %s "
                            + "configures", tasks, config));
                }
                sweep(manager, tasks, progress);
                stats = manager.stats();
            }
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        out.printf(Locale.ROOT, "%nsummary: %d tasks done (%d failed) on %d worker(s); setups run: %d "
                        + "(once per worker, not per task); wall time %.1f s%n",
                stats.tasksSucceeded(), stats.tasksFailed(), stats.workersConnected(), stats.setupsSent(),
                wall.toMillis() / 1000.0);
    }

    private static void sweep(Manager manager, int tasks, ConsoleProgress progress) {
        Context<Landscape, Sample> ctx = manager.getContext(() -> new Landscape(400_000, 42));
        for (int i = 0; i < tasks; i++) {
            double t = 0.05 + i * 0.1;
            long seed = 1000 + i;
            ctx.addTask(land -> simulate(land, t, seed));
        }
        var results = ctx.getResultsUnordered().iterator();
        while (results.hasNext()) {
            try {
                Sample s = results.next();
                progress.println(String.format(Locale.ROOT, "  T=%5.2f  <E>=%8.4f  acceptance=%5.1f%%  (worker pid %d)",
                        s.temperature(), s.meanEnergy(), 100 * s.acceptance(), s.workerPid()));
            } catch (TaskFailedException e) {
                progress.println("  a task failed: " + e.getMessage());
            }
        }
    }
}
