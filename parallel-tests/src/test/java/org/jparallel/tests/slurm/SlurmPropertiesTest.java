package org.jparallel.tests.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.Setup;
import org.jparallel.WorkerInfo;
import org.jparallel.tests.OnRealScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The backend chosen and configured from a properties file alone ({@code jparallel.backend=slurm}): the
 * core finds it through ServiceLoader and validates its keys; a dry run submits nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlurmPropertiesTest extends OnRealScheduler {
    SlurmPropertiesTest() {
        super(SlurmCluster.CLUSTER);
    }

    private Path properties(String name, String... extra) throws Exception {
        List<String> lines = new ArrayList<>(List.of("jparallel.backend=slurm", "jparallel.workers=2",
                "jparallel.manager.start-timeout=40s",
                "jparallel.worker.output=" + tempDir.resolve("w%d.out"),
                "jparallel.slurm.job-name=" + name,
                "jparallel.slurm.partition=debug",
                "jparallel.slurm.time=5",
                "jparallel.slurm.sbatch-lines=--comment=jparallel-test;--nice=0",
                "jparallel.slurm.secret-dir=" + tempDir.resolve("secrets")));
        lines.addAll(List.of(extra));
        Path f = tempDir.resolve("jparallel.properties");
        Files.write(f, lines);
        return f;
    }

    @Test
    void propertiesFileRunsTasksOnSlurm() throws Exception {
        String name = SlurmCluster.uniqueName("jp-props");
        try (Manager manager = Manager.fromProperties(properties(name))) {
            Context<Integer, Integer> ctx = manager.getContext((Setup<Integer>) () -> 7);
            for (int i = 0; i < 20; i++) {
                int k = i;
                ctx.addTask(base -> base * k);
            }
            int sum = 0;
            for (Integer r : ctx.getResultsUnordered()) {
                sum += r;
            }
            assertEquals(7 * 190, sum);
            List<WorkerInfo> ws = manager.workers();
            assertTrue(ws.stream().anyMatch(w -> w.state() == WorkerInfo.State.CONNECTED), ws.toString());
            assertEquals("slurm", ws.get(0).description(), ws.toString());
        }
        SlurmCluster.awaitNoJob(name, 20);
    }

    @Test
    void aWorkerSubmittedWithATimeLimitLearnsItsEndAndReportsIt() throws Exception {
        String name = SlurmCluster.uniqueName("jp-walltime");
        try (Manager manager = Manager.fromProperties(properties(name, "jparallel.workers=1"))) { // time=5: 5 minutes
            Context<Void, Integer> ctx = manager.getContext();
            assertEquals(1, ctx.addTask(s -> 1).get(40, TimeUnit.SECONDS));
            WorkerInfo w = manager.workers().stream().filter(i -> i.state() == WorkerInfo.State.CONNECTED)
                    .findFirst().orElseThrow(() -> new AssertionError(manager.workers().toString()));
            java.time.Duration left = w.remainingLifetime();
            assertTrue(left != null && left.compareTo(java.time.Duration.ofMinutes(5)) <= 0
                    && left.compareTo(java.time.Duration.ofMinutes(4)) > 0, "time left within the 5 min limit: " + left);
        }
        SlurmCluster.awaitNoJob(name, 20);
    }

    @Test
    void dryRunShowsTheScriptAndTheSbatchLineAndSubmitsNothing() throws Exception {
        String name = SlurmCluster.uniqueName("jp-dry");
        try (Manager manager = Manager.fromProperties(properties(name, "jparallel.slurm.dry-run=true"))) {
            List<WorkerInfo> ws;
            long t0 = System.nanoTime();
            do {
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20), manager.workers().toString());
                Thread.sleep(50);
                ws = manager.workers();
            } while (ws.size() < 2 || ws.stream().anyMatch(w -> w.state() != WorkerInfo.State.FAILED));
            String d = ws.get(0).detail();
            assertTrue(d.startsWith("dry run (jparallel.slurm.dry-run=true), nothing submitted."), d);
            assertTrue(d.contains("sbatch command: sbatch --parsable --array=1-2 --job-name=" + name), d);
            assertTrue(d.contains("--partition=debug --time=5"), d);
            assertTrue(d.contains("#!/bin/sh\n#SBATCH --comment=jparallel-test\n#SBATCH --nice=0\n"), d);
            assertEquals(List.of(), SlurmCluster.jobsNamed(name));
        }
    }
}
