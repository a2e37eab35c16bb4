package org.jparallel.spi;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The settings {@link WorkerBackend#createGroup} receives, read the way every backend reads them: a
 * value is trimmed, and a blank one counts as absent (so an empty key keeps the default). It exists so
 * each backend maps its keys onto its setters in one line a key.
 *
 * <pre>{@code
 * BackendSettings s = new BackendSettings(settings);
 * s.ifSet("partition", options::partition);
 * }</pre>
 */
public final class BackendSettings {
    private final Map<String, String> settings;

    /** @param settings the backend's keys without prefix, with their values; {@code null} for none */
    public BackendSettings(Map<String, String> settings) {
        this.settings = settings;
    }

    /** @return the trimmed value of a key, or {@code null} when it is absent or blank */
    public String value(String key) {
        String v = settings == null ? null : settings.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /**
     * Hands the value of a key to {@code setter} when it is set (see {@link #value}).
     *
     * @param key the key without prefix
     * @param setter what takes the value
     */
    public void ifSet(String key, Consumer<String> setter) {
        String v = value(key);
        if (v != null) {
            setter.accept(v);
        }
    }

    /** @return the path, with a leading {@code ~/} meaning the user's home directory */
    public static Path homePath(String path) {
        return Path.of(path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path);
    }
}
