package org.jparallel.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jparallel.ConfigurationException;
import org.jparallel.spi.WorkerBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendRegistryTest {
    @TempDir
    Path dir;

    @Test
    void backendsAreFoundThroughTheServiceFileAndIndexedByName() throws IOException {
        BackendRegistry r = FakeBackends.registry(dir, FakeBackends.Beta.class, FakeBackends.Alpha.class);
        assertEquals(2, r.all().size());
        assertEquals("[alpha, beta]", r.all().stream().map(WorkerBackend::name).toList().toString(), "sorted by name");
        assertTrue(r.has("alpha"));
        assertFalse(r.has("sge"));
        WorkerBackend a = r.get("alpha", "jparallel.backend=alpha");
        assertTrue(a instanceof FakeBackends.Alpha);
        assertSame(a, r.get("alpha", "again"));
    }

    @Test
    void nothingOnTheClasspathFindsNoBackends() {
        BackendRegistry r = BackendRegistry.discover(new URLClassLoader(new URL[0], null));
        assertTrue(r.all().isEmpty());
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> r.get("ssh", "jparallel.backend=ssh"));
        assertTrue(e.getMessage().contains("Backends found: none"), e.getMessage());
        assertTrue(e.getMessage().contains("org.jparallel:backend-ssh"), e.getMessage());
    }

    @Test
    void twoBackendsWithOneNameAreAnErrorNamingBothClassesAndWhereTheyAre() throws IOException {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> FakeBackends.registry(dir, FakeBackends.Alpha.class, FakeBackends.OtherAlpha.class));
        String m = e.getMessage();
        assertTrue(m.contains("Two backends are named 'alpha'"), m);
        assertTrue(m.contains(FakeBackends.Alpha.class.getName()), m);
        assertTrue(m.contains(FakeBackends.OtherAlpha.class.getName()), m);
        String location = FakeBackends.Alpha.class.getProtectionDomain().getCodeSource().getLocation().toString();
        assertTrue(m.contains(" from " + location), m);
    }

    @Test
    void theSameProviderListedTwiceIsNotADuplicate() throws IOException {
        BackendRegistry r = FakeBackends.registry(dir, FakeBackends.Alpha.class, FakeBackends.Alpha.class);
        assertEquals(1, r.all().size());
    }

    @Test
    void aServiceFileNamingAMissingClassIsAConfigurationError() throws IOException {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(WorkerBackend.class.getName()), "org.example.NoSuchBackend\n",
                StandardCharsets.UTF_8);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> BackendRegistry.discover(loader));
            assertTrue(e.getMessage().contains("org.example.NoSuchBackend"), e.getMessage());
        }
    }
}
