package org.jparallel.tests.sge;

import java.util.concurrent.TimeUnit;
import org.jparallel.tests.OnRealScheduler;
import org.jparallel.tests.cli.RunChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code jparallel run --config} with the workers on the real Grid Engine: the same run, a changed file. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SgeRunCommandTest extends OnRealScheduler {
    SgeRunCommandTest() {
        super(SgeCell.CELL);
    }

    @Test
    void arrayWithFourFailuresOnGridEngineWorkers() throws Exception {
        String name = SgeCell.uniqueName("jp-run");
        RunChecks.fourFailingOnBackend(tempDir, "sge", name);
        SgeCell.awaitNoJob(name, 20);
    }
}
