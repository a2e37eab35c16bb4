package org.jparallel.core.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jparallel.JournalMode;
import org.jparallel.JournalSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JournalInfo} counts what a journal holds; {@link JournalCompaction} rewrites it with one record per key,
 * the delivery marks folded into the log, and a resumed run sees the same journal as before; both are refused
 * while a manager holds the journal ({@link JournalLock}).
 */
class JournalCompactionTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("j");
    }

    private Journal open() {
        return Journal.open(new JournalSettings(file(), JournalMode.RESUME, "prog"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Two runs: the first journals results a, b, c (a and b delivered), failures d and e; the second (d and e run
     * again) a result for d and a second failure for e, and delivers c; then a torn tail.
     */
    private void twoRuns() throws Exception {
        try (Journal j = open()) {
            JournalContext c = j.context("ctx", "Setup::make");
            CountDownLatch written = new CountDownLatch(5);
            c.result("a", false, new byte[1000], written::countDown);
            c.result("b", true, bytes("B"), written::countDown);
            c.result("c", false, bytes("C"), written::countDown);
            c.failure("d", "d failed", written::countDown);
            c.failure("e", "e failed", written::countDown);
            assertTrue(written.await(10, TimeUnit.SECONDS));
            c.delivered("a");
            c.delivered("b");
        }
        try (Journal j = open()) {
            JournalContext c = j.context("ctx", "Setup::make");
            CountDownLatch written = new CountDownLatch(2);
            c.result("d", false, bytes("D"), written::countDown);
            c.failure("e", "e failed again", written::countDown);
            assertTrue(written.await(10, TimeUnit.SECONDS));
            c.delivered("c");
        }
        try (RandomAccessFile f = new RandomAccessFile(file().toFile(), "rw")) {
            f.setLength(f.length() - 2); // e's second failure is torn
        }
    }

    @Test
    void infoCountsRecordsContextsResultsFailuresDeliveriesBytesAndATornTail() throws Exception {
        twoRuns();
        JournalInfo i = JournalInfo.of(file());
        assertEquals("prog", i.identity());
        assertEquals(1 + 1 + 4 + 2, i.records(), "header, context, results a-d, failures d and e (the torn one not)");
        assertEquals(1, i.contexts());
        assertEquals(4, i.resultRecords());
        assertEquals(2, i.failureRecords());
        assertEquals(3, i.marks());
        assertEquals(3, i.delivered(), "a, b, c");
        assertEquals(1, i.undelivered(), "d");
        assertEquals(1, i.failed(), "e, whose second failure is torn: its first counts");
        assertEquals(Files.size(file()), i.logBytes());
        assertEquals(Files.size(DeliveryMarks.fileOf(file())), i.marksBytes());
        assertTrue(i.tornBytes() > 0 && i.torn().contains("runs past the end of the file"), i.toString());
        assertEquals(1 + 1 + 5, i.recordsAfterCompaction());
    }

    @Test
    void compactionKeepsOneRecordPerKeyFoldsTheMarksInAndAResumedRunSeesTheSameJournal() throws Exception {
        twoRuns();
        Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(DeliveryMarks.fileOf(file()), PosixFilePermissions.fromString("rw-r--r--"));
        JournalCompaction.Outcome o = JournalCompaction.compact(file());

        JournalInfo after = o.after();
        assertEquals(o.before().recordsAfterCompaction(), after.records());
        assertEquals(1 + 1 + 5, after.records(), "header, context, and one record per key a-e");
        assertEquals(1, after.resultRecords(), "only d's result, not yet delivered, keeps its bytes");
        assertEquals(1, after.failureRecords());
        assertEquals(0, after.marks(), "the marks are in the log now");
        assertEquals(3, after.delivered());
        assertEquals(0, after.tornBytes(), "the torn tail is gone");
        assertTrue(after.bytes() < o.before().bytes() - 1000, "a's 1000 result bytes are dropped: " + o);
        assertEquals(after.logBytes(), Files.size(file()));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                DeliveryMarks.fileOf(file()))), "the marks file keeps its mode too");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".compacting")), "no temporary file is left");
        }

        try (Journal j = open()) {
            JournalContext c = j.context("ctx", "Setup::make");
            assertInstanceOf(JournalContext.Delivered.class, c.replay("a"));
            assertInstanceOf(JournalContext.Delivered.class, c.replay("b"));
            assertInstanceOf(JournalContext.Delivered.class, c.replay("c"));
            JournalContext.Result d = assertInstanceOf(JournalContext.Result.class, c.replay("d"));
            assertArrayEquals(bytes("D"), d.bytes());
            assertNull(c.replay("e"), "a failed task runs again");
            c.delivered("d"); // marks after a compaction go to the new marks file
        }
        assertEquals(4, JournalInfo.of(file()).delivered());
        assertEquals("e failed", JournalReader.read(file()).contexts().get("ctx").failures().get("e"));
        JournalCompaction.compact(file());
        assertEquals(1 + 1 + 5, JournalInfo.of(file()).records(), "compacting a compacted journal changes nothing");
    }

    @Test
    void compactionIsRefusedWhileAManagerHoldsTheJournalAndLeavesItUntouched() throws Exception {
        twoRuns();
        try (Journal j = open()) {
            byte[] log = Files.readAllBytes(file());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> JournalCompaction.compact(file()));
            assertTrue(e.getMessage().contains("The journal " + file() + " is in use"), e.getMessage());
            IllegalStateException second = assertThrows(IllegalStateException.class, this::open,
                    "a second manager on the same journal");
            assertTrue(second.getMessage().contains("is in use"), second.getMessage());
            assertArrayEquals(log, Files.readAllBytes(file()), "the refused compaction left the journal alone");
        }
        JournalCompaction.compact(file()); // the manager closed: its lock is free
        try (Journal j = open()) {
            assertInstanceOf(JournalContext.Delivered.class, j.context("ctx", "Setup::make").replay("a"));
        }
    }
}
