package org.jparallel.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jparallel.ConfigurationException;
import org.junit.jupiter.api.Test;

/** Each type of key parses its values, its default with the same parser, and names key, value, origin and what is expected when it cannot. */
class ConfigKeyTest {
    private static final String ORIGIN = "in /tmp/jparallel.properties";

    private static void bad(ConfigKey<?> key, String value, String expected) {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> key.parse(value, ORIGIN), value);
        assertEquals("Bad value for " + key.name() + " (" + ORIGIN + "): '" + value + "'; expected " + expected + ".",
                e.getMessage());
    }

    @Test
    void stringsAreTrimmed() {
        ConfigKey<String> k = ConfigKey.string("k", null, "d");
        assertEquals("a b", k.parse("  a b ", ORIGIN));
        assertEquals(ConfigKey.Type.STRING, k.type());
    }

    @Test
    void integers() {
        ConfigKey<Integer> k = ConfigKey.integer("jparallel.workers", null, "d");
        assertEquals(4, k.parse(" 4 ", ORIGIN));
        assertEquals(-1, k.parse("-1", ORIGIN));
        for (String v : List.of("", "four", "4.5", "99999999999")) {
            bad(k, v, "a whole number, e.g. 4");
        }
    }

    @Test
    void booleansAreTrueOrFalseInAnyCaseAndNothingElse() {
        ConfigKey<Boolean> k = ConfigKey.bool("jparallel.manager.tls", null, "d");
        assertTrue(k.parse(" TRUE ", ORIGIN));
        assertFalse(k.parse("false", ORIGIN));
        for (String v : List.of("", "yes", "1", "on")) {
            bad(k, v, "true or false");
        }
    }

    @Test
    void durationsTakeAUnitOrAreSeconds() {
        ConfigKey<Duration> k = ConfigKey.duration("jparallel.manager.start-timeout", null, "d");
        assertEquals(Duration.ofMillis(500), k.parse("500ms", ORIGIN));
        assertEquals(Duration.ofSeconds(30), k.parse(" 30 S ", ORIGIN));
        assertEquals(Duration.ofMinutes(5), k.parse("5m", ORIGIN));
        assertEquals(Duration.ofHours(2), k.parse("2h", ORIGIN));
        assertEquals(Duration.ofSeconds(45), k.parse("45", ORIGIN));
        for (String v : List.of("", "soon", "-5s", "5 days", "1.5s", "99999999999999999999s", "9223372036854775807h")) {
            bad(k, v, "a duration such as 500ms, 30s, 5m or 2h");
        }
    }

    @Test
    void pathsExpandALeadingTildeSlashToTheHomeDirectory() {
        ConfigKey<Path> k = ConfigKey.path("secret-dir", null, "d");
        assertEquals(Path.of(System.getProperty("user.home"), "d"), k.parse("~/d", ORIGIN));
        assertEquals(Path.of("/d"), k.parse(" /d ", ORIGIN));
        assertEquals(Path.of("~d"), k.parse("~d", ORIGIN), "only ~/ means home");
        bad(k, "a\0b", "a file system path");
    }

    @Test
    void listsAreCommaSeparatedTrimmedAndSkipBlankEntries() {
        ConfigKey<List<String>> k = ConfigKey.list("hosts", null, "d");
        assertEquals(List.of("a", "b", "c"), k.parse(" a, b,,c ,", ORIGIN));
        assertEquals(List.of(), k.parse("", ORIGIN));
    }

    @Test
    void theDefaultIsParsedByTheSameParserAndABadDefaultIsRefusedAtDeclaration() {
        assertEquals(Duration.ofSeconds(120), ConfigKey.duration("start-timeout", "120s", "d").defaultValue());
        assertEquals("120s", ConfigKey.duration("start-timeout", "120s", "d").defaultText());
        assertEquals(List.of("x", "y"), ConfigKey.list("l", "x,y", "d").defaultValue());
        assertThrows(ConfigurationException.class, () -> ConfigKey.integer("n", "many", "d"));
    }

    @Test
    void aComputedDefaultIsDocumentedButNotParsedAndRequiredMarksTheKey() {
        ConfigKey<Integer> workers = ConfigKey.integer("jparallel.workers", null, "how many").documentedDefault("number of cores");
        assertEquals("number of cores", workers.defaultText());
        assertNull(workers.defaultValue());
        assertFalse(workers.isRequired());
        ConfigKey<List<String>> hosts = ConfigKey.list("hosts", null, "the hosts").required();
        assertTrue(hosts.isRequired());
        assertEquals("hosts", hosts.name());
        assertEquals("the hosts", hosts.description());
        assertEquals("other words", hosts.withDescription("other words").description());
    }

    @Test
    void aValueReadUnderAnotherNameIsReportedUnderThatName() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ConfigKey.integer("slots", null, "d").parse("jparallel.group.big.slots", "x", ORIGIN));
        assertEquals("Bad value for jparallel.group.big.slots (" + ORIGIN + "): 'x'; expected a whole number, e.g. 4.",
                e.getMessage());
    }
}
