package org.jparallel.tests.slurm;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.tests.AutoAllocationScenarios;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Automatic allocation of sbatch arrays on the real Slurm, from a properties file. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlurmAutoAllocationTest {

    @TempDir
    Path tempDir;

    @BeforeEach
    void clusterUp() {
        SlurmCluster.requireUp();
    }

    private Path properties(String name, int maxPending) throws Exception {
        return AutoAllocationScenarios.properties(tempDir, maxPending, List.of("jparallel.backend=slurm",
                "jparallel.slurm.job-name=" + name, "jparallel.slurm.partition=debug", "jparallel.slurm.time=5",
                "jparallel.slurm.secret-dir=" + tempDir.resolve("secrets")));
    }

    @Test
    void fromZeroToFourUnderABacklogThenNoJobLeftAfterTheIdleTimeout() throws Exception {
        String name = SlurmCluster.uniqueName("jp-alloc");
        AutoAllocationScenarios.scalesUpFromZeroAndLeavesNoJobAfterTheIdleTimeout(properties(name, 4),
                () -> SlurmCluster.jobsNamed(name));
    }

    @Test
    void burstsNeverSubmitMoreThanThePendingLimit() throws Exception {
        String name = SlurmCluster.uniqueName("jp-burst");
        AutoAllocationScenarios.burstsNeverExceedThePendingLimit(properties(name, 2));
    }

    @Test
    void aDryRunShowsTheDecisionsAndSubmitsNothing() throws Exception {
        String name = SlurmCluster.uniqueName("jp-adry");
        Path f = properties(name, 4);
        java.nio.file.Files.writeString(f, "jparallel.slurm.dry-run=true\n", java.nio.file.StandardOpenOption.APPEND);
        AutoAllocationScenarios.dryRunShowsTheDecisionsAndSubmitsNothing(f, () -> SlurmCluster.jobsNamed(name));
    }

    @Test
    void withA20sWalltimePerSubmissionWorkersAreReplacedBeforeTheyLeaveAndNoTaskIsKilled() throws Exception {
        String name = SlurmCluster.uniqueName("jp-awall");
        // Slurm limits jobs to whole minutes: alloc.walltime=20s is sbatch --time=1, so the 20 s lifetime is
        // also set as jparallel.worker.lifetime (the shorter wins)
        org.jparallel.tests.WalltimeAllocationScenario.run(org.jparallel.tests.WalltimeAllocationScenario.properties(
                tempDir, List.of("jparallel.backend=slurm", "jparallel.slurm.job-name=" + name,
                        "jparallel.slurm.partition=debug", "jparallel.worker.lifetime=20s",
                        "jparallel.slurm.secret-dir=" + tempDir.resolve("secrets"))));
        SlurmCluster.awaitNoJob(name, 30);
    }
}
