package org.jparallel.spi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Deletes the {@link RunDirectory run directories} that managers killed with kill -9 left behind (their scripts,
 * job outputs and, above all, their secret files), and only those: a directory is deleted when its manager is
 * certainly dead ({@link RunOwner#certainlyDead}: never one of another host, boot or pid namespace, nor one whose
 * owner is unknown) and none of the jobs submitted for it is still queued or running, as this backend's scheduler
 * says (a worker of the dead manager may still run, waiting to return to a restarted one; a held task may be
 * released). A directory with jobs of another backend, or whose jobs cannot be asked about now, is kept.
 *
 * <p>Done once per directory of run directories and JVM, on a daemon thread, by the first start of a batch group:
 * it never delays a submission, and a failure is logged, never thrown.
 */
public final class RunDirectorySweep {
    /** The file of a run directory that lists its jobs, one {@code BACKEND JOB} line each. */
    static final String JOBS = "jobs";
    private static final System.Logger LOG = System.getLogger(RunDirectorySweep.class.getName());
    private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();

    /** Asks the scheduler about jobs. */
    @FunctionalInterface
    public interface Jobs {
        /**
         * @param jobIds jobs (at least one)
         * @return those of them with a task still queued, running or held: not ended
         * @throws IOException when the scheduler cannot be asked (nothing is then deleted for their sake)
         */
        Set<String> unended(Collection<String> jobIds) throws IOException;
    }

    private RunDirectorySweep() {
    }

    /**
     * Sweeps {@code parent} on a daemon thread, the first time this JVM asks for it.
     *
     * @param parent where a backend's run directories go (its secret directory)
     * @param backend the backend's name, as its run directories record their jobs
     * @param jobs asks the backend's scheduler about jobs
     */
    public static void startOnce(Path parent, String backend, Jobs jobs) {
        if (!SWEPT.add(parent.toAbsolutePath().normalize())) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                sweep(parent, backend, RunOwner.current(), RunOwner.Processes.system(), jobs);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not look for run directories left under " + parent
                        + ": " + e);
            }
        }, "jparallel-run-sweep");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Deletes the run directories under {@code parent} left by managers certainly dead whose jobs have all ended.
     *
     * @param parent where the run directories are
     * @param backend the backend's name: a directory with jobs of another is kept
     * @param here this process ({@link RunOwner#current()})
     * @param processes the processes running here
     * @param jobs asks the scheduler about jobs
     * @return the directories deleted
     */
    public static List<Path> sweep(Path parent, String backend, RunOwner here, RunOwner.Processes processes,
            Jobs jobs) {
        Map<Path, Set<String>> dead = new LinkedHashMap<>(); // each dead manager's directory, with its jobs
        for (Path dir : runDirectories(parent)) {
            String ownerText = read(dir.resolve(RunOwner.FILE));
            Optional<RunOwner> owner = ownerText == null ? Optional.empty() : RunOwner.parse(ownerText);
            if (owner.isEmpty() || !owner.get().certainlyDead(here, processes)) {
                continue;
            }
            Set<String> ids = jobsOf(dir, backend);
            if (ids != null) {
                dead.put(dir, ids);
            }
        }
        Set<String> all = new HashSet<>();
        dead.values().forEach(all::addAll);
        Set<String> unended;
        try {
            unended = all.isEmpty() ? Set.of() : jobs.unended(all);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot ask about the jobs of dead managers' run directories under "
                    + parent + ": " + e);
            unended = null;
        }
        List<Path> deleted = new ArrayList<>();
        for (Map.Entry<Path, Set<String>> e : dead.entrySet()) {
            boolean jobsGone = e.getValue().isEmpty() || (unended != null && e.getValue().stream().noneMatch(unended::contains));
            if (jobsGone) {
                RunDirectory.existing(e.getKey()).delete();
                deleted.add(e.getKey());
            }
        }
        if (!deleted.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "deleted " + deleted.size() + " run director" + (deleted.size() == 1
                    ? "y" : "ies") + " under " + parent + " left by managers no longer running (their jobs ended)");
        }
        return deleted;
    }

    /** @return the run directories under {@code parent}, not following links; none when it cannot be listed */
    private static List<Path> runDirectories(Path parent) {
        try (Stream<Path> children = Files.list(parent)) {
            return children.filter(p -> p.getFileName().toString().startsWith("run-")
                    && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** @return the ids of the jobs a directory records, or {@code null} when one is another backend's or unreadable */
    private static Set<String> jobsOf(Path dir, String backend) {
        String text = read(dir.resolve(JOBS));
        if (text == null) {
            return null;
        }
        Set<String> ids = new HashSet<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int sp = line.indexOf(' ');
            if (sp <= 0 || !line.substring(0, sp).equals(backend)) {
                return null;
            }
            ids.add(line.substring(sp + 1).strip());
        }
        return ids;
    }

    /** @return a file's text; empty when it is missing, {@code null} when it cannot be read */
    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
