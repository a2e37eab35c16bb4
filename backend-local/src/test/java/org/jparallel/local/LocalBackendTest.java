package org.jparallel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.jparallel.spi.BackendSettings;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerBackend;
import org.junit.jupiter.api.Test;

class LocalBackendTest {
    private static final LaunchSpec SPEC = new LaunchSpec(List.of(1), "java", List.of("-Xss1m"), "cp", "Main",
            null, 5000, List.of(), "s3cret", "worker%d.output");

    @Test
    void foundByServiceLoader() {
        List<WorkerBackend> found = ServiceLoader.load(WorkerBackend.class).stream()
                .map(ServiceLoader.Provider::get).filter(b -> b.name().equals("local")).collect(Collectors.toList());
        assertEquals(1, found.size());
        assertTrue(found.get(0) instanceof LocalBackend);
        assertTrue(!found.get(0).description().isBlank());
    }

    @Test
    void declaresItsKeys() {
        Map<String, ConfigKey<?>> keys = new LocalBackend().configKeys().stream()
                .collect(Collectors.toMap(ConfigKey::name, k -> k));
        assertEquals(List.of("class-sharing", "class-sharing-cache", "classpath", "directory", "host", "java",
                "jvm-options", "output", "slots", "starts-at-once"), keys.keySet().stream().sorted().collect(Collectors.toList()));
        assertEquals(ConfigKey.Type.BOOLEAN, keys.get("class-sharing").type());
        assertEquals(true, keys.get("class-sharing").defaultValue(), "on unless switched off");
        assertEquals(ConfigKey.Type.PATH, keys.get("class-sharing-cache").type());
        assertEquals(null, keys.get("output").defaultValue(), "unset falls back to the manager-wide jparallel.worker.output");
        assertEquals(ConfigKey.Type.PATH, keys.get("directory").type());
        assertTrue(keys.values().stream().noneMatch(ConfigKey::isRequired));
    }

    @Test
    void createGroupAppliesSettings() {
        LocalWorker w = (LocalWorker) new LocalBackend().createGroup(3, BackendSettings.of("local", Map.of(
                "java", "/opt/env.sh java", "jvm-options", "-Xmx2g '-Dname=a b'", "host", "node7",
                "output", "/tmp/x/w%d.out", "classpath", "lib/*")));
        assertEquals(3, w.size());
        assertEquals(List.of("/opt/env.sh", "java", "-Xmx2g", "-Dname=a b", "-cp", "lib/*", "Main",
                "--connect", "node7:5000", "--id", "1", "--secret-stdin-once"),
                w.commandLine(SPEC, 1));
        assertEquals("/tmp/x/w1.out", w.applyTo(SPEC).outputFile(1).toString());
    }

    @Test
    void classSharingSettingsReachTheGroup() {
        LocalWorker w = (LocalWorker) new LocalBackend().createGroup(1, BackendSettings.of("local", Map.of(
                "class-sharing", "false", "class-sharing-cache", "/tmp/jp-cds")));
        assertEquals(false, w.classSharing());
        assertEquals(java.nio.file.Path.of("/tmp/jp-cds"), w.classSharingCache());
        LocalWorker byDefault = (LocalWorker) new LocalBackend().createGroup(1, BackendSettings.of("local", Map.of()));
        assertEquals(true, byDefault.classSharing());
        assertEquals(null, byDefault.classSharingCache());
    }

    @Test
    void startsAtOnceIsTheMachinesCoresUnlessSetAndZeroMeansAllAtOnce() {
        LocalWorker byDefault = (LocalWorker) new LocalBackend().createGroup(4, BackendSettings.of("local", Map.of()));
        assertEquals(Runtime.getRuntime().availableProcessors(), byDefault.startsAtOnce());
        LocalWorker set = (LocalWorker) new LocalBackend().createGroup(4, BackendSettings.of("local",
                Map.of("starts-at-once", "0")));
        assertEquals(0, set.startsAtOnce(), "0: every worker at once");
        assertEquals(3, new LocalWorker(4).startsAtOnce(3).startsAtOnce());
        assertThrows(IllegalArgumentException.class, () -> new LocalWorker(4).startsAtOnce(-1));
    }

    @Test
    void blankSettingsFallBackToTheSpec() {
        LocalWorker w = (LocalWorker) new LocalBackend().createGroup(1, BackendSettings.of("local", Map.of("java", "", "jvm-options", " ")));
        assertEquals(SPEC.commandLine(1, true, "--secret-stdin-once"), w.commandLine(SPEC, 1));
        assertThrows(IllegalArgumentException.class, () -> new LocalBackend().createGroup(0, BackendSettings.of("local", Map.of())));
    }
}
