package org.jparallel.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.jparallel.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourceTest {
    /** A class loader with no jparallel.properties on it (not even the JDK's: no parent). */
    private static final ClassLoader EMPTY = new URLClassLoader(new URL[0], null);

    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void explicitFileIsReadWithValuesTrimmedAndItsPathAsOrigin() throws IOException {
        Path f = file("my.properties", "jparallel.workers = 2  \njparallel.backend=local\n# comment\n");
        ConfigSource s = ConfigSource.load(f, new Properties(), Map.of(), List.of(), EMPTY);
        assertEquals(Map.of("jparallel.workers", "2", "jparallel.backend", "local"), s.values());
        String where = "in " + f.toAbsolutePath();
        assertEquals(where, s.origins().get("jparallel.workers"));
        assertEquals(where, s.origins().get("jparallel.backend"));
        assertEquals(f.toAbsolutePath().toString(), s.file());
        assertTrue(s.foundFile());
    }

    @Test
    void fileNamedByTheSystemPropertyJparallelConfig() throws IOException {
        Path f = file("named.properties", "jparallel.workers=3\n");
        Properties system = new Properties();
        system.setProperty("jparallel.config", f.toString());
        ConfigSource s = ConfigSource.load(null, system, Map.of(), List.of(), EMPTY);
        assertEquals("3", s.values().get("jparallel.workers"));
        assertEquals(f.toAbsolutePath().toString(), s.file());
        assertFalse(s.values().containsKey("jparallel.config"), "jparallel.config is not a key: " + s.values());
    }

    @Test
    void anExplicitFileWinsOverJparallelConfig() throws IOException {
        Path explicit = file("explicit.properties", "jparallel.workers=1\n");
        Path named = file("named.properties", "jparallel.workers=9\n");
        Properties system = new Properties();
        system.setProperty("jparallel.config", named.toString());
        ConfigSource s = ConfigSource.load(explicit, system, Map.of(), List.of(), EMPTY);
        assertEquals("1", s.values().get("jparallel.workers"));
        assertEquals(explicit.toAbsolutePath().toString(), s.file());
    }

    @Test
    void aSystemPropertyOverridesTheFile() throws IOException {
        Path f = file("p.properties", "jparallel.workers=2\njparallel.backend=local\n");
        Properties system = new Properties();
        system.setProperty("jparallel.workers", "5");
        system.setProperty("java.version", "not a jparallel key, ignored");
        ConfigSource s = ConfigSource.load(f, system, Map.of(), List.of(), EMPTY);
        assertEquals("5", s.values().get("jparallel.workers"));
        assertEquals("system property -Djparallel.workers", s.origins().get("jparallel.workers"));
        assertEquals("in " + f.toAbsolutePath(), s.origins().get("jparallel.backend"));
        assertFalse(s.values().containsKey("java.version"));
    }

    @Test
    void anEnvironmentVariableOverridesBothFileAndSystemProperty() throws IOException {
        Path f = file("p.properties", "jparallel.workers=2\n");
        Properties system = new Properties();
        system.setProperty("jparallel.workers", "5");
        ConfigSource s = ConfigSource.load(f, system, Map.of("JPARALLEL_WORKERS", "7"), List.of(), EMPTY);
        assertEquals("7", s.values().get("jparallel.workers"));
        assertEquals("environment variable JPARALLEL_WORKERS", s.origins().get("jparallel.workers"));
    }

    @Test
    void anEnvironmentVariableSetsACandidateKeyAbsentFromTheFile() throws IOException {
        Path f = file("p.properties", "jparallel.workers=2\n");
        ConfigSource s = ConfigSource.load(f, new Properties(),
                Map.of("JPARALLEL_MANAGER_HEARTBEAT_TIMEOUT", "7s", "JPARALLEL_UNRELATED", "x"),
                List.of("jparallel.manager.heartbeat-timeout"), EMPTY);
        assertEquals("7s", s.values().get("jparallel.manager.heartbeat-timeout"));
        assertEquals("environment variable JPARALLEL_MANAGER_HEARTBEAT_TIMEOUT",
                s.origins().get("jparallel.manager.heartbeat-timeout"));
        assertEquals(2, s.values().size(), "only candidates and keys present are looked up: " + s.values());
    }

    @Test
    void environmentNamesAreUpperCaseWithDotsAndDashesAsUnderscores() {
        assertEquals("JPARALLEL_WORKERS", ConfigSource.envName("jparallel.workers"));
        assertEquals("JPARALLEL_MANAGER_HEARTBEAT_TIMEOUT", ConfigSource.envName("jparallel.manager.heartbeat-timeout"));
        assertEquals("JPARALLEL_GROUP_A_WORKERS", ConfigSource.envName("jparallel.group.a.workers"));
        assertEquals("JPARALLEL_LOCAL_JVM_OPTIONS", ConfigSource.envName("jparallel.local.jvm-options"));
    }

    @Test
    void aMissingExplicitFileIsAnErrorNamingThePath() {
        Path missing = dir.resolve("nope/jparallel.properties");
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ConfigSource.load(missing, new Properties(), Map.of(), List.of(), EMPTY));
        assertTrue(e.getMessage().contains(missing.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void aMissingFileNamedByJparallelConfigIsAnErrorSayingSo() {
        Path missing = dir.resolve("gone.properties");
        Properties system = new Properties();
        system.setProperty("jparallel.config", missing.toString());
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ConfigSource.load(null, system, Map.of(), List.of(), EMPTY));
        assertTrue(e.getMessage().contains(missing.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("-Djparallel.config"), e.getMessage());
    }

    @Test
    void aDirectoryIsNotAPropertiesFile() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ConfigSource.load(dir, new Properties(), Map.of(), List.of(), EMPTY));
        assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());
    }

    @Test
    void noFileAnywhereGivesNoPropertiesFileAndStillAppliesOverrides() {
        assumeFalse(Files.exists(Path.of(ConfigSource.FILE_NAME)),
                "the working directory has a jparallel.properties; this test needs one without");
        Properties system = new Properties();
        system.setProperty("jparallel.backend", "local");
        ConfigSource s = ConfigSource.load(null, system, Map.of("JPARALLEL_WORKERS", "3"),
                List.of("jparallel.workers"), EMPTY);
        assertEquals("no properties file: none given (--config of the jparallel command) or named by"
                + " -Djparallel.config, no " + Path.of(ConfigSource.FILE_NAME).toAbsolutePath() + ", none on the"
                + " classpath; the defaults (and any -Djparallel.* / JPARALLEL_* values) apply",
                s.file(), "says where it looked, so that a misnamed file is found, and that the overrides still apply");
        assertFalse(s.foundFile());
        assertEquals(Map.of("jparallel.backend", "local", "jparallel.workers", "3"), s.values());
    }

    @Test
    void theFileIsFoundOnTheClasspath() throws IOException {
        assumeFalse(Files.exists(Path.of(ConfigSource.FILE_NAME)),
                "the working directory has a jparallel.properties; this test needs one without");
        Path root = Files.createDirectories(dir.resolve("cp"));
        Files.writeString(root.resolve(ConfigSource.FILE_NAME), "jparallel.workers=6\n", StandardCharsets.UTF_8);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
            ConfigSource s = ConfigSource.load(null, new Properties(), Map.of(), List.of(), loader);
            assertEquals("6", s.values().get("jparallel.workers"));
            assertTrue(s.file().startsWith("file:") && s.file().endsWith(ConfigSource.FILE_NAME), s.file());
            assertEquals("in " + s.file(), s.origins().get("jparallel.workers"));
        }
    }
}
