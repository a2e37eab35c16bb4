package org.jparallel.tests.slurm;

import java.util.List;
import org.jparallel.tests.AutoAllocationOnScheduler;

/** Automatic allocation of sbatch arrays on the real Slurm, from a properties file. */
class SlurmAutoAllocationTest extends AutoAllocationOnScheduler {
    SlurmAutoAllocationTest() {
        super(SlurmCluster.CLUSTER, "slurm");
    }

    @Override
    protected List<String> ownLines() {
        return List.of("jparallel.slurm.partition=debug", "jparallel.slurm.time=5");
    }
}
