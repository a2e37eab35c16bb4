package org.jparallel.core.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jparallel.JournalMode;
import org.jparallel.JournalSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal writer's close on a disk that stopped answering: a write that never returns (no interrupt ends it)
 * must not hang the close, and so the manager's; the close gives up after its bound with no write returned and says
 * so as an error, and the journal stays locked until the write returns (else a new writer's appends and the late
 * write could interleave). A slow disk whose writes keep returning is waited for, however long the whole takes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JournalWriterCloseTest {
    @TempDir
    Path dir;

    @Test
    void aCloseWhoseWriteNeverReturnsEndsWithinItsBoundAndLogsAnError() throws Exception {
        Path file = dir.resolve("j");
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch diskAnswers = new CountDownLatch(1);
        try {
            StalledFile stalled = new StalledFile(file, writing, diskAnswers);
            stalled.stall();
            JournalWriter w = new JournalWriter(stalled, file, 0, 200);
            CountDownLatch handedOn = new CountDownLatch(1);
            w.append(() -> new byte[] {1, 2, 3}, handedOn::countDown);
            assertTrue(writing.await(20, TimeUnit.SECONDS), "the journal's thread never wrote");
            String logged = stderrOf(() -> assertTimeoutPreemptively(Duration.ofSeconds(10), () -> w.close(),
                    "the close waited for a write that never returns"));
            assertTrue(logged.contains("ERROR") && logged.contains("The journal " + file + " could not be written"),
                    "no error said the journal was left unwritten: " + logged);
            diskAnswers.countDown();
            // once the disk answers, the journal's thread writes, hands the result on and closes the file itself
            assertTrue(handedOn.await(20, TimeUnit.SECONDS), "the record's follow-up never ran");
            w.thread().join(TimeUnit.SECONDS.toMillis(20));
            assertFalse(w.thread().isAlive(), "the journal's thread did not end");
            assertFalse(stalled.getFD().valid(), "nobody closed the file");
            assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
        } finally {
            diskAnswers.countDown(); // whatever failed: no journal thread is left parked
        }
    }

    @Test
    void aCloseWaitsForASlowDiskAsLongAsItsWritesKeepReturning() throws Exception {
        Path file = dir.resolve("j");
        int records = 15;
        long writeMillis = 100; // 15 writes of 100 ms: 1.5 s, past the bound of 1 s, which no write comes near
        SlowFile slow = new SlowFile(file, writeMillis);
        JournalWriter w = new JournalWriter(slow, file, 0, 1000);
        byte[] record = new byte[JournalWriter.WRITE_PIECE / 2 + 1]; // one write each: two do not fit in a piece
        CountDownLatch handedOn = new CountDownLatch(records);
        for (int i = 0; i < records; i++) {
            w.append(() -> record, handedOn::countDown);
        }
        String logged = stderrOf(() -> assertTimeoutPreemptively(Duration.ofSeconds(30), () -> w.close(),
                "the close waited for ever"));
        assertFalse(logged.contains("could not be written"), "the close gave up on a disk that answered: " + logged);
        assertEquals(0, handedOn.getCount(), "the close returned before every record was written");
        assertFalse(w.thread().isAlive(), "the journal's thread did not end");
        assertFalse(slow.getFD().valid(), "the close did not close the file");
        assertEquals((long) records * record.length, Files.size(file));
    }

    @Test
    void aJournalWhoseCloseGaveUpStaysLockedUntilItsWriteReturns() throws Exception {
        Path file = dir.resolve("j");
        JournalSettings settings = new JournalSettings(file, JournalMode.RESUME, "stalled");
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch diskAnswers = new CountDownLatch(1);
        StalledFile[] stalled = new StalledFile[1];
        JournalWriter[] writer = new JournalWriter[1];
        try {
            Journal j = Journal.open(settings, JournalLock.acquire(file, "the test"), (out, f, start) -> {
                out.close();
                stalled[0] = new StalledFile(f, writing, diskAnswers);
                stalled[0].seek(start);
                writer[0] = new JournalWriter(stalled[0], f, start, 200);
                return writer[0];
            });
            JournalContext c = j.context("c", "none");
            stalled[0].stall();
            CountDownLatch handedOn = new CountDownLatch(1);
            c.result("k", true, new byte[] {7}, handedOn::countDown);
            assertTrue(writing.await(20, TimeUnit.SECONDS), "the journal's thread never wrote");
            String logged = stderrOf(() -> assertTimeoutPreemptively(Duration.ofSeconds(10), j::close,
                    "the close waited for a write that never returns"));
            assertTrue(logged.contains("cannot be opened again"), "the error did not say the journal stays locked: "
                    + logged);
            // the stalled write would land in the middle of a new writer's appends: the journal stays locked
            assertThrows(IllegalStateException.class, () -> Journal.open(settings).close(),
                    "the journal could be opened again while its write was pending");
            diskAnswers.countDown();
            assertTrue(handedOn.await(20, TimeUnit.SECONDS), "the record's follow-up never ran");
            writer[0].thread().join(TimeUnit.SECONDS.toMillis(20));
            assertFalse(writer[0].thread().isAlive(), "the journal's thread did not end");
            try (Journal again = Journal.open(settings)) { // its thread let go of it once the write returned
                JournalContext.Replay r = again.context("c", "none").replay("k");
                assertArrayEquals(new byte[] {7}, assertInstanceOf(JournalContext.Result.class, r).bytes());
            }
        } finally {
            diskAnswers.countDown();
        }
    }

    /**
     * A journal file whose writes, once {@link #stall} is called, wait until the test says the disk answers
     * (ignoring interrupts, as a disk).
     */
    private static final class StalledFile extends RandomAccessFile {
        private final CountDownLatch writing;
        private final CountDownLatch diskAnswers;
        private volatile boolean stalling;

        StalledFile(Path file, CountDownLatch writing, CountDownLatch diskAnswers) throws IOException {
            super(file.toFile(), "rw");
            this.writing = writing;
            this.diskAnswers = diskAnswers;
        }

        /** The writes from now on wait for the disk. */
        void stall() {
            stalling = true;
        }

        @Override
        public void write(byte[] b) throws IOException {
            write(b, 0, b.length);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (stalling) {
                writing.countDown();
                boolean interrupted = false;
                while (true) {
                    try {
                        diskAnswers.await();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            super.write(b, off, len);
        }
    }

    /** A journal file on a slow disk: each write takes its time (the disk's pace, not a wait for the test). */
    private static final class SlowFile extends RandomAccessFile {
        private final long writeMillis;

        SlowFile(Path file, long writeMillis) throws IOException {
            super(file.toFile(), "rw");
            this.writeMillis = writeMillis;
        }

        @Override
        public void write(byte[] b) throws IOException {
            write(b, 0, b.length);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(writeMillis);
            for (long left; (left = end - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(left);
            }
            super.write(b, off, len);
        }
    }

    /** @return what SLF4J's simple logger (on {@code System.err}) wrote while {@code r} ran, which still goes out */
    private static String stderrOf(Runnable r) {
        PrintStream original = System.err;
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                copy.write(b);
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                copy.write(b, off, len);
                original.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(original);
        }
        return copy.toString(StandardCharsets.UTF_8);
    }
}
