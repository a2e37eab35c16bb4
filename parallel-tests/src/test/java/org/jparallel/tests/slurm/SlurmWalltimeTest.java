package org.jparallel.tests.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.TaskFuture;
import org.jparallel.TaskOptions;
import org.jparallel.WorkerInfo;
import org.jparallel.tests.DrainScenario;
import org.jparallel.tests.OnRealScheduler;
import org.jparallel.tests.TestSupport;
import org.jparallel.tests.WorkerSide;
import org.jparallel.tests.WalltimeAllocationScenario;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Walltimes on the real Slurm: workers whose lifetime (seconds, shorter than the job's 5 min limit) ends
 * are drained before their end and replaced by new jobs, and every task declared to fit runs once. With
 * automatic allocation, issue 21's acceptance at full size ({@link WalltimeAllocationScenario}). A worker
 * whose job Slurm ends after the worker's end of life, with a task running past its estimate, costs that
 * task no lost-worker attempt.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlurmWalltimeTest extends OnRealScheduler {
    SlurmWalltimeTest() {
        super(SlurmCluster.CLUSTER);
    }

    @Test
    void workersAreDrainedBeforeTheirEndAndReplacedAndNoTaskIsLost() throws Exception {
        String name = SlurmCluster.uniqueName("jp-drain");
        Path props = tempDir.resolve("jparallel.properties");
        Files.write(props, List.of("jparallel.backend=slurm", "jparallel.workers=2",
                "jparallel.manager.start-timeout=40s",
                "jparallel.manager.replace-lost-workers=20",
                "jparallel.worker.lifetime=" + DrainScenario.LIFETIME_S + "s",
                "jparallel.worker.drain-margin=" + DrainScenario.MARGIN_S + "s",
                "jparallel.worker.output=" + tempDir.resolve("w%d.out"),
                "jparallel.slurm.job-name=" + name,
                "jparallel.slurm.partition=debug",
                "jparallel.slurm.time=5",
                "jparallel.slurm.secret-dir=" + tempDir.resolve("secrets")));
        DrainScenario events = new DrainScenario();
        try (Manager manager = Manager.fromProperties(props)) {
            manager.addListener(events);
            events.runAndCheck(manager, "no worker was lost");
        }
        SlurmCluster.awaitNoJob(name, 30);
    }

    @Test
    void aWorkerWhoseJobSlurmEndsPastItsEndOfLifeWithATaskRunningCostsTheTaskNoLostAttempt() throws Exception {
        String name = SlurmCluster.uniqueName("jp-kill");
        String dir = tempDir.toString();
        Path props = tempDir.resolve("jparallel.properties");
        // one lost attempt allowed: were the job's end charged, the task would fail. A 12 s lifetime (below the drain
        // scenario's): the worker need only connect (a second or two) and take the task before its drain starts 7 s
        // into its life, and the test waits out the lifetime (with 20 it took 22 s)
        Files.write(props, List.of("jparallel.backend=slurm", "jparallel.workers=1",
                "jparallel.manager.start-timeout=40s", "jparallel.manager.replace-lost-workers=4",
                "jparallel.manager.max-lost-attempts=1",
                "jparallel.worker.lifetime=12s", "jparallel.worker.drain-margin=5s",
                "jparallel.worker.output=" + tempDir.resolve("w%d.out"),
                "jparallel.slurm.job-name=" + name, "jparallel.slurm.partition=debug", "jparallel.slurm.time=5",
                "jparallel.slurm.secret-dir=" + tempDir.resolve("secrets")));
        try (Manager manager = Manager.fromProperties(props)) {
            WorkerInfo w = TestSupport.awaitConnected(manager, 1, Duration.ofSeconds(60)).get(0);
            List<String> jobs = SlurmCluster.jobsNamed(name);
            assertEquals(1, jobs.size(), "the first worker's job alone: " + jobs);
            String job = jobs.get(0).split("\\|")[0];
            Instant end = w.endOfLife();
            assertNotNull(end, w.toString());
            Context<Void, Long> ctx = manager.<Long>getContext();
            // declared 1 s, it sleeps 120 s on its first run: its worker drains, holding it, past its end
            TaskFuture<Long> f = ctx.addTask(s -> WorkerSide.sleepOnFirstRun(dir, "long", 120_000),
                    TaskOptions.none().withExpectedDuration(Duration.ofSeconds(1)));
            TestSupport.pollUntil(Duration.ofSeconds(40), () -> Instant.now().isAfter(end), () -> "its end never came");
            // Slurm ends the job, as it does at a time limit (whose granularity is whole minutes)
            Process scancel = new ProcessBuilder("scancel", job).redirectErrorStream(true).start();
            assertEquals(0, scancel.waitFor(), () -> "scancel " + job + " failed");
            long rerun = f.get(60, TimeUnit.SECONDS);
            List<String> starts = TestSupport.lines(tempDir.resolve("long.starts"));
            assertEquals(2, starts.size(), "it ran twice: " + starts);
            assertNotEquals(Long.parseLong(starts.get(0).split(" ")[0]), rerun, "it ran again on another worker");
        }
        SlurmCluster.awaitNoJob(name, 30);
    }

    @Test
    @Tag("scale")
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    void twoHundredTasksOnAllocatedWorkersWithA20sLifetimeAreNeverKilledAndEachDrainedWorkerIsReplacedFirst()
            throws Exception {
        String name = SlurmCluster.uniqueName("jp-awall");
        // Slurm limits jobs to whole minutes: alloc.walltime=20s is sbatch --time=1, so the 20 s lifetime is
        // also set as jparallel.worker.lifetime (the shorter wins). --cpus-per-task=1 (after the slots' own
        // --cpus-per-task=8, so it wins): one core per job (the tasks sleep), so that a worker and its
        // replacements run at once on the node's 4 CPUs
        WalltimeAllocationScenario.run(WalltimeAllocationScenario.properties(tempDir, List.of(
                "jparallel.backend=slurm", "jparallel.slurm.job-name=" + name, "jparallel.slurm.partition=debug",
                "jparallel.worker.lifetime=20s", "jparallel.slurm.options=--cpus-per-task=1",
                "jparallel.slurm.secret-dir=" + tempDir.resolve("secrets"))));
        SlurmCluster.awaitNoJob(name, 30);
    }
}
