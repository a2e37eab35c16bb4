package org.jparallel.tests.sge;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.tests.AutoAllocationScenarios;
import org.jparallel.tests.OnRealScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Automatic allocation of qsub array jobs on the real Grid Engine cell, from a properties file. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SgeAutoAllocationTest extends OnRealScheduler {
    SgeAutoAllocationTest() {
        super(SgeCell.CELL);
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
}
