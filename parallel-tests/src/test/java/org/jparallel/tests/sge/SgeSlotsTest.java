package org.jparallel.tests.sge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jparallel.sge.SgeOptions;
import org.jparallel.sge.SgeQsubWorkerArray;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.tests.SlotsOnScheduler;

/** Task slots on the real Grid Engine: the 2-slot worker's job asks for {@code -pe smp 2}. */
class SgeSlotsTest extends SlotsOnScheduler {
    SgeSlotsTest() {
        super(SgeCell.CELL);
    }

    @Override
    protected WorkerGroup twoSlotWorker(String name) {
        return new SgeQsubWorkerArray(1, new SgeOptions().jobName(name).slots("2").secretDir(tempDir.resolve("secrets")));
    }

    @Override
    protected List<String> jobsNamed(String name) {
        return SgeCell.jobsNamed(name).stream().map(String::valueOf).toList();
    }

    @Override
    protected void assertAsksForTwoCores(String jobId) throws Exception {
        String[] out = new String[1];
        assertEquals(0, SgeCell.run(out, 15, "qstat", "-j", jobId), out[0]);
        assertTrue(out[0].matches("(?s).*parallel environment:\\s+smp range:\\s+2\\b.*"),
                "the job asks Grid Engine for 2 slots of smp: " + out[0]);
    }
}
