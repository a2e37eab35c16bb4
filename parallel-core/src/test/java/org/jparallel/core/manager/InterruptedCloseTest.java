package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jparallel.Manager;
import org.jparallel.ManagerStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manager closed on a thread whose interrupt flag is set (a program ending after an interrupt) closes as on any
 * other thread: it tells the workers to shut down and keeps its final state, rather than cutting every wait of
 * the close short; the flag is set again when it returns.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterruptedCloseTest {
    @TempDir
    Path dir;

    @Test
    void aCloseOnAnInterruptedThreadStillEndsTheRunAndKeepsTheFlag() throws Exception {
        Path journal = dir.resolve("journal");
        Manager m = Manager.builder().bindAddress("127.0.0.1").journal(journal).journalIdentity("interrupted").build();
        m.getContext("c");
        Thread.currentThread().interrupt();
        try {
            m.close();
            assertTrue(Thread.currentThread().isInterrupted(), "the caller's interrupt is kept");
        } finally {
            Thread.interrupted();
        }
        ManagerStats stats = m.stats(); // the final state: kept only once the workers were told to shut down
        assertEquals(0, stats.tasksSubmitted());
        assertTrue(Files.readString(journal.resolveSibling("journal.secret")).contains("closed"),
                "the secret file says the workers were told to go, so the next run waits for none");
    }
}
