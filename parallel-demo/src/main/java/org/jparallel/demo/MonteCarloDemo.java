package org.jparallel.demo;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jparallel.ConfigurationException;
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
 * <p>Run it with {@code scripts/demo.sh [--workers N] [--tasks N] [--config FILE]}. With {@code
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
     * @param args {@code [--workers N] [--tasks N] [--config FILE]}
     */
    public static void main(String[] args) {
        int workers = Runtime.getRuntime().availableProcessors();
        int tasks = 24;
        Path config = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--workers" -> workers = Integer.parseInt(args[++i]);
                    case "--tasks" -> tasks = Integer.parseInt(args[++i]);
                    case "--config" -> config = Path.of(args[++i]);
                    default -> throw new IllegalArgumentException(args[i]);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("bad argument: " + e.getMessage());
            System.err.println("usage: demo [--workers N] [--tasks N] [--config FILE]");
            System.exit(2);
        }
        try {
            run(workers, tasks, config);
        } catch (ConfigurationException | NoMoreWorkersException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    private static void run(int workers, int tasks, Path config) {
        long start = System.nanoTime();
        try (Manager manager = config != null ? Manager.fromProperties(config)
                : Manager.builder().outputPattern("target/demo-worker%d.output").build()) {
            if (config == null) {
                manager.addWorker(new LocalWorker(workers));
                System.out.printf(Locale.ROOT, "jparallel demo: %d temperatures on %d local worker(s)%n", tasks, workers);
            } else {
                System.out.printf(Locale.ROOT, "jparallel demo: %d temperatures on the workers %s configures%n", tasks, config);
            }
            Context<Landscape, Sample> ctx = manager.getContext(() -> new Landscape(400_000, 42));
            for (int i = 0; i < tasks; i++) {
                double t = 0.05 + i * 0.1;
                long seed = 1000 + i;
                ctx.addTask(land -> simulate(land, t, seed));
            }
            List<Sample> samples = new ArrayList<>();
            var results = ctx.getResultsUnordered().iterator();
            while (results.hasNext()) {
                try {
                    Sample s = results.next();
                    samples.add(s);
                    System.out.printf(Locale.ROOT, "  T=%5.2f  <E>=%8.4f  acceptance=%5.1f%%  (worker pid %d)%n",
                            s.temperature(), s.meanEnergy(), 100 * s.acceptance(), s.workerPid());
                } catch (TaskFailedException e) {
                    System.out.println("  a task failed: " + e.getMessage());
                }
            }
            ManagerStats stats = manager.stats();
            Duration wall = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf(Locale.ROOT, "%nsummary: %d tasks done (%d failed) on %d worker(s); setups run: %d "
                            + "(once per worker, not per task); wall time %.1f s%n",
                    stats.tasksSucceeded(), stats.tasksFailed(), stats.workersConnected(), stats.setupsSent(),
                    wall.toMillis() / 1000.0);
        }
    }
}
