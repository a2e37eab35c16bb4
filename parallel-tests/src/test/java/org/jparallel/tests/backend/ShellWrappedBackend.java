package org.jparallel.tests.backend;

import java.util.List;
import org.jparallel.spi.BackendSettings;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.WorkerBackend;
import org.jparallel.spi.WorkerGroup;

/**
 * A backend that lives only in this test module and that the core has never heard of: it is found
 * through {@code META-INF/services/org.jparallel.spi.WorkerBackend} in the test resources, is
 * configured with {@code jparallel.backend=shellwrapped} and {@code jparallel.shellwrapped.*}, and
 * uses nothing but the public SPI ({@code org.jparallel.spi}) and the JDK.
 *
 * <p>Each worker is started through {@code /bin/sh -c 'exec "$0" "$@"' java ...}, as a real
 * backend would go through a wrapper (ssh, qsub, a container runtime), with the secret in the
 * environment. The key {@code marker} reaches the worker JVM as {@code -Djparallel.test.marker},
 * so a task can prove the key went through validation, the core and the backend.
 */
public final class ShellWrappedBackend implements WorkerBackend {
    /** The name configuration uses. */
    public static final String NAME = "shellwrapped";
    /** The system property of the worker JVM that carries {@code marker}. */
    public static final String MARKER_PROPERTY = "jparallel.test.marker";

    private static final ConfigKey<String> MARKER = ConfigKey.string("marker", null,
            "text passed to each worker JVM as -D" + MARKER_PROPERTY);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "test-only: worker JVMs on this machine, each started through /bin/sh";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(MARKER);
    }

    @Override
    public WorkerGroup createGroup(int count, BackendSettings settings) {
        return new ShellWrappedGroup(count, settings.get(MARKER));
    }
}
