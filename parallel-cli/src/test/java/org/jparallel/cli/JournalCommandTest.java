package org.jparallel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jparallel.JournalMode;
import org.jparallel.JournalSettings;
import org.jparallel.core.journal.Journal;
import org.jparallel.core.journal.JournalContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jparallel journal info} prints what a journal holds (torn tail included); {@code jparallel journal
 * compact} rewrites it with one record per key, and is refused, with the holder named, while a manager holds it.
 */
class JournalCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    private Path journal() {
        return dir.resolve("run.journal");
    }

    private Journal open() {
        return Journal.open(new JournalSettings(journal(), JournalMode.RESUME, "jparallel run test"));
    }

    /** Journals 100 results, delivers the first 60, and fails one key. */
    private void campaign() throws InterruptedException {
        try (Journal j = open()) {
            JournalContext c = j.context("#1", "none");
            CountDownLatch written = new CountDownLatch(101);
            for (int k = 0; k < 100; k++) {
                c.result(Integer.toString(k), true, ("result " + k).repeat(10).getBytes(StandardCharsets.UTF_8),
                        written::countDown);
            }
            c.failure("100", "exit code 3", written::countDown);
            assertTrue(written.await(10, TimeUnit.SECONDS));
            for (int k = 0; k < 60; k++) {
                c.delivered(Integer.toString(k));
            }
        }
    }

    @Test
    void infoPrintsRecordsKeysBytesAndTheTornTail() throws Exception {
        campaign();
        assertEquals(0, run("journal", "info", journal().toString()), err.toString());
        String info = out.toString();
        assertTrue(info.contains("program      jparallel run test"), info);
        assertTrue(info.contains("records      103 in the log: 1 context(s), 100 result(s), 1 failure(s); 60 delivery"
                + " mark(s) beside it"), info);
        assertTrue(info.contains("keys         60 delivered, 40 result(s) not yet delivered (a restart hands them"
                + " out), 1 failed (a restart runs them again)"), info);
        long log = Files.size(journal());
        long marks = Files.size(dir.resolve("run.journal.delivered"));
        assertTrue(info.contains(String.format("bytes        %,d (log %,d, delivery marks %,d)", log + marks, log,
                marks)), info);
        assertTrue(info.contains("torn tail    none"), info);
        assertTrue(info.contains("compaction   would keep 103 of 163 records"), info);

        try (RandomAccessFile f = new RandomAccessFile(journal().toFile(), "rw")) {
            f.setLength(log - 3);
        }
        assertEquals(0, run("journal", "info", journal().toString()), err.toString());
        assertTrue(out.toString().contains("records      102 in the log"), out.toString());
        assertTrue(out.toString().matches("(?s).*torn tail    \\d+ byte\\(s\\) after the last whole record \\(a record"
                + " of \\d+ bytes runs past the end of the file\\): dropped when a manager resumes the journal.*"),
                out.toString());
    }

    @Test
    void compactKeepsOneRecordPerKeyAndAResumedRunGetsTheSameResults() throws Exception {
        campaign();
        long before = Files.size(journal()) + Files.size(dir.resolve("run.journal.delivered"));
        assertEquals(0, run("journal", "compact", journal().toString()), err.toString());
        long after = Files.size(journal()) + Files.size(dir.resolve("run.journal.delivered"));
        assertTrue(out.toString().contains(String.format("compacted %s: 163 records, %,d bytes -> 103 records, %,d"
                + " bytes", journal(), before, after)), out.toString());
        assertTrue(after < before, before + " -> " + after);
        try (Journal j = open()) {
            JournalContext c = j.context("#1", "none");
            assertTrue(c.replay("59") instanceof JournalContext.Delivered);
            JournalContext.Result r = (JournalContext.Result) c.replay("60");
            assertEquals("result 60".repeat(10), new String(r.bytes(), StandardCharsets.UTF_8));
            assertEquals(null, c.replay("100"), "the failed key runs again");
        }
    }

    @Test
    void compactIsRefusedWhileAManagerHoldsTheJournal() throws Exception {
        campaign();
        byte[] log = Files.readAllBytes(journal());
        try (Journal j = open()) {
            assertEquals(1, run("journal", "compact", journal().toString()));
            assertTrue(err.toString().startsWith("jparallel journal compact: The journal " + journal()
                    + " is in use: held by "), err.toString());
        }
        assertEquals(log.length, Files.readAllBytes(journal()).length, "left as it was");
        assertEquals(0, run("journal", "compact", journal().toString()), err.toString());
    }

    @Test
    void aMissingFileOrAFileThatIsNotAJournalIsAnErrorSayingSo() throws Exception {
        assertEquals(1, run("journal", "info", dir.resolve("nothing").toString()));
        assertTrue(err.toString().contains("no such journal file"), err.toString());
        Files.writeString(dir.resolve("text"), "not a journal at all");
        assertEquals(1, run("journal", "compact", dir.resolve("text").toString()));
        assertTrue(err.toString().contains("is not a jparallel journal"), err.toString());
        assertEquals(2, run("journal"), "no subcommand is a usage error");
    }
}
