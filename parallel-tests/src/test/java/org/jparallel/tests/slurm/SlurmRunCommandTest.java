package org.jparallel.tests.slurm;

import java.util.concurrent.TimeUnit;
import org.jparallel.tests.OnRealScheduler;
import org.jparallel.tests.cli.RunChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code jparallel run --config} with the workers on the real Slurm: the same run, a changed file. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SlurmRunCommandTest extends OnRealScheduler {
    SlurmRunCommandTest() {
        super(SlurmCluster.CLUSTER);
    }

    @Test
    void arrayWithFourFailuresOnSlurmWorkers() throws Exception {
        String name = SlurmCluster.uniqueName("jp-run");
        RunChecks.fourFailingOnBackend(tempDir, "slurm", name, "jparallel.slurm.partition=debug", "jparallel.slurm.time=5");
        SlurmCluster.awaitNoJob(name, 20);
    }
}
