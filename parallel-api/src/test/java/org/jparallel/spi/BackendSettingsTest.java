package org.jparallel.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jparallel.ConfigurationException;
import org.junit.jupiter.api.Test;

/** A backend's typed view of its group's settings: parsed values, defaults, blank as absent, keys as the user writes them. */
class BackendSettingsTest {
    private static final ConfigKey<Duration> WAIT = ConfigKey.duration("wait", "10s", "how long to wait");
    private static final ConfigKey<Integer> SLOTS = ConfigKey.integer("slots", null, "slots per worker");
    private static final ConfigKey<String> QUEUE = ConfigKey.string("queue", "all.q", "the queue");

    @Test
    void aSetValueIsParsedAndAnUnsetOneIsTheParsedDefaultOrNull() {
        BackendSettings s = BackendSettings.of("fake", Map.of("wait", " 5m ", "queue", " big.q "));
        assertEquals(Duration.ofMinutes(5), s.get(WAIT));
        assertEquals("big.q", s.get(QUEUE), "trimmed");
        BackendSettings none = BackendSettings.of("fake", Map.of());
        assertEquals(Duration.ofSeconds(10), none.get(WAIT));
        assertEquals("all.q", none.get(QUEUE));
        assertNull(none.get(SLOTS));
    }

    @Test
    void aBlankValueCountsAsAbsent() {
        BackendSettings s = BackendSettings.of("fake", Map.of("wait", "  ", "slots", ""));
        assertFalse(s.isSet(WAIT));
        assertFalse(s.isSet(SLOTS));
        assertEquals(Duration.ofSeconds(10), s.get(WAIT), "the default, not a parse error");
        List<Object> got = new ArrayList<>();
        s.ifSet(WAIT, got::add);
        s.ifSet(SLOTS, got::add);
        s.ifSet(QUEUE, got::add);
        assertEquals(List.of(), got, "ifSet hands over only values that were given, never a default");
        BackendSettings set = BackendSettings.of("fake", Map.of("slots", "3"));
        assertTrue(set.isSet(SLOTS));
        set.ifSet(SLOTS, got::add);
        assertEquals(List.of(3), got);
    }

    @Test
    void keysAreNamedAsTheUserWritesThemForTheDefaultGroupAndForANamedOne() {
        assertEquals("jparallel.sge.slots", BackendSettings.of("sge", Map.of()).keyName(SLOTS));
        BackendSettings big = new BackendSettings("sge", "big", Map.of(), Map.of());
        assertEquals("jparallel.group.big.slots", big.keyName(SLOTS));
        assertEquals("big", big.group());
        assertEquals("sge", big.backend());
    }

    @Test
    void aBadValueNamesTheFullUserKeyTheValueItsOriginAndWhatIsExpected() {
        BackendSettings big = new BackendSettings("sge", "big", Map.of("slots", "many"),
                Map.of("slots", "in /tmp/jparallel.properties"));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> big.get(SLOTS));
        assertEquals("Bad value for jparallel.group.big.slots (in /tmp/jparallel.properties): 'many'; expected a whole"
                + " number, e.g. 4.", e.getMessage());
        assertThrows(ConfigurationException.class, () -> big.ifSet(SLOTS, v -> { }));
    }
}
