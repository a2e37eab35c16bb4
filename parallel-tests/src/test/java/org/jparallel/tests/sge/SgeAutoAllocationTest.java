package org.jparallel.tests.sge;

import java.util.List;
import org.jparallel.tests.AutoAllocationOnScheduler;
import org.junit.jupiter.api.Test;

/** Automatic allocation of qsub array jobs on the real Grid Engine cell, from a properties file. */
class SgeAutoAllocationTest extends AutoAllocationOnScheduler {
    SgeAutoAllocationTest() {
        super(SgeCell.CELL, "sge");
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
