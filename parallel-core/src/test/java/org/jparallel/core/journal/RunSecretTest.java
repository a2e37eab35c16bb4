package org.jparallel.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.jparallel.JournalMode;
import org.jparallel.JournalSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSecretTest {
    @TempDir
    Path dir;

    private JournalSettings journal(JournalMode mode) {
        return new JournalSettings(dir.resolve("run.journal"), mode, "RunSecretTest");
    }

    /** A journal that has records: what the previous run left. */
    private void previousRunWrote() throws Exception {
        Files.writeString(dir.resolve("run.journal"), "records");
    }

    @Test
    void aNewJournalGetsAFreshSecretInAFileOnlyItsOwnerReads() throws Exception {
        RunSecret s = RunSecret.beside(journal(JournalMode.RESUME));
        Path file = dir.resolve("run.journal.secret");
        assertEquals(file, RunSecret.fileFor(dir.resolve("run.journal")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(s.secret().text(), Files.readAllLines(file).get(0));
        assertFalse(s.workersMayReturn(), "no previous run: no worker to wait for");
    }

    @Test
    void aResumedJournalReadsTheSecretBackAndExpectsThePreviousRunsWorkers() throws Exception {
        RunSecret first = RunSecret.beside(journal(JournalMode.RESUME));
        previousRunWrote();
        RunSecret second = RunSecret.beside(journal(JournalMode.RESUME));
        assertEquals(first.secret().text(), second.secret().text());
        assertTrue(second.workersMayReturn(), "the previous run did not close: its workers may return");
    }

    @Test
    void aRunThatClosedNormallyLeavesNoWorkerToWaitForButTheNextRunsMayReturnAgain() throws Exception {
        RunSecret first = RunSecret.beside(journal(JournalMode.RESUME));
        previousRunWrote();
        RunSecret.markClosed(dir.resolve("run.journal"));
        RunSecret second = RunSecret.beside(journal(JournalMode.RESUME));
        assertEquals(first.secret().text(), second.secret().text());
        assertFalse(second.workersMayReturn());
        RunSecret third = RunSecret.beside(journal(JournalMode.RESUME)); // the second run died
        assertTrue(third.workersMayReturn());
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("run.journal.secret"))));
    }

    @Test
    void startingAfreshMakesANewSecret() throws Exception {
        RunSecret first = RunSecret.beside(journal(JournalMode.RESUME));
        previousRunWrote();
        RunSecret fresh = RunSecret.beside(journal(JournalMode.FRESH));
        assertNotEquals(first.secret().text(), fresh.secret().text());
        assertFalse(fresh.workersMayReturn());
    }

    @Test
    void aSecretFileWithoutASecretIsAClearError() throws Exception {
        previousRunWrote();
        Files.writeString(dir.resolve("run.journal.secret"), "not a secret!\n");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RunSecret.beside(journal(JournalMode.RESUME)));
        assertTrue(e.getMessage().contains("run.journal.secret") && e.getMessage().contains("delete it"), e.getMessage());
    }
}
