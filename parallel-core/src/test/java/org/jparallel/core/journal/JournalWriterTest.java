package org.jparallel.core.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's writer thread when a record cannot be encoded (a result's encoding threw): the failure must not
 * end the thread, which would drop every record queued after it without a word and never hand their results on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JournalWriterTest {
    @TempDir
    Path dir;

    /** What a test does with a writer of a new journal file. */
    private interface WriterUse {
        void accept(JournalWriter w) throws Exception;
    }

    /** @return the journal file's bytes once {@code use} has used a new writer of it, and the writer is closed */
    private byte[] written(WriterUse use) throws Exception {
        Path file = dir.resolve("j");
        JournalWriter w = new JournalWriter(new RandomAccessFile(file.toFile(), "rw"), file, 0);
        try {
            use.accept(w);
        } finally {
            w.close();
        }
        return Files.readAllBytes(file);
    }

    @Test
    void aRecordWhoseEncodingThrowsBreaksTheJournalLoudlyAndTheRecordsAfterItAreStillHandedOn() throws Exception {
        byte[] first = {1, 2, 3};
        byte[] file = written(w -> {
            List<String> handed = new CopyOnWriteArrayList<>();
            CountDownLatch after = new CountDownLatch(3);
            w.append(() -> first, () -> handed.add("first"));
            w.append(() -> {
                throw new IllegalStateException("a result that cannot be encoded");
            }, () -> {
                handed.add("failing");
                after.countDown();
            });
            for (int i = 0; i < 2; i++) {
                int n = i;
                w.append(() -> new byte[] {9, 9}, () -> {
                    handed.add("after " + n);
                    after.countDown();
                });
            }
            assertTrue(after.await(20, TimeUnit.SECONDS), "the records after the one whose encoding threw were"
                    + " never handed on: " + handed + "; the journal's thread alive: " + w.thread().isAlive());
            assertTrue(w.thread().isAlive(), "the journal's thread ended");
            assertEquals(List.of("first", "failing", "after 0", "after 1"), handed);
            // the journal is broken, as after a failed write: nothing more is written, not even by appendNow
            w.appendNow(new byte[] {7});
            assertEquals(first.length, w.bytes());
        });
        assertArrayEquals(new byte[] {1, 2, 3}, file);
    }

    @Test
    void aFollowUpThatThrowsAnErrorLeavesTheJournalsThreadToHandOnTheRecordsAfterIt() throws Exception {
        byte[] file = written(w -> {
            CountDownLatch after = new CountDownLatch(2);
            w.append(() -> new byte[] {1}, () -> {
                throw new OutOfMemoryError("a follow-up that ran out of memory (thrown by the test)");
            });
            w.append(() -> new byte[] {2}, after::countDown);
            w.append(() -> new byte[] {3}, after::countDown);
            assertTrue(after.await(20, TimeUnit.SECONDS), "the records after the follow-up that threw were never"
                    + " handed on; the journal's thread alive: " + w.thread().isAlive());
            assertTrue(w.thread().isAlive(), "the journal's thread ended");
        });
        assertArrayEquals(new byte[] {1, 2, 3}, file);
    }

    @Test
    void recordsSmallerAndBiggerThanOneWritePieceAreWrittenWholeAndInOrder() throws Exception {
        int[] sizes = {10, JournalFile.WRITE_PIECE - 5, 10, JournalFile.WRITE_PIECE + 7, 3,
            JournalFile.WRITE_PIECE, 1, 1};
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        byte[] file = written(w -> {
            CountDownLatch all = new CountDownLatch(sizes.length);
            for (int i = 0; i < sizes.length; i++) {
                byte[] r = new byte[sizes[i]];
                Arrays.fill(r, (byte) (i + 1));
                r[r.length - 1] = (byte) -(i + 1); // each record's end is its own
                expected.write(r);
                w.append(() -> r, all::countDown);
            }
            assertTrue(all.await(20, TimeUnit.SECONDS), "not every record was handed on");
            assertEquals(expected.size(), w.bytes());
        });
        assertArrayEquals(expected.toByteArray(), file);
    }
}
