package org.jparallel.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jparallel.JournalMode;
import org.jparallel.JournalSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal keeps every record whatever the interrupt status of the threads that write it: a program's thread
 * interrupted (a cancelled future, an executor shutting down) while it marks results delivered, makes a context or
 * closes the journal, or the journal's own thread interrupted. An interrupt closes a {@code FileChannel} for good
 * when it comes during an operation on it; the journal must neither lose records to that nor clear the flag the
 * program set.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JournalInterruptTest {
    /** Marks of keys this long: about 4 KiB each, so {@link #KEYS} of them cross the marks' mapping twice. */
    private static final int KEY_LENGTH = 4000;
    private static final int KEYS = 2 * DeliveryMarks.CHUNK / KEY_LENGTH + 100;

    @TempDir
    Path dir;

    @AfterEach
    void clearFlag() {
        Thread.interrupted();
    }

    private JournalSettings settings() {
        return new JournalSettings(dir.resolve("j"), JournalMode.RESUME, "prog");
    }

    private static String key(int i) {
        return (i + "/").repeat(KEY_LENGTH).substring(0, KEY_LENGTH);
    }

    /** @return what the journal and its delivery marks hold, as a resumed run reads them */
    private JournalContents contents() throws Exception {
        JournalContents c = JournalReader.read(dir.resolve("j"));
        DeliveryMarks.read(dir.resolve("j"), c.created(), c.deliveryMarks());
        return c;
    }

    /** Checks that context {@code ctx}'s delivered keys are those of 0 until {@code n} (not printing 4 KiB keys). */
    private void assertDelivered(int n) throws Exception {
        Set<String> read = contents().contexts().get("ctx").delivered();
        Set<String> missing = keys(n);
        missing.removeAll(read);
        assertEquals(0, missing.size(), "marks lost");
        assertEquals(n, read.size());
    }

    private static Set<String> keys(int n) {
        Set<String> all = new HashSet<>();
        for (int i = 0; i < n; i++) {
            all.add(key(i));
        }
        return all;
    }

    @Test
    void marksStoredOnAnInterruptedThreadAcrossTheMappingsEndAreAllKeptAndTheFlagStaysSet() throws Exception {
        Journal j = Journal.open(settings());
        JournalContext c = j.context("ctx", "S");
        Thread.currentThread().interrupt();
        for (int i = 0; i < KEYS; i++) {
            c.delivered(key(i));
            assertTrue(Thread.currentThread().isInterrupted(), "the flag is kept after mark " + i);
        }
        j.close(); // on the interrupted thread too
        assertTrue(Thread.interrupted(), "the flag is kept through the close");
        assertDelivered(KEYS);
    }

    @Test
    void aThreadInterruptedAgainAndAgainWhileItMarksLosesNoMark() throws Exception {
        Journal j = Journal.open(settings());
        JournalContext c = j.context("ctx", "S");
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        CountDownLatch interrupting = new CountDownLatch(1);
        Thread marker = new Thread(() -> {
            try {
                interrupting.await();
            } catch (InterruptedException e) {
                // the interrupter's first: expected
            }
            try {
                for (int i = 0; i < 2 * KEYS; i++) {
                    c.delivered(key(i));
                }
            } catch (Throwable t) {
                failed.set(t);
            } finally {
                done.set(true);
            }
        });
        Thread interrupter = new Thread(() -> {
            interrupting.countDown();
            while (!done.get()) {
                marker.interrupt(); // lands before, between and during the mappings' operations
                Thread.yield();
            }
        });
        marker.start();
        interrupter.start();
        marker.join();
        interrupter.join();
        j.close();
        assertEquals(null, failed.get());
        assertDelivered(2 * KEYS);
    }

    @Test
    void aContextMadeOnAnInterruptedThreadIsJournaledAndSoAreItsResults() throws Exception {
        Journal j = Journal.open(settings());
        Thread.currentThread().interrupt();
        JournalContext c = j.context("made", "S");
        assertTrue(Thread.interrupted(), "the flag is kept");
        CountDownLatch written = new CountDownLatch(1);
        c.result("k", true, new byte[] {7}, written::countDown);
        assertTrue(written.await(10, TimeUnit.SECONDS));
        Thread.currentThread().interrupt();
        c.delivered("d");
        j.close();
        assertTrue(Thread.interrupted());
        JournalContents read = contents();
        assertTrue(read.contexts().containsKey("made"), "the context's record was written");
        assertEquals(Set.of("k"), read.contexts().get("made").results().keySet());
        assertEquals(Set.of("d"), read.contexts().get("made").delivered());
    }

    @Test
    void aCloseOnAnInterruptedThreadWaitsForTheQueuedRecords() throws Exception {
        Journal j = Journal.open(settings());
        JournalContext c = j.context("ctx", "S");
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            c.result("k" + i, true, new byte[100], null);
        }
        Thread.currentThread().interrupt();
        j.close();
        assertTrue(Thread.interrupted(), "the flag is kept");
        assertEquals(n, JournalReader.read(dir.resolve("j")).contexts().get("ctx").results().size());
    }

    @Test
    void theJournalsOwnThreadInterruptedGoesOnWriting() throws Exception {
        Journal j = Journal.open(settings());
        AtomicReference<Thread> journalThread = new AtomicReference<>();
        j.batchWakeups(journalThread::set, () -> { });
        JournalContext c = j.context("ctx", "S");
        CountDownLatch first = new CountDownLatch(1);
        c.result("a", true, new byte[] {1}, first::countDown);
        assertTrue(first.await(10, TimeUnit.SECONDS));
        journalThread.get().interrupt();
        CountDownLatch written = new CountDownLatch(100);
        for (int i = 0; i < 100; i++) {
            c.result("b" + i, true, new byte[] {2}, written::countDown);
            if (i % 10 == 0) {
                journalThread.get().interrupt();
            }
        }
        assertTrue(written.await(10, TimeUnit.SECONDS), "every record written and handed on");
        assertFalse(Thread.currentThread().isInterrupted());
        j.close();
        assertEquals(101, JournalReader.read(dir.resolve("j")).contexts().get("ctx").results().size());
    }
}
