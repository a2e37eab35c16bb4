package org.jparallel.spi;

import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The typed view of one worker group's configuration that {@link WorkerBackend#createGroup} receives:
 * a backend reads each of its {@link ConfigKey}s with {@link #get} and gets the parsed value. A value
 * is trimmed and a blank one counts as absent (so an empty key keeps the default); a bad value's
 * error names the key as the user writes it ({@link #keyName}), the value and where it came from.
 *
 * <pre>{@code
 * static final ConfigKey<String> PARTITION = ConfigKey.string("partition", null, "the partition");
 * settings.ifSet(PARTITION, options::partition);
 * Duration wait = settings.get(WAIT);
 * }</pre>
 */
public final class BackendSettings {
    /** The name of the one group of a configuration without {@code jparallel.groups}. */
    public static final String DEFAULT_GROUP = "default";

    private final String backend;
    private final String group;
    private final Map<String, String> values;
    private final Map<String, String> origins;
    private final java.time.Duration walltime;

    /**
     * @param backend the backend's name, e.g. {@code sge}
     * @param group the group's name ({@link #DEFAULT_GROUP} when the configuration has no groups)
     * @param values the backend's keys that were set, without prefix, with their values
     * @param origins where each value came from, by key without prefix (missing ones: "given")
     */
    public BackendSettings(String backend, String group, Map<String, String> values, Map<String, String> origins) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.group = Objects.requireNonNull(group, "group");
        this.values = Map.copyOf(values);
        this.origins = Map.copyOf(origins);
        this.walltime = null;
    }

    private BackendSettings(BackendSettings s, java.time.Duration walltime) {
        this.backend = s.backend;
        this.group = s.group;
        this.values = s.values;
        this.origins = s.origins;
        this.walltime = walltime;
    }

    /**
     * @param walltime how long each of the group's jobs may run ({@code jparallel.alloc.walltime}), or
     *     {@code null} for what the backend's own settings say
     * @return a copy with it
     */
    public BackendSettings withWalltime(java.time.Duration walltime) {
        if (walltime != null && (walltime.isNegative() || walltime.isZero())) {
            throw new IllegalArgumentException("a walltime must be positive, got " + walltime);
        }
        return new BackendSettings(this, walltime);
    }

    /**
     * @return the walltime the group's jobs ask for per submission ({@code jparallel.alloc.walltime}),
     *     which a batch backend turns into its scheduler's option; {@code null} when not set
     */
    public java.time.Duration walltime() {
        return walltime;
    }

    /**
     * @param backend the backend's name
     * @param values the backend's keys without prefix, with their values, e.g. from code or a test
     * @return the settings of the default group
     */
    public static BackendSettings of(String backend, Map<String, String> values) {
        return new BackendSettings(backend, DEFAULT_GROUP, values, Map.of());
    }

    /**
     * @return the parsed value of the key when it is set (not blank), else its parsed default, else {@code null}
     * @throws org.jparallel.ConfigurationException when the value is not of the key's type, naming {@link #keyName}
     */
    public <T> T get(ConfigKey<T> key) {
        String v = text(key);
        return v == null ? key.defaultValue() : key.parse(keyName(key), v, origins.getOrDefault(key.name(), "given"));
    }

    /** Hands the parsed value of a key to {@code setter} when it is set (not blank); its default is left alone. */
    public <T> void ifSet(ConfigKey<T> key, Consumer<? super T> setter) {
        if (isSet(key)) {
            setter.accept(get(key));
        }
    }

    /** @return true when the key was given a value that is not blank */
    public boolean isSet(ConfigKey<?> key) {
        return text(key) != null;
    }

    /**
     * @return the key as the user writes it: {@code jparallel.<backend>.<name>}, or for a named group
     *     {@code jparallel.group.<group>.<name>}
     */
    public String keyName(ConfigKey<?> key) {
        return group.equals(DEFAULT_GROUP) ? "jparallel." + backend + "." + key.name()
                : "jparallel.group." + group + "." + key.name();
    }

    /** @return the backend's name */
    public String backend() {
        return backend;
    }

    /** @return the group's name */
    public String group() {
        return group;
    }

    /** @return the keys that were set, without prefix, with their untrimmed values */
    public Map<String, String> values() {
        return values;
    }

    private String text(ConfigKey<?> key) {
        String v = values.get(key.name());
        return v == null || v.isBlank() ? null : v.trim();
    }
}
