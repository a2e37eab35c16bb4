package org.jparallel.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.jparallel.spi.BackendSettings;
import org.jparallel.ConfigurationException;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.WorkerBackend;
import org.jparallel.spi.WorkerGroup;
import org.junit.jupiter.api.Test;

class SshBackendTest {

    @Test
    void foundByServiceLoaderUnderItsName() {
        List<String> names = ServiceLoader.load(WorkerBackend.class).stream().map(p -> p.get().name()).toList();
        assertTrue(names.contains("ssh"), names.toString());
    }

    @Test
    void declaresEveryKeyItReads() {
        Set<String> keys = new SshBackend().configKeys().stream().map(ConfigKey::name).collect(Collectors.toSet());
        assertEquals(Set.of("hosts", "user", "port", "identity", "passphrase-env", "known-hosts", "host-key", "java",
                "directory", "env-prefix", "classpath", "ship", "tunnel", "connect-timeout"), keys);
    }

    @Test
    void makesAGroupOfTheGivenSize() {
        WorkerGroup g = new SshBackend().createGroup(3, BackendSettings.of("ssh", Map.of("hosts", "a:2,b:1", "port", "2222", "host-key",
                "accept-new", "ship", "true", "tunnel", "true", "connect-timeout", "5s", "java", "/opt/jdk/bin/java")));
        assertEquals(3, g.size());
        assertEquals("ssh", g.backendName());
        SshSettings s = ((SshWorker) g).settings;
        assertEquals(2222, s.port);
        assertEquals(HostKeyPolicy.ACCEPT_NEW, s.hostKeyPolicy);
        assertTrue(s.ship && s.tunnel);
        assertEquals(5, s.connectTimeout.toSeconds());
        assertEquals("/opt/jdk/bin/java", s.javaCommand);
    }

    @Test
    void aGroupCanGrowUpToItsHostSlotsWhateverItsFirstSize() {
        // an allocating group is made with size 1, as a template: its room is its slots
        WorkerGroup g = new SshBackend().createGroup(1, BackendSettings.of("ssh", Map.of("hosts", "a:2,b:1")));
        assertTrue(g.canGrow());
        assertEquals(3, g.maxSize());
        assertEquals(0, ((SshWorker) g).slotsInUse(), "no slot taken before a start");
    }

    @Test
    void badValuesAreConfigurationErrors() {
        SshBackend b = new SshBackend();
        assertThrows(ConfigurationException.class, () -> b.createGroup(1, BackendSettings.of("ssh", Map.of())));
        assertThrows(ConfigurationException.class, () -> b.createGroup(1, BackendSettings.of("ssh", Map.of("hosts", "a", "host-key", "ask"))));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> b.createGroup(3, BackendSettings.of("ssh", Map.of("hosts", "a:2"))));
        assertTrue(e.getMessage().contains("2 slot"), e.getMessage());
    }
}
