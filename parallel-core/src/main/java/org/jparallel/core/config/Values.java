package org.jparallel.core.config;

import java.time.Duration;
import org.jparallel.ConfigurationException;
import org.jparallel.spi.ConfigKey;

/**
 * Checks and converts a configuration value that has no declared key of its own (a command-line
 * option, a group's key), by type, with the parsers of {@link ConfigKey} and its errors naming key and value.
 */
public final class Values {
    private Values() {
    }

    /**
     * @throws ConfigurationException when {@code value} is not of the type
     */
    static void check(String key, ConfigKey.Type type, String value, String origin) {
        switch (type) {
            case INT -> toInt(key, value, origin);
            case BOOLEAN -> toBoolean(key, value, origin);
            case DURATION -> toDuration(key, value, origin);
            case LIST -> ConfigKey.list(key, null, key).parse(value, origin);
            case PATH -> ConfigKey.path(key, null, key).parse(value, origin);
            default -> {
            }
        }
    }

    static int toInt(String key, String value, String origin) {
        return ConfigKey.integer(key, null, key).parse(value, origin);
    }

    static boolean toBoolean(String key, String value, String origin) {
        return ConfigKey.bool(key, null, key).parse(value, origin);
    }

    /**
     * @return the duration of {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, or a bare number of seconds
     */
    public static Duration toDuration(String key, String value, String origin) {
        return ConfigKey.duration(key, null, key).parse(value, origin);
    }
}
