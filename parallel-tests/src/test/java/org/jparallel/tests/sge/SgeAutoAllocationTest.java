package org.jparallel.tests.sge;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.tests.AutoAllocationScenarios;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Automatic allocation of qsub array jobs on the real Grid Engine cell, from a properties file. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SgeAutoAllocationTest {

    @TempDir
    Path tempDir;

    @BeforeEach
    void cellUp() {
        SgeCell.requireUp();
    }

    private Path properties(String name, int maxPending) throws Exception {
        return AutoAllocationScenarios.properties(tempDir, maxPending, List.of("jparallel.backend=sge",
                "jparallel.sge.job-name=" + name, "jparallel.sge.secret-dir=" + tempDir.resolve("secrets")));
    }

    @Test
    void fromZeroToFourUnderABacklogThenNoJobLeftAfterTheIdleTimeout() throws Exception {
        String name = SgeCell.uniqueName("jp-alloc");
        AutoAllocationScenarios.scalesUpFromZeroAndLeavesNoJobAfterTheIdleTimeout(properties(name, 4),
                () -> SgeCell.jobsNamed(name));
    }

    @Test
    void burstsNeverSubmitMoreThanThePendingLimit() throws Exception {
        String name = SgeCell.uniqueName("jp-burst");
        AutoAllocationScenarios.burstsNeverExceedThePendingLimit(properties(name, 2));
    }

    @Test
    void aDryRunShowsTheDecisionsAndSubmitsNothing() throws Exception {
        String name = SgeCell.uniqueName("jp-adry");
        Path f = properties(name, 4);
        java.nio.file.Files.writeString(f, "jparallel.sge.dry-run=true\n", java.nio.file.StandardOpenOption.APPEND);
        AutoAllocationScenarios.dryRunShowsTheDecisionsAndSubmitsNothing(f, () -> SgeCell.jobsNamed(name));
    }

    @Test
    void withA20sWalltimePerSubmissionWorkersAreReplacedBeforeTheyLeaveAndNoTaskIsKilled() throws Exception {
        String name = SgeCell.uniqueName("jp-awall");
        // alloc.walltime=20s is qsub -l h_rt=0:00:20: Grid Engine kills a worker that is not drained in time
        org.jparallel.tests.WalltimeAllocationScenario.run(org.jparallel.tests.WalltimeAllocationScenario.properties(
                tempDir, List.of("jparallel.backend=sge", "jparallel.sge.job-name=" + name,
                        "jparallel.sge.secret-dir=" + tempDir.resolve("secrets"))));
    }
}
