package org.jparallel.spi;

import java.util.Objects;

/**
 * One configuration key a backend (or the core) understands, declared so the core can validate a
 * properties file before starting anything and print a reference of every key.
 *
 * @param name the key without the {@code jparallel.<backend>.} prefix, e.g. {@code java}
 * @param type the kind of value expected
 * @param defaultValue the value used when the key is absent, or {@code null} for none
 * @param required true when the key must be given
 * @param description one line saying what the key does
 */
public record ConfigKey(String name, Type type, String defaultValue, boolean required, String description) {

    /** The kinds of values a key takes. */
    public enum Type {
        /** Any text. */
        STRING,
        /** A whole number. */
        INT,
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** A duration such as {@code 30s}, {@code 5m}, {@code 500ms}. */
        DURATION,
        /** A comma-separated list. */
        LIST,
        /** A file system path. */
        PATH
    }

    /** Checks the declaration. */
    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
    }

    /** @return an optional key */
    public static ConfigKey optional(String name, Type type, String defaultValue, String description) {
        return new ConfigKey(name, type, defaultValue, false, description);
    }

    /** @return a required key */
    public static ConfigKey required(String name, Type type, String description) {
        return new ConfigKey(name, type, null, true, description);
    }
}
