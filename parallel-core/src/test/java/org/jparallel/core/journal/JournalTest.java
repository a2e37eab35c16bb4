package org.jparallel.core.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jparallel.JournalMode;
import org.jparallel.JournalSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal file: what is written is read back; a torn or damaged tail is dropped, never misread. */
class JournalTest {
    @TempDir
    Path dir;

    private JournalSettings settings(JournalMode mode) {
        return new JournalSettings(dir.resolve("j"), mode, "prog");
    }

    /** Writes results for keys a..c (b delivered) and waits until they are written. */
    private void writeThree() throws InterruptedException {
        try (Journal j = Journal.open(settings(JournalMode.RESUME))) {
            JournalContext c = j.context("ctx", "Setup::make");
            CountDownLatch written = new CountDownLatch(3);
            c.result("a", false, bytes("A"), written::countDown);
            c.result("b", true, bytes("B"), written::countDown);
            c.failure("c", "boom", written::countDown);
            assertTrue(written.await(10, TimeUnit.SECONDS));
            c.delivered("b");
        }
    }

    /** What the last {@link #readCapturingWarnings} logged (slf4j-simple writes to {@code System.err}). */
    private String warnings = "";

    private JournalContents readCapturingWarnings(Path file) throws IOException {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return JournalReader.read(file);
        } finally {
            System.setErr(err);
            warnings = captured.toString(StandardCharsets.UTF_8);
            err.print(warnings);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void whatIsWrittenIsReadBackWithDeliveredResultsReducedToTheirKeys() throws Exception {
        writeThree();
        JournalContents read = JournalReader.read(dir.resolve("j"));
        assertEquals("prog", read.identity());
        assertEquals(0, read.tornBytes());
        JournalContents.ContextEntry e = read.contexts().get("ctx");
        assertEquals("Setup::make", e.setup());
        assertArrayEquals(bytes("A"), e.results().get("a").bytes());
        assertEquals("boom", e.failures().get("c"));
        try (Journal j = Journal.open(settings(JournalMode.RESUME))) {
            JournalContext c = j.context("ctx", "Setup::make");
            JournalContext.Result a = assertInstanceOf(JournalContext.Result.class, c.replay("a"));
            assertArrayEquals(bytes("A"), a.bytes());
            assertInstanceOf(JournalContext.Delivered.class, c.replay("b"), "its delivery mark was read");
            assertNull(c.replay("c"), "a failed task runs again");
            assertNull(c.replay("d"));
        }
    }

    @Test
    void aJournalTruncatedByAFewBytesIsReadUpToItsLastWholeRecordWithAWarningAndResumedFromThere() throws Exception {
        writeThree();
        Path file = dir.resolve("j");
        long size = Files.size(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size - 3); // the last record (c's failure) is torn
        }
        long whole = size - JournalFormat.failure(0, "c", "boom").length;
        JournalContents read = readCapturingWarnings(file);
        assertTrue(warnings.contains("WARN") && warnings.contains("The journal " + file + " ends in a torn record"
                + " (a record of ") && warnings.contains("runs past the end of the file), as a crash while"
                + " writing leaves it: read up to the last whole record at byte " + whole + ", dropping "
                + (size - 3 - whole) + " byte(s) after it"), "the warning: " + warnings);
        assertEquals(whole, read.validLength(), "read up to the end of the last whole record");
        assertEquals(size - 3 - whole, read.tornBytes(), "the torn record is reported");
        JournalContents.ContextEntry e = read.contexts().get("ctx");
        assertTrue(e.failures().isEmpty(), "the torn failure is dropped");
        assertArrayEquals(bytes("B"), e.results().get("b").bytes(), "the whole records before it are read");
        try (Journal j = Journal.open(settings(JournalMode.RESUME))) {
            JournalContext c = j.context("ctx", "Setup::make");
            assertInstanceOf(JournalContext.Delivered.class, c.replay("b"));
            CountDownLatch written = new CountDownLatch(1);
            c.failure("c", "boom again", written::countDown);
            assertTrue(written.await(10, TimeUnit.SECONDS));
        }
        JournalContents again = JournalReader.read(file);
        assertEquals(0, again.tornBytes(), "the torn tail was cut before appending");
        assertEquals("boom again", again.contexts().get("ctx").failures().get("c"));
    }

    @Test
    void aDeliveryMarkCutShortIsDroppedAndItsResultIsHandedOutAgain() throws Exception {
        writeThree();
        Path marks = DeliveryMarks.fileOf(dir.resolve("j"));
        byte[] all = Files.readAllBytes(marks);
        int end = 16 + JournalFormat.delivered(0, "b").length; // header, then b's mark
        assertEquals(end, all.length, "closed, the marks file ends with its last mark");
        try (RandomAccessFile f = new RandomAccessFile(marks.toFile(), "rw")) {
            f.setLength(end - 2);
        }
        try (Journal j = Journal.open(settings(JournalMode.RESUME))) {
            JournalContext c = j.context("ctx", "Setup::make");
            assertInstanceOf(JournalContext.Result.class, c.replay("b"), "without its mark, b was not delivered");
            c.delivered("a");
        }
        try (Journal j = Journal.open(settings(JournalMode.RESUME))) {
            assertInstanceOf(JournalContext.Delivered.class, j.context("ctx", "Setup::make").replay("a"),
                    "marks added after the cut are read");
        }
    }

    @Test
    void aRecordWhoseChecksumDoesNotMatchEndsTheReadingThere() throws Exception {
        writeThree();
        Path file = dir.resolve("j");
        byte[] all = Files.readAllBytes(file);
        all[all.length - 2] ^= 0x5a; // a flipped byte in the last record's message
        Files.write(file, all);
        JournalContents read = JournalReader.read(file);
        assertTrue(read.tornBytes() > 0);
        assertTrue(read.contexts().get("ctx").failures().isEmpty());
        assertEquals(2, read.contexts().get("ctx").results().size(), "the records before it are read");
    }

    @Test
    void anotherProgramsJournalOrAnotherSetupIsRefusedUnlessStartedAfresh() throws Exception {
        writeThree();
        IllegalStateException other = assertThrows(IllegalStateException.class,
                () -> Journal.open(new JournalSettings(dir.resolve("j"), JournalMode.RESUME, "other")));
        assertTrue(other.getMessage().contains("belongs to the program 'prog'"), other.getMessage());
        try (Journal j = Journal.open(settings(JournalMode.RESUME))) {
            IllegalStateException setup = assertThrows(IllegalStateException.class,
                    () -> j.context("ctx", "Other::make"));
            assertTrue(setup.getMessage().contains("with the setup Setup::make"), setup.getMessage());
        }
        try (Journal j = Journal.open(new JournalSettings(dir.resolve("j"), JournalMode.FRESH, "other"))) {
            assertNull(j.context("ctx", "Other::make").replay("a"), "a fresh journal holds nothing");
        }
    }

    @Test
    void aFileThatIsNotAJournalIsRefusedWithItsName() throws IOException {
        Files.writeString(dir.resolve("j"), "hello, this is not a journal");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Journal.open(settings(JournalMode.RESUME)));
        assertTrue(e.getMessage().contains("is not a jparallel journal"), e.getMessage());
    }
}
