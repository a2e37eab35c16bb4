package org.jparallel.spi;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a backend's {@link DoctorCheck}s know about the group they check: its name, the backend's
 * settings as {@link WorkerBackend#createGroup} would receive them, how the user writes a key (so a
 * fix names the key to set), the manager's worker java command, and the PATH to look commands up in.
 * Made by {@code jparallel doctor}; tests make their own.
 */
public final class DoctorContext {
    private final BackendSettings settings;
    private final String workerJava;
    private final String path;

    /**
     * @param settings the group's settings, as {@link WorkerBackend#createGroup} would receive them
     * @param workerJava the manager's command starting a worker JVM ({@code jparallel.worker.java}, or its own java)
     * @param path the PATH commands are looked up in
     */
    public DoctorContext(BackendSettings settings, String workerJava, String path) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.workerJava = Objects.requireNonNull(workerJava, "workerJava");
        this.path = path == null ? "" : path;
    }

    /** @return the backend's name */
    public String backend() {
        return settings.backend();
    }

    /** @return the group's name */
    public String group() {
        return settings.group();
    }

    /** @return the group's settings, as {@link WorkerBackend#createGroup} gets them; read with {@code get(KEY)} */
    public BackendSettings settings() {
        return settings;
    }

    /**
     * @param key a key of the backend
     * @return the key as the user writes it for this group, e.g. {@code jparallel.sge.qsub}, or for a named
     *     group {@code jparallel.group.big.qsub (or jparallel.sge.qsub)}
     */
    public String key(ConfigKey<?> key) {
        String shared = "jparallel." + backend() + "." + key.name();
        return group().equals(BackendSettings.DEFAULT_GROUP) ? shared
                : settings.keyName(key) + " (or " + shared + ")";
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
