package org.jparallel.core.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jparallel.ConfigurationException;
import org.jparallel.spi.ConfigKey;

/** Checks and converts configuration values by their declared type, with errors naming key and value. */
public final class Values {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    private Values() {
    }

    /**
     * @throws ConfigurationException when {@code value} is not of the key's type
     */
    static void check(String key, ConfigKey.Type type, String value, String origin) {
        switch (type) {
            case INT -> toInt(key, value, origin);
            case BOOLEAN -> toBoolean(key, value, origin);
            case DURATION -> toDuration(key, value, origin);
            default -> {
            }
        }
    }

    static int toInt(String key, String value, String origin) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw bad(key, value, origin, "a whole number, e.g. 4");
        }
    }

    static boolean toBoolean(String key, String value, String origin) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw bad(key, value, origin, "true or false");
    }

    /**
     * @return the duration of {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, or a bare number of seconds
     */
    public static Duration toDuration(String key, String value, String origin) {
        Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw bad(key, value, origin, "a duration such as 500ms, 30s, 5m or 2h");
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        try {
            long n = Long.parseLong(m.group(1));
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        } catch (ArithmeticException | NumberFormatException e) { // too large for a long or a Duration
            throw bad(key, value, origin, "a duration such as 500ms, 30s, 5m or 2h");
        }
    }

    private static ConfigurationException bad(String key, String value, String origin, String expected) {
        return new ConfigurationException("Bad value for " + key + " (" + origin + "): '" + value + "'; expected "
                + expected + ".");
    }
}
