package org.jparallel.sge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.jparallel.spi.TaskIdRanges;
import org.jparallel.spi.batch.ArrayTask;
import org.junit.jupiter.api.Test;

/** The qsub, qstat and qstat -j parsers on output captured from the real cell. */
class ParsersTest {

    @Test
    void qsubTersePlainAndArray() {
        SgeScheduler sge = new SgeScheduler();
        assertEquals("3", sge.parseJobId(Captured.read("qsub-terse-plain.txt")));
        assertEquals("4", sge.parseJobId(Captured.read("qsub-terse-array.txt"))); // 4.1-4:1
        assertEquals("5", sge.parseJobId("5.1-6:1\n"));
        assertEquals("7", sge.parseJobId("Your job-array 7.1-2:1 (\"badarr\") has been submitted"));
        assertEquals("8", sge.parseJobId("Your job 8 (\"x\") has been submitted"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sge.parseJobId("Unable to run job: denied"));
        assertTrue(e.getMessage().contains("Unable to run job: denied"), e.getMessage());
    }

    @Test
    void qstatXmlRunningPendingAndArrayRanges() {
        Map<ArrayTask, String> s = QstatParser.parse(Captured.read("qstat.xml"));
        assertEquals("r", s.get(new ArrayTask("3", 0)));            // plain job
        assertEquals("r", s.get(new ArrayTask("4", 1)));            // array tasks, one entry each
        assertEquals("qw", s.get(new ArrayTask("4", 4)));
        for (int t = 1; t <= 6; t++) {                          // pending range 1-6:1
            assertEquals("qw", s.get(new ArrayTask("5", t)), "task 5." + t);
        }
        assertEquals("qw", s.get(new ArrayTask("6", 0)));
        assertEquals(null, s.get(new ArrayTask("5", 7)));
    }

    @Test
    void qstatXmlEqwPlainAndArray() {
        Map<ArrayTask, String> s = QstatParser.parse(Captured.read("qstat-eqw.xml"));
        assertEquals("Eqw", s.get(new ArrayTask("6", 0)));
        assertEquals(SgeJobState.ERROR, SgeJobState.of(s.get(new ArrayTask("6", 0))));
        Map<ArrayTask, String> a = QstatParser.parse(Captured.read("qstat-eqw-array.xml"));
        for (int t = 1; t <= 3; t++) {                          // Eqw range 1-3:1
            assertEquals("Eqw", a.get(new ArrayTask("9", t)));
        }
        assertEquals("qw", a.get(new ArrayTask("10", 5)));          // list form "5,6"
        assertEquals("qw", a.get(new ArrayTask("10", 6)));
        assertEquals("r", a.get(new ArrayTask("10", 4)));
    }

    @Test
    void qstatXmlRejectsOtherText() {
        assertThrows(IllegalArgumentException.class, () -> QstatParser.parse("error: commlib error: got select error"));
        assertEquals(Map.of(), QstatParser.parse("<?xml version='1.0'?><job_info><queue_info></queue_info>"
                + "<job_info></job_info></job_info>"));
    }

    @Test
    void qstatJErrorReasons() {
        String plain = Captured.read("qstat-j-eqw.txt");
        assertTrue(QstatReasonParser.reason(plain, 0).contains(
                "can't open output file \"/nonexistent/dir/out.txt\": No such file or directory"));
        String array = Captured.read("qstat-j-eqw-array.txt");
        Map<Integer, String> all = QstatReasonParser.reasons(array);
        assertEquals(List.of(1, 2, 3), List.copyOf(all.keySet()));
        assertTrue(QstatReasonParser.reason(array, 2).contains("/nonexistent/dir/out.2"));
        assertEquals("queue instance \"all.q@vm\" dropped because it is full",
                QstatReasonParser.reason("job_number: 4\nscheduling info:            queue instance \"all.q@vm\" "
                        + "dropped because it is full\n", 1));
    }

    @Test
    void stateCodes() {
        assertEquals(SgeJobState.PENDING, SgeJobState.of("qw"));
        assertEquals(SgeJobState.PENDING, SgeJobState.of("hqw"));
        assertEquals(SgeJobState.RUNNING, SgeJobState.of("r"));
        assertEquals(SgeJobState.RUNNING, SgeJobState.of("t"));
        assertEquals(SgeJobState.RUNNING, SgeJobState.of("Rr"));
        assertEquals(SgeJobState.ERROR, SgeJobState.of("Eqw"));
        assertEquals(SgeJobState.ERROR, SgeJobState.of("E"));
        assertEquals(SgeJobState.DELETING, SgeJobState.of("dr"));
        assertEquals(SgeJobState.SUSPENDED, SgeJobState.of("S"));
    }

    @Test
    void taskRangesAndQdelArguments() {
        assertEquals(List.of(1, 2, 3, 7), TaskIdRanges.expand("1-3:1,7"));
        assertEquals(List.of(2, 4, 6), TaskIdRanges.expand("2-6:2"));
        Map<String, List<Integer>> tasks = new java.util.LinkedHashMap<>();
        tasks.put("12", List.of(1, 2, 3, 7));
        tasks.put("13", List.of(0));
        assertEquals(List.of("qdel", "12.1-3", "12.7", "13"), new SgeScheduler().cancelCommand(tasks));
    }

    @Test
    void peHostfileOneHostPerSlot() {
        assertEquals(List.of("vm", "vm"), PeHostfile.parse(Captured.read("pe-hostfile-real.txt")).slots());
        assertEquals(List.of("node01", "node01", "node02", "node02", "node02", "node03"),
                PeHostfile.parse(Captured.read("pe-hostfile-3hosts.txt")).slots());
        assertThrows(IllegalArgumentException.class, () -> PeHostfile.parse("node01 many"));
    }
}
