package org.jparallel.core.config;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jparallel.spi.BackendSettings;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerBackend;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;

/**
 * Backends that exist only in the test sources, registered through a service file in a temp dir so
 * that {@link BackendRegistry#discover} finds exactly the ones a test names. They never start anything.
 */
public final class FakeBackends {
    private FakeBackends() {
    }

    /**
     * Writes {@code META-INF/services/org.jparallel.spi.WorkerBackend} naming {@code backends} under
     * {@code dir} and returns a class loader that sees it (its parent loads the classes).
     */
    static ClassLoader loaderFor(Path dir, Class<?>... backends) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        String lines = Arrays.stream(backends).map(Class::getName).collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(services.resolve(WorkerBackend.class.getName()), lines, StandardCharsets.UTF_8);
        try {
            return new URLClassLoader(new URL[] {dir.toUri().toURL()}, FakeBackends.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new IOException(e);
        }
    }

    /** @return the registry of the backends named, discovered through a service file under {@code dir} */
    static BackendRegistry registry(Path dir, Class<?>... backends) throws IOException {
        return BackendRegistry.discover(loaderFor(dir, backends));
    }

    /** A group that records what it was made from and refuses to start: these tests start nothing. */
    record RecordingGroup(String backendName, int size, Map<String, String> settings) implements WorkerGroup {
        @Override
        public List<WorkerHandle> start(LaunchSpec spec) {
            throw new UnsupportedOperationException("fake backends start nothing");
        }
    }

    /** Base of the fakes. */
    abstract static class Fake implements WorkerBackend {
        private final String name;
        private final List<ConfigKey<?>> keys;

        Fake(String name, List<ConfigKey<?>> keys) {
            this.name = name;
            this.keys = keys;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "fake backend " + name;
        }

        @Override
        public List<ConfigKey<?>> configKeys() {
            return keys;
        }

        @Override
        public WorkerGroup createGroup(int count, BackendSettings settings) {
            return new RecordingGroup(name, count, settings.values());
        }
    }

    /** {@code alpha}: one required key and one optional key of each checked type. */
    public static final class Alpha extends Fake {
        public Alpha() {
            super("alpha", List.of(
                    ConfigKey.string("queue", null, "the queue to submit to").required(),
                    ConfigKey.integer("slots", "1", "slots per worker"),
                    ConfigKey.bool("debug", "false", "more output"),
                    ConfigKey.duration("wait", "10s", "how long to wait | or not")));
        }
    }

    /** {@code beta}: one optional key. */
    public static final class Beta extends Fake {
        public Beta() {
            super("beta", List.of(ConfigKey.string("mode", "fast", "how to run")));
        }
    }

    /** A second backend calling itself {@code alpha}. */
    public static final class OtherAlpha extends Fake {
        public OtherAlpha() {
            super("alpha", List.of());
        }
    }
}
