package org.jparallel.local;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jparallel.spi.LaunchSpec;

/**
 * The environment local workers start with: the manager's, without a run's secret (a manager started as a
 * worker's task may carry one), with the changes a test makes (workers have no public setting of their own).
 * One place, so that the JVM options read from it ({@link EnvironmentOptions}) are those the workers get.
 */
final class WorkerEnvironment {
    /** Variables set over the manager's environment; a {@code null} value removes one. */
    private final Map<String, String> changes = new LinkedHashMap<>();

    /** @param value the value, or {@code null} to remove the variable */
    void set(String name, String value) {
        changes.put(Objects.requireNonNull(name, "name"), value);
    }

    /** @return the workers' environment */
    Map<String, String> toMap() {
        Map<String, String> env = new HashMap<>(System.getenv());
        applyTo(env);
        return env;
    }

    /** Makes a copy of the manager's environment (a {@link ProcessBuilder}'s) the workers'. */
    void applyTo(Map<String, String> env) {
        env.remove(LaunchSpec.SECRET_ENV);
        changes.forEach((name, value) -> {
            if (value == null) {
                env.remove(name);
            } else {
                env.put(name, value);
            }
        });
    }
}
