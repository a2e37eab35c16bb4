package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jparallel.JournalMode;
import org.jparallel.JournalSettings;
import org.jparallel.TaskOptions;
import org.jparallel.core.journal.Journal;
import org.jparallel.core.journal.JournalContext;

/**
 * A journal an earlier run left with results not yet delivered, whose keys are so long that delivering {@link
 * #HELD} of them fills more than the delivery marks' first mapping (1 MiB): the tests of closes and reads that
 * must map the marks further share it.
 */
final class HeldJournal {
    /** Results whose delivery marks, with keys this long, fill more than the marks' first mapping. */
    static final int HELD = 300;

    private HeldJournal() {
    }

    /** @return the {@code i}-th key, of the longest length a key may have */
    static String key(int i) {
        return (i + "/").repeat(TaskOptions.MAX_KEY_LENGTH).substring(0, TaskOptions.MAX_KEY_LENGTH);
    }

    /** Journals a raw result for each of the first {@code keys} keys of context {@code name}, as an earlier run would. */
    static void earlierRun(Path journal, String identity, String name, int keys) throws InterruptedException {
        try (Journal j = Journal.open(new JournalSettings(journal, JournalMode.RESUME, identity))) {
            JournalContext c = j.context(name, "none");
            CountDownLatch written = new CountDownLatch(keys);
            for (int i = 0; i < keys; i++) {
                c.result(key(i), true, new byte[] {(byte) i}, written::countDown);
            }
            assertTrue(written.await(30, TimeUnit.SECONDS));
        }
    }
}
