package org.jparallel.spi;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a backend's {@link DoctorCheck}s know about the group they check: its name, the backend's
 * settings as {@link WorkerBackend#createGroup} would receive them, how the user writes a key (so a
 * fix names the key to set), the manager's worker java command, and the PATH to look commands up in.
 * Made by {@code jparallel doctor}; tests make their own.
 */
public final class DoctorContext {
    private final String backend;
    private final String group;
    private final Map<String, String> settings;
    private final List<ConfigKey> keys;
    private final String workerJava;
    private final String path;

    /**
     * @param backend the backend's name, e.g. {@code sge}
     * @param group the group's name ({@code default} when the configuration has no groups)
     * @param settings the backend's keys that were set, without prefix
     * @param keys the keys the backend declares (for their defaults)
     * @param workerJava the manager's command starting a worker JVM ({@code jparallel.worker.java}, or its own java)
     * @param path the PATH commands are looked up in
     */
    public DoctorContext(String backend, String group, Map<String, String> settings, List<ConfigKey> keys,
                         String workerJava, String path) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.group = Objects.requireNonNull(group, "group");
        this.settings = Map.copyOf(settings);
        this.keys = List.copyOf(keys);
        this.workerJava = Objects.requireNonNull(workerJava, "workerJava");
        this.path = path == null ? "" : path;
    }

    /** @return the backend's name */
    public String backend() {
        return backend;
    }

    /** @return the group's name */
    public String group() {
        return group;
    }

    /** @return the backend's keys that were set, without prefix, as {@link WorkerBackend#createGroup} gets them */
    public Map<String, String> settings() {
        return settings;
    }

    /** @return the trimmed value of a key, else its declared default, else {@code null} */
    public String value(String name) {
        String v = new BackendSettings(settings).value(name);
        if (v != null) {
            return v;
        }
        return keys.stream().filter(k -> k.name().equals(name)).findFirst().map(ConfigKey::defaultValue).orElse(null);
    }

    /** @return true when the value of a key was given rather than defaulted */
    public boolean isSet(String name) {
        return new BackendSettings(settings).value(name) != null;
    }

    /**
     * @param name a key of the backend without prefix, e.g. {@code qsub}
     * @return the key as the user writes it for this group, e.g. {@code jparallel.sge.qsub}, or for a named
     *     group {@code jparallel.group.big.qsub (or jparallel.sge.qsub)}
     */
    public String key(String name) {
        String shared = "jparallel." + backend + "." + name;
        return group.equals("default") ? shared : "jparallel.group." + group + "." + name + " (or " + shared + ")";
    }

    /** @return the manager's command starting a worker JVM, for backends that start workers with it */
    public String workerJava() {
        return workerJava;
    }

    /** @return the PATH commands are looked up in */
    public String path() {
        return path;
    }

    /**
     * @param command a command name ({@code qsub}) or a path to it
     * @return the executable file it names, found on {@link #path()} when it has no {@code /}; {@code null} when none
     */
    public String findExecutable(String command) {
        if (command.contains("/")) {
            return isExecutable(Path.of(command)) ? command : null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, command);
            if (isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private static boolean isExecutable(Path p) {
        return Files.isExecutable(p) && !Files.isDirectory(p);
    }
}
