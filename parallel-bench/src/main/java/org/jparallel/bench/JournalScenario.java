package org.jparallel.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.jparallel.Context;
import org.jparallel.JournalMode;
import org.jparallel.Manager;
import org.jparallel.ManagerBuilder;
import org.jparallel.local.LocalWorker;

/**
 * The journal's cost: keyed tasks through {@code mapUnordered} on real worker JVMs, with and without a journal,
 * at trivial tasks and at 1 ms tasks, and the journal's bytes per result. Both managers run the same keyed tasks,
 * so the difference is the journal's (writing each result and each delivery mark).
 */
final class JournalScenario {
    /**
     * The figures of one manager.
     *
     * @param trivialRate trivial keyed tasks per second, one value per measured batch
     * @param msRate 1 ms keyed tasks per second, one value per measured batch
     * @param bytesPerResult journal bytes per result (0 without a journal)
     */
    record Rates(double[] trivialRate, double[] msRate, double bytesPerResult) {
    }

    private final Path dir;

    JournalScenario(Path dir) {
        this.dir = dir;
    }

    /**
     * @param journal whether the manager keeps a journal
     * @param workers local workers
     * @param trivial trivial tasks per batch
     * @param ms 1 ms tasks per batch
     * @param batches measured batches of each kind, after one unmeasured warm-up batch of each
     */
    Rates run(boolean journal, int workers, int trivial, int ms, int batches) throws Exception {
        Path file = dir.resolve("bench.journal");
        ManagerBuilder b = Manager.builder().outputPattern(dir.resolve("jworker%d.output").toString());
        if (journal) {
            b.journal(file, JournalMode.FRESH);
        }
        long results = 0;
        double[] trivialRate = new double[batches];
        double[] msRate = new double[batches];
        try (Manager m = b.build()) {
            m.addWorker(new LocalWorker(workers));
            Scenarios.awaitConnected(m, workers);
            int context = 0;
            for (int i = -1; i < batches; i++) {
                double t = batch(m.getContext("trivial" + context++), trivial, 0);
                double r = batch(m.getContext("ms" + context++), ms, 1_000);
                results += trivial + ms;
                if (i >= 0) {
                    trivialRate[i] = t;
                    msRate[i] = r;
                }
            }
        }
        Path marks = file.resolveSibling(file.getFileName() + ".delivered");
        double bytes = journal ? (double) (Files.size(file) + Files.size(marks)) / results : 0;
        return new Rates(trivialRate, msRate, bytes);
    }

    private static double batch(Context<Void, Integer> ctx, int n, long micros) {
        long start = System.nanoTime();
        long sum = 0;
        Iterable<Integer> inputs = () -> IntStream.range(0, n).iterator();
        for (Integer r : ctx.mapUnordered(inputs, String::valueOf, i -> s -> spin(micros, i))) {
            sum += r;
        }
        if (sum != (long) n * (n - 1) / 2) {
            throw new IllegalStateException("wrong sum " + sum + " for " + n + " keyed tasks");
        }
        double rate = n / ((System.nanoTime() - start) / 1e9);
        ctx.close();
        return rate;
    }

    /** The task, on a worker: spins {@code micros}, returns {@code value}. */
    static int spin(long micros, int value) {
        long end = System.nanoTime() + micros * 1_000;
        while (micros > 0 && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        return value;
    }
}
