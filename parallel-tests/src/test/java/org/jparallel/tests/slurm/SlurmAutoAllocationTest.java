package org.jparallel.tests.slurm;

import java.util.List;
import org.jparallel.tests.AutoAllocationOnScheduler;
import org.junit.jupiter.api.Test;

/** Automatic allocation of sbatch arrays on the real Slurm, from a properties file. */
class SlurmAutoAllocationTest extends AutoAllocationOnScheduler {
    SlurmAutoAllocationTest() {
        super(SlurmCluster.CLUSTER, "slurm");
    }

    @Override
    protected List<String> ownLines() {
        return List.of("jparallel.slurm.partition=debug", "jparallel.slurm.time=5");
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
