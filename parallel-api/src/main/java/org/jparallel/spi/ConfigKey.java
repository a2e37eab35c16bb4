package org.jparallel.spi;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jparallel.ConfigurationException;

/**
 * One configuration key a backend (or the core) understands, declared once as a typed constant: its
 * name, type, default and description, and the parser that turns its text into a value. The core
 * validates a properties file with it before starting anything and prints the key reference from it;
 * a backend reads the value with {@link BackendSettings#get(ConfigKey)}.
 *
 * <pre>{@code
 * static final ConfigKey<Duration> WAIT = ConfigKey.duration("wait", "10s", "how long to wait");
 * static final ConfigKey<List<String>> HOSTS = ConfigKey.list("hosts", null, "the hosts").required();
 * }</pre>
 *
 * <p>A default is written as text and parsed like a configured value; a default that is computed at
 * run time (the number of cores, the manager's java) is declared {@code null} with a {@link
 * #documentedDefault} for the reference. Immutable.
 *
 * @param <T> the type of the parsed value
 */
public final class ConfigKey<T> {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

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

    private final String name;
    private final Type type;
    private final String defaultText;
    private final T defaultValue;
    private final boolean required;
    private final String description;
    private final Function<String, T> parser;
    private final String expected;
    /** Whether it is a {@link #limit}: an int or {@code unlimited}. */
    private final boolean limit;

    private ConfigKey(String name, Type type, String defaultText, T defaultValue, boolean required, String description,
                      Function<String, T> parser, String expected, boolean limit) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.description = Objects.requireNonNull(description, "description");
        this.defaultText = defaultText;
        this.defaultValue = defaultValue;
        this.required = required;
        this.parser = parser;
        this.expected = expected;
        this.limit = limit;
    }

    /** What a {@link #limit} key takes, in the words of its error. */
    private static final String LIMIT_EXPECTED = "a whole number or unlimited, e.g. 4";

    private static <T> ConfigKey<T> declare(String name, Type type, String defaultText, String description,
                                            Function<String, T> parser, String expected) {
        return declare(name, type, defaultText, description, parser, expected, false);
    }

    private static <T> ConfigKey<T> declare(String name, Type type, String defaultText, String description,
                                            Function<String, T> parser, String expected, boolean limit) {
        ConfigKey<T> k = new ConfigKey<>(name, type, defaultText, null, false, description, parser, expected, limit);
        return defaultText == null ? k
                : new ConfigKey<>(name, type, defaultText, k.parse(defaultText, "its declared default"), false,
                        description, parser, expected, limit);
    }

    /** @return a key of any text (trimmed) */
    public static ConfigKey<String> string(String name, String defaultText, String description) {
        return declare(name, Type.STRING, defaultText, description, v -> v, "text");
    }

    /** @return a key of a whole number */
    public static ConfigKey<Integer> integer(String name, String defaultText, String description) {
        return declare(name, Type.INT, defaultText, description, Integer::valueOf, "a whole number, e.g. 4");
    }

    /**
     * @return a key of a whole number or {@code unlimited} (any case), which reads as {@link
     *     Integer#MAX_VALUE}: a limit that may be lifted
     */
    public static ConfigKey<Integer> limit(String name, String defaultText, String description) {
        return declare(name, Type.INT, defaultText, description, ConfigKey::toLimit, LIMIT_EXPECTED, true);
    }

    /** @return the type as a reference shows it: its name in lower case, {@code int or `unlimited`} for a limit */
    public String typeText() {
        return limit ? "int or `unlimited`" : type.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** @return a key of {@code true} or {@code false} (any case) */
    public static ConfigKey<Boolean> bool(String name, String defaultText, String description) {
        return declare(name, Type.BOOLEAN, defaultText, description, ConfigKey::toBoolean, "true or false");
    }

    /** @return a key of a duration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, or a bare number of seconds */
    public static ConfigKey<Duration> duration(String name, String defaultText, String description) {
        return declare(name, Type.DURATION, defaultText, description, ConfigKey::toDuration,
                "a duration such as 500ms, 30s, 5m or 2h");
    }

    /** @return a key of a file system path, a leading {@code ~/} meaning the user's home directory */
    public static ConfigKey<Path> path(String name, String defaultText, String description) {
        return declare(name, Type.PATH, defaultText, description, ConfigKey::toPath, "a file system path");
    }

    /** @return a key of a comma-separated list: its entries trimmed, blank ones skipped */
    public static ConfigKey<List<String>> list(String name, String defaultText, String description) {
        return declare(name, Type.LIST, defaultText, description, ConfigKey::toList, "a comma-separated list");
    }

    /**
     * @param text what the reference shows as the default of a key whose default is computed at run
     *     time, e.g. {@code number of cores}
     * @return this key with that documented default (its parsed default stays {@code null})
     */
    public ConfigKey<T> documentedDefault(String text) {
        return new ConfigKey<>(name, type, text, null, required, description, parser, expected, limit);
    }

    /**
     * @param text the description, e.g. worded for one scheduler where a shared key is declared generally
     * @return this key with that description
     */
    public ConfigKey<T> withDescription(String text) {
        return new ConfigKey<>(name, type, defaultText, defaultValue, required, text, parser, expected, limit);
    }

    /** @return this key, marked as one that must be given */
    public ConfigKey<T> required() {
        return new ConfigKey<>(name, type, defaultText, defaultValue, true, description, parser, expected, limit);
    }

    /** @return the name: without the {@code jparallel.<backend>.} prefix for a backend key, full for a core key */
    public String name() {
        return name;
    }

    /** @return the kind of value, as the reference names it */
    public Type type() {
        return type;
    }

    /** @return one line saying what the key does */
    public String description() {
        return description;
    }

    /** @return the default as the reference shows it, or {@code null} for none */
    public String defaultText() {
        return defaultText;
    }

    /** @return the parsed default, or {@code null} when there is none or it is computed at run time */
    public T defaultValue() {
        return defaultValue;
    }

    /** @return true when the key must be given */
    public boolean isRequired() {
        return required;
    }

    /**
     * @param value the text of the value
     * @param origin where it came from, e.g. {@code in /home/me/jparallel.properties}
     * @return the value
     * @throws ConfigurationException naming this key, the value, its origin and what is expected
     */
    public T parse(String value, String origin) {
        return parse(name, value, origin);
    }

    /**
     * @param key the key as the user wrote it, e.g. {@code jparallel.group.big.qsub}, for the message
     * @param value the text of the value
     * @param origin where it came from
     * @return the value
     * @throws ConfigurationException naming {@code key}, the value, its origin and what is expected
     */
    public T parse(String key, String value, String origin) {
        Objects.requireNonNull(value, "value");
        try {
            return parser.apply(value.trim());
        } catch (IllegalArgumentException e) { // NumberFormatException, InvalidPathException ...
            throw new ConfigurationException("Bad value for " + key + " (" + origin + "): '" + value + "'; expected "
                    + expected + ".");
        }
    }

    @Override
    public String toString() {
        return name + " (" + type.name().toLowerCase(Locale.ROOT) + ")";
    }

    private static Integer toLimit(String v) {
        return v.trim().equalsIgnoreCase("unlimited") ? Integer.MAX_VALUE : Integer.valueOf(v.trim());
    }

    private static Boolean toBoolean(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.valueOf(s);
        }
        throw new IllegalArgumentException(v);
    }

    private static Duration toDuration(String v) {
        Matcher m = DURATION.matcher(v.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(v);
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
        } catch (ArithmeticException e) { // too large for a Duration
            throw new IllegalArgumentException(v, e);
        }
    }

    private static Path toPath(String v) {
        try {
            return Path.of(v.startsWith("~/") ? System.getProperty("user.home") + v.substring(1) : v);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(v, e);
        }
    }

    private static List<String> toList(String v) {
        List<String> out = new ArrayList<>();
        for (String p : v.split(",")) {
            if (!p.isBlank()) {
                out.add(p.trim());
            }
        }
        return List.copyOf(out);
    }
}
