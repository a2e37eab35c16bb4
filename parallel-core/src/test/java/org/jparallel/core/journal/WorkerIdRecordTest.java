package org.jparallel.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jparallel.JournalMode;
import org.jparallel.JournalSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerIdRecordTest {
    @TempDir
    Path dir;

    private JournalSettings journal(JournalMode mode) {
        return new JournalSettings(dir.resolve("run.journal"), mode, "WorkerIdRecordTest");
    }

    @Test
    void aResumedJournalsRunsContinueTheIdsOfTheEarlierOnes() {
        WorkerIdRecord first = WorkerIdRecord.beside(journal(JournalMode.RESUME));
        assertEquals(1, first.firstId());
        first.handedOutBelow(5); // ids 1-4 started
        assertEquals(5, WorkerIdRecord.beside(journal(JournalMode.RESUME)).firstId());
        WorkerIdRecord second = WorkerIdRecord.beside(journal(JournalMode.RESUME));
        second.handedOutBelow(3); // never goes back
        second.handedOutBelow(9);
        assertEquals(9, WorkerIdRecord.beside(journal(JournalMode.RESUME)).firstId());
        assertEquals(dir.resolve("run.journal.workers"), WorkerIdRecord.fileFor(dir.resolve("run.journal")));
    }

    @Test
    void aFreshJournalOrNoneStartsAtOne() throws Exception {
        WorkerIdRecord.beside(journal(JournalMode.RESUME)).handedOutBelow(7);
        WorkerIdRecord fresh = WorkerIdRecord.beside(journal(JournalMode.FRESH));
        assertEquals(1, fresh.firstId());
        assertFalse(Files.exists(WorkerIdRecord.fileFor(dir.resolve("run.journal"))));
        WorkerIdRecord none = WorkerIdRecord.beside(null);
        none.handedOutBelow(4); // nowhere to keep it
        assertEquals(1, none.firstId());
    }

    @Test
    void anUnreadableRecordIsIgnored() throws Exception {
        Files.writeString(WorkerIdRecord.fileFor(dir.resolve("run.journal")), "garbage\n");
        WorkerIdRecord r = WorkerIdRecord.beside(journal(JournalMode.RESUME));
        assertEquals(1, r.firstId());
        r.handedOutBelow(3);
        assertEquals(3, WorkerIdRecord.beside(journal(JournalMode.RESUME)).firstId());
    }
}
