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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jparallel.JournalMode;
import org.jparallel.JournalSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
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
        try (StalledDisk disk = new StalledDisk()) {
            StalledFile stalled = disk.file(file);
            stalled.stall();
            JournalWriter w = new JournalWriter(stalled, file, 0, 200, null);
            CountDownLatch handedOn = new CountDownLatch(1);
            w.append(() -> new byte[] {1, 2, 3}, handedOn::countDown);
            disk.awaitStalled("the journal's thread never wrote");
            String logged = closeGivingUp(w::close);
            assertTrue(logged.contains("ERROR") && logged.contains("The journal " + file + " could not be written"),
                    "no error said the journal was left unwritten: " + logged);
            disk.answer();
            // once the disk answers, the journal's thread writes, hands the result on and closes the file itself
            assertTrue(handedOn.await(20, TimeUnit.SECONDS), "the record's follow-up never ran");
            assertEnds(w.thread());
            assertFalse(stalled.getFD().valid(), "nobody closed the file");
            assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
        }
    }

    @Test
    void aRecordStuckOnADeadDiskHoldsReadersNoLongerThanTheCloseWouldWait() throws Exception {
        Path file = dir.resolve("j");
        try (StalledDisk disk = new StalledDisk()) {
            StalledFile stalled = disk.file(file);
            stalled.stall();
            JournalWriter w = new JournalWriter(stalled, file, 0, 200, null);
            w.append(() -> new byte[] {1, 2, 3}, () -> { });
            assertTrue(w.handingOn(), "a record on its way to the program");
            disk.awaitStalled("the journal's thread never wrote");
            // a reader asks again and again (once a second while it waits): past the bound it is let go
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (w.handingOn()) {
                assertTrue(System.nanoTime() < deadline, "a stalled journal held its readers for ever");
                Thread.sleep(20);
            }
            disk.answer();
            closeGivingUp(w::close);
        }
    }

    @Test
    void aCloseWaitsForASlowDiskAsLongAsItsWritesKeepReturning() throws Exception {
        Path file = dir.resolve("j");
        int records = 15;
        long boundMillis = 10; // on the close's fake clock; the real waits between its looks are of 1 ms
        PacedFile slow = new PacedFile(file);
        // each write takes 0.9 of the bound on the close's clock: 15 writes, 13.5 bounds, none without a write
        PacedClock clock = new PacedClock(slow, records, TimeUnit.MILLISECONDS.toNanos(boundMillis) * 9 / 10);
        JournalWriter w = new JournalWriter(slow, file, 0, boundMillis, clock);
        clock.journal = w.thread();
        try {
            byte[] record = new byte[JournalFile.WRITE_PIECE / 2 + 1]; // one write each: two do not fit a piece
            CountDownLatch handedOn = new CountDownLatch(records);
            for (int i = 0; i < records; i++) {
                w.append(() -> record, handedOn::countDown);
            }
            String logged = stderrOf(() -> assertTimeoutPreemptively(Duration.ofSeconds(30), () -> w.close(),
                    "the close waited for ever"));
            assertFalse(logged.contains("could not be written"), "the close gave up on a disk that answered after "
                    + clock.looks + " looks at its clock, " + clock.now / 1_000_000 + " ms on it: " + logged);
            assertEquals(0, handedOn.getCount(), "the close returned before every record was written");
            assertFalse(w.thread().isAlive(), "the journal's thread did not end");
            assertFalse(slow.getFD().valid(), "the close did not close the file");
            assertEquals((long) records * record.length, Files.size(file));
        } finally {
            slow.answerAll(); // whatever failed: no journal thread is left parked
        }
    }

    @Test
    void aCloseCountsOnlyTheJournalThreadsOwnWritesAndForcesAsItGettingOn() throws Exception {
        Path file = dir.resolve("j");
        long boundMillis = 10; // on the close's fake clock; the real waits between its looks are of 1 ms
        int appends = 50;
        RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw");
        // each look at the close's clock is half a bound later, and a program's thread (the closing one here) writes
        // a record with appendNow at each of the first 50: those writes are not the stuck journal thread's
        JournalWriter[] w = new JournalWriter[1];
        int[] looks = new int[1];
        long step = TimeUnit.MILLISECONDS.toNanos(boundMillis) / 2;
        LongSupplier clock = () -> {
            if (looks[0] < appends) {
                w[0].appendNow(new byte[] {9});
            }
            return ++looks[0] * step;
        };
        w[0] = new JournalWriter(out, file, 0, boundMillis, clock);
        try (StalledDisk disk = new StalledDisk()) {
            // the journal's thread gets stuck forcing the marks (msync on a dead disk), at its first interval
            w[0].alsoForce(() -> {
                disk.stallHere();
                return true;
            });
            disk.awaitStalled("the journal's thread never forced the marks");
            String logged = closeGivingUp(w[0]::close);
            assertTrue(logged.contains("could not be written"), "the close did not give up: " + logged);
            assertTrue(looks[0] <= 4, "the close gave up after " + looks[0] + " looks at its clock (a bound is 2):"
                    + " another thread's writes kept it waiting for a journal thread that got nowhere");
            disk.answer();
            assertEnds(w[0].thread());
            assertFalse(out.getFD().valid(), "nobody closed the file");
            assertEquals(Math.min(looks[0], appends), Files.size(file));
        }
    }

    @Test
    void aJournalWhoseCloseGaveUpStaysLockedUntilItsWriteReturns() throws Exception {
        Path file = dir.resolve("j");
        JournalSettings settings = new JournalSettings(file, JournalMode.RESUME, "stalled");
        StalledFile[] stalled = new StalledFile[1];
        JournalWriter[] writer = new JournalWriter[1];
        try (StalledDisk disk = new StalledDisk()) {
            Journal j = Journal.open(settings, JournalLock.acquire(file, "the test"), (out, f, start) -> {
                out.close();
                stalled[0] = disk.file(f);
                stalled[0].seek(start);
                writer[0] = new JournalWriter(stalled[0], f, start, 200, null);
                return writer[0];
            });
            JournalContext c = j.context("c", "none");
            stalled[0].stall();
            CountDownLatch handedOn = new CountDownLatch(1);
            c.result("k", true, new byte[] {7}, handedOn::countDown);
            disk.awaitStalled("the journal's thread never wrote");
            String logged = closeGivingUp(j::close);
            assertTrue(logged.contains("cannot be opened again"), "the error did not say the journal stays locked: "
                    + logged);
            // the stalled write would land in the middle of a new writer's appends: the journal stays locked
            assertThrows(IllegalStateException.class, () -> Journal.open(settings).close(),
                    "the journal could be opened again while its write was pending");
            disk.answer();
            assertTrue(handedOn.await(20, TimeUnit.SECONDS), "the record's follow-up never ran");
            assertEnds(writer[0].thread());
            try (Journal again = Journal.open(settings)) { // its thread let go of it once the write returned
                JournalContext.Replay r = again.context("c", "none").replay("k");
                assertArrayEquals(new byte[] {7}, assertInstanceOf(JournalContext.Result.class, r).bytes());
            }
        }
    }

    /**
     * Closes with {@code close}, which must give up within 10 s on a journal thread that gets nowhere.
     *
     * @return what was logged meanwhile
     */
    private static String closeGivingUp(Executable close) {
        return stderrOf(() -> assertTimeoutPreemptively(Duration.ofSeconds(10), close,
                "the close waited for a write or force that never returns"));
    }

    private static void assertEnds(Thread journal) throws InterruptedException {
        journal.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(journal.isAlive(), "the journal's thread did not end");
    }

    /**
     * A disk that stops answering: a call to {@link #stallHere} (a {@link StalledFile}'s write, a force) waits until
     * the test says the disk answers, ignoring interrupts, as a disk. Its close answers, whatever failed: no journal
     * thread is left parked.
     */
    private static final class StalledDisk implements AutoCloseable {
        private final CountDownLatch stalled = new CountDownLatch(1);
        private final CountDownLatch answers = new CountDownLatch(1);

        /** @return a file of this disk */
        StalledFile file(Path path) throws IOException {
            return new StalledFile(path, this);
        }

        /** Waits, uninterruptibly, until the disk answers. */
        void stallHere() {
            stalled.countDown();
            boolean interrupted = false;
            while (true) {
                try {
                    answers.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        void awaitStalled(String otherwise) throws InterruptedException {
            assertTrue(stalled.await(20, TimeUnit.SECONDS), otherwise);
        }

        void answer() {
            answers.countDown();
        }

        @Override
        public void close() {
            answer();
        }
    }

    /** A journal file whose writes, once {@link #stall} is called, wait for its {@link StalledDisk} to answer. */
    private static final class StalledFile extends RandomAccessFile {
        private final StalledDisk disk;
        private volatile boolean stalling;

        StalledFile(Path file, StalledDisk disk) throws IOException {
            super(file.toFile(), "rw");
            this.disk = disk;
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
                disk.stallHere();
            }
            super.write(b, off, len);
        }
    }

    /**
     * A journal file on a slow disk, paced by a {@link PacedClock}: each write asks for the disk, then waits until
     * the clock lets it through (ignoring interrupts, as a disk).
     */
    private static final class PacedFile extends RandomAccessFile {
        /** Released when a write asks for the disk: the write before it returned. */
        private final Semaphore asks = new Semaphore(0);
        private final Semaphore grants = new Semaphore(0);

        PacedFile(Path file) throws IOException {
            super(file.toFile(), "rw");
        }

        /** Lets every write through from now on. */
        void answerAll() {
            grants.release(Integer.MAX_VALUE / 2);
        }

        @Override
        public void write(byte[] b) throws IOException {
            write(b, 0, b.length);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            asks.release();
            grants.acquireUninterruptibly();
            super.write(b, off, len);
        }
    }

    /**
     * The close's clock on a {@link PacedFile}'s slow disk: each look at it is {@code step} later and takes one
     * write: it lets the next write through and returns once that write returned (the disk asks for the one after),
     * after the last once the journal's thread ended. So the close sees each write return within a step of its
     * clock, whatever the real time the threads take. Read on the closing thread only.
     */
    private static final class PacedClock implements LongSupplier {
        private final PacedFile disk;
        private final int writes;
        private final long step;
        volatile Thread journal;
        int looks;
        long now;

        PacedClock(PacedFile disk, int writes, long step) {
            this.disk = disk;
            this.writes = writes;
            this.step = step;
        }

        @Override
        public long getAsLong() {
            try {
                if (looks == 0) { // the close's first look: the journal's thread is at its first write
                    disk.asks.acquire();
                } else if (looks < writes) {
                    disk.grants.release();
                    disk.asks.acquire();
                } else if (looks == writes) {
                    disk.grants.release();
                    journal.join();
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException("the close was cut short", e);
            }
            looks++;
            now += step;
            return now;
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
