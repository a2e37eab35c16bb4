package org.jparallel.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.jparallel.spi.TaskIdRanges;
import org.jparallel.spi.batch.ArrayTask;
import org.junit.jupiter.api.Test;

/** The parsers on output captured from a real Slurm 22.05 (and the documented forms it cannot produce here). */
class ParsersTest {

    @Test
    void sbatchParsablePrintsTheJobIdAndMaybeTheCluster() {
        assertEquals(new SbatchParser.Submitted(14, null), SbatchParser.parse(Captured.text("sbatch-parsable-array.txt")));
        assertEquals(new SbatchParser.Submitted(123, null), SbatchParser.parse("123"));
        assertEquals(new SbatchParser.Submitted(123, "cluster"), SbatchParser.parse("123;cluster\n"));
        assertEquals(new SbatchParser.Submitted(77, null),
                SbatchParser.parse("sbatch: warning: site message on stdout\n77\n"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SbatchParser.parse("Submitted batch job 5"));
        assertTrue(e.getMessage().contains("Submitted batch job 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SbatchParser.parse(""));
    }

    @Test
    void squeueListsPendingHeldAndRunningArrayTasks() {
        Map<ArrayTask, SqueueParser.Entry> m = SqueueParser.parse(Captured.text("squeue-mixed.txt"));
        assertEquals(10, m.size());
        assertEquals(new SqueueParser.Entry("RUNNING", "None"), m.get(new ArrayTask("4", 1)));
        assertEquals("", m.get(new ArrayTask("4", 1)).reasonOrEmpty());
        assertEquals(new SqueueParser.Entry("PENDING", "Resources"), m.get(new ArrayTask("7", 2)));
        assertEquals(new SqueueParser.Entry("PENDING", "Priority"), m.get(new ArrayTask("8", -1)));
        SqueueParser.Entry held = m.get(new ArrayTask("5", 6));
        assertEquals(new SqueueParser.Entry("PENDING", "JobHeldUser"), held);
        assertTrue(SlurmJobState.hopeless(held.state(), held.reason()));
        assertFalse(SlurmJobState.hopeless("PENDING", "Resources"));
        assertFalse(SlurmJobState.hopeless("PENDING", "Priority"));
        assertEquals(SlurmJobState.RUNNING, SlurmJobState.of(m.get(new ArrayTask("4", 4)).state()));
        assertEquals(SlurmJobState.WAITING, SlurmJobState.of(m.get(new ArrayTask("7", 1)).state()));
    }

    @Test
    void squeueWithTAllListsEndedTasksWithTheirReasons() {
        Map<ArrayTask, SqueueParser.Entry> m = SqueueParser.parse(Captured.text("squeue-ended.txt"));
        assertEquals(SlurmJobState.CANCELLED, SlurmJobState.of(m.get(new ArrayTask("4", 2)).state()));
        assertEquals(SlurmJobState.COMPLETED, SlurmJobState.of(m.get(new ArrayTask("4", 3)).state()));
        assertEquals(new SqueueParser.Entry("FAILED", "NonZeroExitCode"), m.get(new ArrayTask("7", 1)));
        assertEquals(SlurmJobState.FAILED, SlurmJobState.of("FAILED"));
        assertEquals(new SqueueParser.Entry("TIMEOUT", "TimeLimit"), m.get(new ArrayTask("8", -1)));
        assertEquals(SlurmJobState.TIMEOUT, SlurmJobState.of("TIMEOUT"));
        assertEquals(new SqueueParser.Entry("CANCELLED", "JobHeldUser"), m.get(new ArrayTask("5", 3)));
        assertFalse(SlurmJobState.hopeless("CANCELLED", "JobHeldUser"), "an ended job is not waiting");
        assertTrue(SlurmJobState.of("CANCELLED").ended());
        // states this cluster cannot produce (no cgroups, one node), in squeue's spelling
        assertEquals(SlurmJobState.OUT_OF_MEMORY, SlurmJobState.of("OUT_OF_MEMORY"));
        assertEquals(SlurmJobState.OTHER_END, SlurmJobState.of("NODE_FAIL"));
        assertEquals(SlurmJobState.RUNNING, SlurmJobState.of("COMPLETING"));
        assertEquals(SlurmJobState.WAITING, SlurmJobState.of("SUSPENDED"));
        assertEquals(SlurmJobState.WAITING, SlurmJobState.of("SOMETHING_NEW"));
        assertTrue(SlurmJobState.hopeless("REQUEUE_HOLD", "None"));
    }

    @Test
    void squeueWithoutRPrintsAPendingArrayAsOneLineThatIsExpanded() {
        Map<ArrayTask, SqueueParser.Entry> m = SqueueParser.parse(Captured.text("squeue-pending-array-no-r.txt"));
        assertEquals(List.of(new ArrayTask("14", 1), new ArrayTask("14", 2), new ArrayTask("14", 3), new ArrayTask("14", 4)),
                List.copyOf(m.keySet()));
        assertEquals(4, SqueueParser.parse("9_[1-3%2]|PENDING|JobArrayTaskLimit\n9_5|RUNNING|None").size());
        assertThrows(IllegalArgumentException.class, () -> SqueueParser.parse("JOBID PARTITION NAME"));
        assertTrue(SqueueParser.parse("\n").isEmpty());
    }

    @Test
    void squeueErrorTextsAreTheOnesTheClusterChecksFor() {
        assertTrue(Captured.text("squeue-invalid-id.stderr.txt").contains("Invalid job id specified"));
        assertTrue(Captured.text("sbatch-invalid-partition.stderr.txt").contains("invalid partition specified: nosuch"));
    }

    @Test
    void sacctGivesFinalStatesAndExitCodes() {
        // sacct's documented -n -P -X form; the test cluster keeps no accounting, so this is not captured
        Map<ArrayTask, SacctParser.Entry> m = SacctParser.parse(
                "7_1|FAILED|3:0|NonZeroExitCode\n7_2|CANCELLED by 0|0:15|None\n7_[3-4]|PENDING|0:0|Resources\n8|TIMEOUT|0:0|TimeLimit\n");
        assertEquals(new SacctParser.Entry("FAILED", 3, 0, "NonZeroExitCode"), m.get(new ArrayTask("7", 1)));
        assertEquals(new SacctParser.Entry("CANCELLED", 0, 15, ""), m.get(new ArrayTask("7", 2)));
        assertEquals("PENDING", m.get(new ArrayTask("7", 4)).state());
        assertEquals(SlurmJobState.TIMEOUT, SlurmJobState.of(m.get(new ArrayTask("8", -1)).state()));
        assertNull(m.get(new ArrayTask("9", 1)));
    }

    @Test
    void taskNamesAndArrayIds() {
        assertEquals("4_1", new SlurmScheduler().taskName(new ArrayTask("4", 1)));
        assertEquals("8", new SlurmScheduler().taskName(new ArrayTask("8", -1)));
        assertEquals(List.of(new ArrayTask("4", 12)), SqueueParser.keys("4_12"));
        assertEquals("1-4", TaskIdRanges.format(List.of(1, 2, 3, 4)));
        assertEquals("3,5-6,9", TaskIdRanges.format(List.of(9, 6, 5, 3)));
        assertEquals(List.of(1, 3, 5), SqueueParser.arrayIds("1-5:2"));
        assertEquals(List.of(3, 5, 6), SqueueParser.arrayIds("[3,5-6]"));
    }
}
