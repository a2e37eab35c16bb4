package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.JournalMode;
import org.jparallel.JournalSettings;
import org.jparallel.Manager;
import org.jparallel.ManagerBuilder;
import org.jparallel.TaskOptions;
import org.jparallel.core.journal.Journal;
import org.jparallel.core.journal.JournalContext;
import org.jparallel.core.journal.JournalReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program whose thread is interrupted (a cancelled future, an executor shutting down, its own reasons) keeps its
 * journal whole: results it reads on that thread are all marked delivered, across the marks' mapping boundary
 * too, so a restarted run hands none out again; a context it makes there is journaled; and the thread's
 * interrupt flag is still set afterwards.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InterruptedReaderTest {
    private static final String IDENTITY = "interrupted-reader";
    private static final int HELD = HeldJournal.HELD;

    @TempDir
    Path dir;

    @AfterEach
    void clearFlag() {
        Thread.interrupted();
    }

    private Path journal() {
        return dir.resolve("journal");
    }

    private JournalSettings settings() {
        return new JournalSettings(journal(), JournalMode.RESUME, IDENTITY);
    }

    private static String key(int i) {
        return HeldJournal.key(i);
    }

    private ManagerBuilder builder() {
        return Manager.builder().bindAddress("127.0.0.1").journal(journal()).journalIdentity(IDENTITY);
    }

    /** Journals a raw result for each key of context {@code name}, as an earlier run would have. */
    private void earlierRun(String name, int keys) throws InterruptedException {
        HeldJournal.earlierRun(journal(), IDENTITY, name, keys);
    }

    @Test
    void resultsReadOnAnInterruptedThreadAreAllMarkedDeliveredAndTheFlagIsKept() throws Exception {
        earlierRun("c", HELD);
        try (Manager m = builder().build()) {
            Context<Void, byte[]> c = m.getContext("c");
            Iterator<byte[]> results = c.getResultsUnordered().iterator();
            Thread.currentThread().interrupt();
            for (int i = 0; i < HELD; i++) {
                c.addTask(setup -> new byte[0], TaskOptions.none().withKey(key(i)));
                assertEquals((byte) i, results.next()[0]); // the one before is marked delivered
                assertTrue(Thread.currentThread().isInterrupted(), "the flag is kept after result " + i);
            }
            c.close(); // the last one, held, is marked delivered
            assertTrue(Thread.currentThread().isInterrupted(), "the flag is kept through the context's close");
            Thread.interrupted();
        }

        try (Journal j = Journal.open(settings())) { // as the next run reads it
            JournalContext c = j.context("c", "none");
            for (int i = 0; i < HELD; i++) {
                assertInstanceOf(JournalContext.Delivered.class, c.replay(key(i)), "result " + i + " delivered");
            }
        }
        try (Manager m = builder().build()) { // a restarted run hands none out again
            Context<Void, byte[]> c = m.getContext("c");
            for (int i = 0; i < HELD; i++) {
                c.addTask(setup -> new byte[0], TaskOptions.none().withKey(key(i)));
            }
            assertFalse(c.getResultsUnordered().iterator().hasNext(), "a result was delivered again");
            assertEquals(HELD, m.stats().tasksFromJournal());
        }
    }

    @Test
    void aManagerMadeOnAnInterruptedThreadResumesItsJournal() throws Exception {
        earlierRun("c", 3);
        Thread.currentThread().interrupt();
        try (Manager m = builder().build()) {
            assertTrue(Thread.currentThread().isInterrupted(), "the flag is kept");
            Context<Void, byte[]> c = m.getContext("c");
            c.addTask(setup -> new byte[0], TaskOptions.none().withKey(key(1)));
            assertEquals(1, c.getResultsUnordered().iterator().next()[0]);
        }
        assertTrue(Thread.interrupted(), "the flag is kept");
    }

    @Test
    void aContextMadeOnAnInterruptedThreadIsJournaled() throws Exception {
        try (Manager m = builder().build()) {
            m.getContext("before");
            Thread.currentThread().interrupt();
            m.getContext("made");
            assertTrue(Thread.interrupted(), "the flag is kept");
        }
        assertTrue(JournalReader.read(journal()).contexts().containsKey("made"), "the context's record is kept");
    }
}
