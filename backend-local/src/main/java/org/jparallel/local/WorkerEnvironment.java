package org.jparallel.local;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jparallel.spi.LaunchSpec;

/**
 * The environment local workers start with: the manager's, without a run's secret (a manager started as a
 * worker's task may carry one), with the changes a test makes (workers have no public setting of their own).
 * One place, so that the JVM options read from it ({@link EnvironmentOptions}) are those the workers get. On
 * Windows a variable's name is case-insensitive ({@code java_tool_options} is {@code JAVA_TOOL_OPTIONS} to the
 * JVM), though a {@link ProcessBuilder#environment()} there is a case-sensitive map: names are looked up and
 * changed regardless of case there.
 */
final class WorkerEnvironment {
    private final boolean namesIgnoreCase;
    /** Variables set over the manager's environment, in the order set; a {@code null} value removes one. */
    private final Map<String, String> changes = new LinkedHashMap<>();

    /** The workers' environment on this platform. */
    WorkerEnvironment() {
        this(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows"));
    }

    /** @param namesIgnoreCase whether variable names are case-insensitive, as on Windows */
    WorkerEnvironment(boolean namesIgnoreCase) {
        this.namesIgnoreCase = namesIgnoreCase;
    }

    /** @param value the value, or {@code null} to remove the variable */
    void set(String name, String value) {
        remove(changes, Objects.requireNonNull(name, "name"));
        changes.put(name, value);
    }

    /** @return the workers' environment, its names case-insensitive where the platform's are */
    Map<String, String> toMap() {
        return toMap(System.getenv());
    }

    /** @return the environment of workers started by a manager with this one */
    Map<String, String> toMap(Map<String, String> manager) {
        Map<String, String> env = namesIgnoreCase ? new TreeMap<>(String.CASE_INSENSITIVE_ORDER) : new HashMap<>();
        env.putAll(manager);
        applyTo(env);
        return env;
    }

    /** Makes a copy of the manager's environment (a {@link ProcessBuilder}'s) the workers'. */
    void applyTo(Map<String, String> env) {
        remove(env, LaunchSpec.SECRET_ENV);
        changes.forEach((name, value) -> {
            remove(env, name);
            if (value != null) {
                env.put(name, value);
            }
        });
    }

    private void remove(Map<String, String> env, String name) {
        if (namesIgnoreCase) {
            env.keySet().removeIf(k -> k.equalsIgnoreCase(name));
        } else {
            env.remove(name);
        }
    }
}
