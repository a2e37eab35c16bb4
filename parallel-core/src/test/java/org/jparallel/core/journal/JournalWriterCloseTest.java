package org.jparallel.core.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal writer's close on a disk that stopped answering: a write that never returns (no interrupt ends it)
 * must not hang the close, and so the manager's; the close gives up after its bound and says so as an error.
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
        RandomAccessFile stalled = new StalledFile(file, writing, diskAnswers);
        JournalWriter w = new JournalWriter(stalled, file, 0, 200);
        CountDownLatch handedOn = new CountDownLatch(1);
        w.append(() -> new byte[] {1, 2, 3}, handedOn::countDown);
        assertTrue(writing.await(20, TimeUnit.SECONDS), "the journal's thread never wrote");
        String logged;
        try {
            logged = stderrOf(() -> assertTimeoutPreemptively(Duration.ofSeconds(10), w::close,
                    "the close waited for a write that never returns"));
        } finally {
            diskAnswers.countDown();
        }
        assertTrue(logged.contains("ERROR") && logged.contains("The journal " + file + " could not be written"),
                "no error said the journal was left unwritten: " + logged);
        // once the disk answers, the journal's thread writes, hands the result on and closes the file itself
        assertTrue(handedOn.await(20, TimeUnit.SECONDS), "the record's follow-up never ran");
        w.thread().join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(w.thread().isAlive(), "the journal's thread did not end");
        assertFalse(stalled.getFD().valid(), "nobody closed the file");
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
    }

    /** A journal file whose writes wait until the test says the disk answers (ignoring interrupts, as a disk). */
    private static final class StalledFile extends RandomAccessFile {
        private final CountDownLatch writing;
        private final CountDownLatch diskAnswers;

        StalledFile(Path file, CountDownLatch writing, CountDownLatch diskAnswers) throws IOException {
            super(file.toFile(), "rw");
            this.writing = writing;
            this.diskAnswers = diskAnswers;
        }

        @Override
        public void write(byte[] b) throws IOException {
            write(b, 0, b.length);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
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
