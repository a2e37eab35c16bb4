package org.jparallel.tests.slurm;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.tests.AutoAllocationScenarios;
import org.jparallel.tests.OnRealScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Automatic allocation of sbatch arrays on the real Slurm, from a properties file. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlurmAutoAllocationTest extends OnRealScheduler {
    SlurmAutoAllocationTest() {
        super(SlurmCluster.CLUSTER);
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
}
