package org.jparallel.tests.slurm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Manager;
import org.jparallel.tests.DrainScenario;
import org.jparallel.tests.OnRealScheduler;
import org.jparallel.tests.WalltimeAllocationScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Walltimes on the real Slurm: workers whose lifetime (20 s, shorter than the job's 5 min limit) ends
 * are drained before their end and replaced by new jobs, and every task declared to fit runs once. With
 * automatic allocation, issue 21's acceptance at full size ({@link WalltimeAllocationScenario}).
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
                "jparallel.worker.lifetime=20s",
                "jparallel.worker.drain-margin=5s",
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
