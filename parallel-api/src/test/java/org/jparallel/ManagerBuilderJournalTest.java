package org.jparallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A journal is asked for by its file or not at all: a {@code null} file is an error, never a silent "no journal"
 * (a campaign whose configured path came out null would lose its resumability without a word), and a tool that
 * must not open a program's journal says so with {@code noJournal()}.
 */
class ManagerBuilderJournalTest {
    @Test
    void aNullJournalFileIsRefused() {
        assertThrows(NullPointerException.class, () -> Manager.builder().journal(null));
        assertThrows(NullPointerException.class, () -> Manager.builder().journal(null, JournalMode.RESUME));
    }

    @Test
    void noJournalDropsTheJournalOfSettingsGivenToFrom() {
        ManagerSettings campaign = Manager.builder().journal(Path.of("campaign.journal")).settings();
        assertEquals(Path.of("campaign.journal"), campaign.journal().file());
        assertNull(Manager.builder().from(campaign).noJournal().settings().journal());
    }
}
