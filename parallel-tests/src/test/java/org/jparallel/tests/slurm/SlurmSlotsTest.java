package org.jparallel.tests.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jparallel.slurm.SlurmOptions;
import org.jparallel.slurm.SlurmWorkerArray;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.tests.SlotsOnScheduler;

/** Task slots on the real Slurm: the 2-slot worker's job asks for {@code --cpus-per-task=2}. */
class SlurmSlotsTest extends SlotsOnScheduler {
    SlurmSlotsTest() {
        super(SlurmCluster.CLUSTER);
    }

    @Override
    protected WorkerGroup twoSlotWorker(String name) {
        return new SlurmWorkerArray(1, new SlurmOptions().jobName(name).slots("2").secretDir(tempDir.resolve("secrets")));
    }

    @Override
    protected List<String> jobsNamed(String name) {
        return SlurmCluster.jobsNamed(name).stream().map(j -> j.split("\\|")[0]).toList();
    }

    @Override
    protected void assertAsksForTwoCores(String jobId) throws Exception {
        String[] out = new String[1];
        assertEquals(0, SlurmCluster.run(out, 15, "scontrol", "show", "job", jobId), out[0]);
        assertTrue(out[0].contains("CPUs/Task=2"), "the job asks Slurm for 2 cpus per task: " + out[0]);
    }
}
