package org.jparallel.tests.sge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;
import org.jparallel.sge.SgeOptions;
import org.jparallel.sge.SgeQsubWorkerArray;
import org.jparallel.tests.HundredTasks;

/**
 * A manager in a JVM of its own, for the SGE tests that need one: {@code run MODE DIR NAME} runs 100
 * tasks with a setup on a 4-task array submitted by MODE (qsub or drmaa), checks every result and output
 * file and prints {@code OK}; {@code hold MODE DIR NAME} starts 2 workers with a 5 s death timeout,
 * prints {@code READY} once both are connected and waits to be killed with kill -9. Prints
 * {@code ERROR ...} and exits 1 when something is wrong.
 */
public final class SgeManagerChild {
    static final Duration DEATH_TIMEOUT = Duration.ofSeconds(5);

    private SgeManagerChild() {
    }

    public static void main(String[] args) throws Exception {
        String what = args[0];
        SgeOptions.Submit submit = SgeOptions.Submit.valueOf(args[1].toUpperCase());
        Path dir = Path.of(args[2]);
        String name = args[3];
        boolean hold = what.equals("hold");
        Manager manager = Manager.builder()
                .outputPattern(dir.resolve("worker%d.output").toString())
                .startTimeout(Duration.ofSeconds(60))
                .workerDeathTimeout(DEATH_TIMEOUT)
                .build();
        try {
            long t0 = System.nanoTime();
            manager.addWorker(new SgeQsubWorkerArray(hold ? 2 : 4, new SgeOptions().jobName(name).submit(submit)
                    .secretDir(dir.resolve("secrets"))));
            if (hold) {
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (manager.workers().stream().filter(w -> w.state() == WorkerInfo.State.CONNECTED).count() < 2) {
                    if (System.nanoTime() > deadline || manager.workers().stream()
                            .anyMatch(w -> w.state() == WorkerInfo.State.FAILED)) {
                        System.out.println("ERROR workers did not connect: " + manager.workers());
                        System.exit(1);
                    }
                    Thread.sleep(20);
                }
                System.out.println("READY connected in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                System.out.flush();
                Thread.sleep(600_000);
                return;
            }
            List<Integer> results = HundredTasks.runWithSetup(manager);
            for (int i = 0; i < 100; i++) {
                if (results.size() != 100 || results.get(i) != 1000 + i) {
                    System.out.println("ERROR results " + results);
                    System.exit(1);
                }
            }
            for (WorkerInfo w : manager.workers()) {
                Path out = dir.resolve("worker" + w.id() + ".output");
                if (!Files.isRegularFile(out)) {
                    System.out.println("ERROR output file " + out + " missing");
                    System.exit(1);
                }
            }
            if (manager.workers().size() != 4) {
                System.out.println("ERROR workers " + manager.workers());
                System.exit(1);
            }
            System.out.println("OK 100 results from 4 workers in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } finally {
            manager.close();
        }
        System.exit(0);
    }
}
