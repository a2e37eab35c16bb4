package org.jparallel.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.jparallel.ConfigurationException;
import org.jparallel.spi.ConfigKey;

/**
 * Finds and reads the properties file, then applies overrides. The file is the first of: an
 * explicit path, the file named by the system property {@code jparallel.config}, {@code
 * jparallel.properties} in the working directory, {@code jparallel.properties} on the classpath.
 * None is fine (defaults apply). Then each {@code jparallel.*} system property overrides its key,
 * and then each environment variable named after a key (upper case, {@code .} and {@code -} as
 * {@code _}, e.g. {@code JPARALLEL_WORKERS}) overrides it again.
 *
 * @param values every key and its value
 * @param origins where each value came from, for messages
 * @param file a description of the file read, or "no properties file: ..." ({@link #NO_FILE}) saying where none
 *     was found
 */
public record ConfigSource(Map<String, String> values, Map<String, String> origins, String file) {
    /** The file name looked for in the working directory and on the classpath. */
    public static final String FILE_NAME = "jparallel.properties";
    /** How {@link #file()} begins when no properties file was found. */
    public static final String NO_FILE = "no properties file";

    /**
     * @param explicit a path given by the caller, or {@code null}
     * @param system the system properties
     * @param env the environment
     * @param envCandidates the keys whose environment variables are looked up (keys from the file are added)
     * @param loader where to look for the file on the classpath
     * @return the values and their origins
     */
    public static ConfigSource load(Path explicit, Properties system, Map<String, String> env,
                                    Collection<String> envCandidates, ClassLoader loader) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        String file = readFile(explicit, system, loader, values, origins);
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith(CoreKeys.PREFIX) && !name.equals(CoreKeys.CONFIG_PROPERTY)) {
                values.put(name, system.getProperty(name).trim());
                origins.put(name, "system property -D" + name);
            }
        }
        java.util.Set<String> candidates = new java.util.LinkedHashSet<>(envCandidates);
        candidates.addAll(values.keySet());
        for (String key : candidates) {
            String var = envName(key);
            String v = env.get(var);
            if (v != null) {
                values.put(key, v.trim());
                origins.put(key, "environment variable " + var);
            }
        }
        return new ConfigSource(values, origins, file);
    }

    /**
     * @param key a core key, with its full name
     * @return its parsed value when set (not blank), else its parsed default, else {@code null}
     * @throws ConfigurationException when the value is not of the key's type
     */
    public <T> T get(ConfigKey<T> key) {
        String v = values.get(key.name());
        return v == null || v.isBlank() ? key.defaultValue() : key.parse(v, origins.get(key.name()));
    }

    /** Hands the parsed value of a core key to {@code setter} when it is set (not blank). */
    public <T> void ifSet(ConfigKey<T> key, Consumer<? super T> setter) {
        String v = values.get(key.name());
        if (v != null && !v.isBlank()) {
            setter.accept(key.parse(v, origins.get(key.name())));
        }
    }

    /** @return whether a properties file was read (else only the defaults and the overrides apply) */
    public boolean foundFile() {
        return !file.startsWith(NO_FILE);
    }

    /** @return the environment variable that overrides {@code key} */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String readFile(Path explicit, Properties system, ClassLoader loader,
                                   Map<String, String> values, Map<String, String> origins) {
        Path path = explicit;
        String how = "given";
        if (path == null && system.getProperty(CoreKeys.CONFIG_PROPERTY) != null) {
            path = Path.of(system.getProperty(CoreKeys.CONFIG_PROPERTY));
            how = "named by -D" + CoreKeys.CONFIG_PROPERTY;
        }
        if (path != null) {
            if (!Files.isRegularFile(path)) {
                throw new ConfigurationException("The properties file " + path.toAbsolutePath() + " (" + how
                        + ") does not exist or is not a file.");
            }
            try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                return put(r, "in " + path.toAbsolutePath(), values, origins);
            } catch (IOException e) {
                throw new ConfigurationException("Cannot read " + path.toAbsolutePath() + ": " + e.getMessage());
            }
        }
        Path local = Path.of(FILE_NAME);
        if (Files.isRegularFile(local)) {
            return readFile(local.toAbsolutePath(), new Properties(), loader, values, origins);
        }
        URL url = loader.getResource(FILE_NAME);
        if (url != null) {
            try (InputStream in = url.openStream();
                 Reader r = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
                return put(r, "in " + url, values, origins);
            } catch (IOException e) {
                throw new ConfigurationException("Cannot read " + url + ": " + e.getMessage());
            }
        }
        return NO_FILE + ": none given (--config of the jparallel command) or named by -D" + CoreKeys.CONFIG_PROPERTY
                + ", no " + local.toAbsolutePath() + ", none on the classpath; the defaults (and any -D"
                + CoreKeys.PREFIX + "* / JPARALLEL_* values) apply";
    }

    private static String put(Reader r, String origin, Map<String, String> values, Map<String, String> origins)
            throws IOException {
        Properties p = new Properties();
        p.load(r);
        for (String name : p.stringPropertyNames()) {
            values.put(name, p.getProperty(name).trim());
            origins.put(name, origin);
        }
        return origin.substring(3);
    }
}
