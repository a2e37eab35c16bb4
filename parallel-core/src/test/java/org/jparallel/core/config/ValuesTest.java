package org.jparallel.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.jparallel.ConfigurationException;
import org.jparallel.spi.ConfigKey;
import org.junit.jupiter.api.Test;

class ValuesTest {
    private static final String ORIGIN = "in /etc/jparallel.properties";

    @Test
    void durationsInEveryUnitAndBareSeconds() {
        assertEquals(Duration.ofMillis(500), Values.toDuration("k", "500ms", ORIGIN));
        assertEquals(Duration.ofSeconds(30), Values.toDuration("k", "30s", ORIGIN));
        assertEquals(Duration.ofMinutes(5), Values.toDuration("k", "5m", ORIGIN));
        assertEquals(Duration.ofHours(2), Values.toDuration("k", "2h", ORIGIN));
        assertEquals(Duration.ofSeconds(45), Values.toDuration("k", "45", ORIGIN));
        assertEquals(Duration.ofSeconds(30), Values.toDuration("k", " 30 S ", ORIGIN));
        assertEquals(Duration.ZERO, Values.toDuration("k", "0", ORIGIN));
    }

    @Test
    void badDurationNamesKeyValueOriginAndWhatIsExpected() {
        for (String bad : new String[] {"ten", "5 minutes", "-3s", "1.5s", "", "30d"}) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> Values.toDuration("jparallel.manager.heartbeat-timeout", bad, ORIGIN), bad);
            assertBad(e, "jparallel.manager.heartbeat-timeout", bad);
            assertTrue(e.getMessage().contains("500ms, 30s, 5m or 2h"), e.getMessage());
        }
    }

    @Test
    void aDurationTooLargeForALongIsABadValueNotACrash() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> Values.toDuration("jparallel.manager.start-timeout", "99999999999999999999s", ORIGIN));
        assertBad(e, "jparallel.manager.start-timeout", "99999999999999999999s");
        e = assertThrows(ConfigurationException.class,
                () -> Values.toDuration("jparallel.manager.start-timeout", "9223372036854775807h", ORIGIN));
        assertBad(e, "jparallel.manager.start-timeout", "9223372036854775807h");
    }

    @Test
    void integers() {
        assertEquals(4, Values.toInt("jparallel.workers", "4", ORIGIN));
        assertEquals(4, Values.toInt("jparallel.workers", " 4 ", ORIGIN));
        assertEquals(-1, Values.toInt("jparallel.workers", "-1", ORIGIN));
        for (String bad : new String[] {"four", "4.0", "", "99999999999", "0x10"}) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> Values.toInt("jparallel.workers", bad, ORIGIN), bad);
            assertBad(e, "jparallel.workers", bad);
            assertTrue(e.getMessage().contains("a whole number"), e.getMessage());
        }
    }

    @Test
    void booleans() {
        assertTrue(Values.toBoolean("k", "true", ORIGIN));
        assertTrue(Values.toBoolean("k", " TRUE ", ORIGIN));
        assertFalse(Values.toBoolean("k", "false", ORIGIN));
        for (String bad : new String[] {"yes", "1", "on", ""}) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> Values.toBoolean("jparallel.alpha.debug", bad, ORIGIN), bad);
            assertBad(e, "jparallel.alpha.debug", bad);
            assertTrue(e.getMessage().contains("true or false"), e.getMessage());
        }
    }

    @Test
    void checkDispatchesOnTheDeclaredTypeAndAcceptsAnyTextForOtherTypes() {
        Values.check("k", ConfigKey.Type.INT, "3", ORIGIN);
        Values.check("k", ConfigKey.Type.BOOLEAN, "false", ORIGIN);
        Values.check("k", ConfigKey.Type.DURATION, "3m", ORIGIN);
        Values.check("k", ConfigKey.Type.STRING, "anything at all", ORIGIN);
        Values.check("k", ConfigKey.Type.LIST, "a, b,,c", ORIGIN);
        Values.check("k", ConfigKey.Type.PATH, "/no/such/dir", ORIGIN);
        assertBad(assertThrows(ConfigurationException.class,
                () -> Values.check("k.int", ConfigKey.Type.INT, "x", ORIGIN)), "k.int", "x");
        assertBad(assertThrows(ConfigurationException.class,
                () -> Values.check("k.bool", ConfigKey.Type.BOOLEAN, "x", ORIGIN)), "k.bool", "x");
        assertBad(assertThrows(ConfigurationException.class,
                () -> Values.check("k.dur", ConfigKey.Type.DURATION, "x", ORIGIN)), "k.dur", "x");
    }

    private static void assertBad(ConfigurationException e, String key, String value) {
        String m = e.getMessage();
        assertTrue(m.contains(key), "key missing: " + m);
        assertTrue(m.contains("'" + value + "'"), "value missing: " + m);
        assertTrue(m.contains(ORIGIN), "origin missing: " + m);
    }
}
