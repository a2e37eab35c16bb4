package org.jparallel.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.jparallel.spi.ConfigKey;
import org.junit.jupiter.api.Test;

class KeySuggesterTest {
    private static final List<String> CORE = CoreKeys.ALL.stream().map(ConfigKey::name).toList();

    @Test
    void swappedLettersSuggestTheKeyMeant() {
        assertEquals("jparallel.workers", KeySuggester.nearest("jparallel.wrokers", CORE));
        assertEquals("jparallel.backend", KeySuggester.nearest("jparallel.backnd", CORE));
        assertEquals("jparallel.manager.heartbeat-timeout",
                KeySuggester.nearest("jparallel.manager.heartbeat_timeout", CORE));
    }

    @Test
    void aFarOffKeyGivesNoSuggestion() {
        assertNull(KeySuggester.nearest("completely.unrelated.setting", CORE));
        assertNull(KeySuggester.nearest("x", CORE));
        assertNull(KeySuggester.nearest("jparallel.workers", List.of()));
    }

    @Test
    void distanceCountsATranspositionOnce() {
        assertEquals(0, KeySuggester.distance("workers", "workers"));
        assertEquals(1, KeySuggester.distance("wrokers", "workers"));
        assertEquals(1, KeySuggester.distance("worker", "workers"));
        assertEquals(3, KeySuggester.distance("", "abc"));
        assertEquals(3, KeySuggester.distance("kitten", "sitting"));
    }
}
