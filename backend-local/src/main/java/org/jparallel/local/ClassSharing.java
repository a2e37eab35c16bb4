package org.jparallel.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jparallel.spi.LaunchSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Starts local workers with a class data sharing archive of their classes (AppCDS, JDK 13+), which
 * cuts the CPU time a fresh worker JVM spends before its first result: the classes of
 * jparallel, Netty, the logger and the user's tasks are mapped ready-parsed and verified instead of
 * being read from the jars one by one.
 *
 * <p>The archive is kept per configuration ({@link ArchiveKey}) in a per-user directory ({@link
 * ArchiveDirectory}). When it is absent, the first worker of a group lists the classes it loads ({@code
 * -XX:DumpLoadedClassList}, to a temporary name); once that process has ended, a JVM writes a static archive of
 * them ({@link ArchiveDump}), which is moved into place in one atomic rename (so a worker never maps a half
 * written file) under a name carrying its checksum (so a damaged one is never used either). A lock
 * file keeps two runs from writing the same archive at once. Only that first run pays anything, once:
 * the archive's writing (about a second) when its first worker has ended, which that run's {@code close()} waits
 * for. Every failure falls back to a plain start: an archive that is damaged or is no archive is deleted and written
 * again; a configuration whose archive the JVM fails to write is noted beside the archives ({@link #failedBefore})
 * and not tried again until its jars change.
 */
final class ClassSharing {
    private static final Logger LOG = LoggerFactory.getLogger(ClassSharing.class);
    /** The end of the name of the note a failed writing of a configuration's archive leaves beside the archives. */
    static final String FAILED_NOTE_SUFFIX = "archive-failed";
    /** How many archives the directory keeps (about 10 MB each); the least recently written go first. */
    static final int MAX_ARCHIVES = 8;
    private static final AtomicLong TEMP_SEQUENCE = new AtomicLong();
    /** Reasons already logged, so a reason is told once per manager JVM, not at every worker start. */
    private static final Set<String> TOLD = ConcurrentHashMap.newKeySet();

    private ClassSharing() {
    }

    /**
     * What one start of a group does about class sharing: the options of every worker, and for the
     * first one possibly the listing of its classes for the archive.
     *
     * @param useOptions the options that make a worker use the archive; empty when there is none
     * @param writer the writing of the archive of the classes the group's first worker lists, or {@code null}
     * @param classpath the classpath the workers start with to use the archive ({@link ClasspathOrder#reordered()}),
     *     or {@code null} for the spec's own
     * @param training the writing of the archive of the classes a training JVM's worker lists ({@link
     *     ArchiveTraining}), or {@code null}
     */
    record Plan(List<String> useOptions, Writer writer, String classpath, Training training) {
        /** No class sharing. */
        static final Plan NONE = new Plan(List.of(), null, null, null);

        /** @return the extra JVM options of the group's {@code index}-th worker (from 0) */
        List<String> optionsFor(int index) {
            return index == 0 && writer != null ? writer.jvmOptions() : useOptions;
        }

        /** @return the writer when the {@code index}-th worker writes the archive, else {@code null} */
        Writer writerFor(int index) {
            return index == 0 ? writer : null;
        }
    }

    /**
     * The writing of an archive by a training JVM, for a classpath holding directories.
     *
     * @param writer who holds the lock and moves the archive into place
     * @param classpath the training JVM's classpath: the jars alone ({@link ClasspathOrder#jars()})
     * @param tls whether the workers' manager runs TLS (the training's manager then does too: a TLS worker loads
     *     three times the classes)
     */
    record Training(Writer writer, String classpath, boolean tls) {
    }

    /** @return whether the spec's manager runs TLS: its secret text then carries the certificate's fingerprint */
    static boolean tls(LaunchSpec spec) {
        return spec.secretText().contains("~");
    }

    /**
     * Decides how the workers of a spec start. Cheap when the archive exists (file attributes, and
     * its checksum once per manager JVM); otherwise reads the jars' manifests before choosing a writer,
     * unless {@code checks} has read them for this configuration already.
     *
     * @param spec the group's spec, its settings applied
     * @param env the options the workers' JVM reads from its environment: they count as its options (the
     *     archive is kept per the options the JVM sees, and one there may choose class sharing)
     * @param directory where the archives are kept, or {@code null} for {@link ArchiveDirectory#defaultLocation()}
     * @param checks the group's manifest checks made so far
     * @param process the workers' environment and working directory, where the archive is written
     * @return the plan; {@link Plan#NONE} when class sharing does not apply or anything fails
     */
    static Plan plan(LaunchSpec spec, EnvironmentOptions env, Path directory, ClasspathChecks checks,
                     WorkerProcess process) {
        try {
            return planOrThrow(spec, env, directory, checks, process);
        } catch (ArchiveKey.Unsupported | IOException | RuntimeException e) {
            tellOnce(offReason(e), offLevel(e));
        }
        return Plan.NONE;
    }

    /** @return the line telling why class sharing is off for a group's workers */
    static String offReason(Exception e) {
        // the class name tells nothing more of our own exceptions; it does of the JDK's (NoSuchFileException: path)
        boolean ours = e instanceof ArchiveKey.Unsupported || e instanceof ArchiveDirectory.Unsafe
                || e.getClass() == IOException.class;
        return "class data sharing is off for these local workers: "
                + (ours && e.getMessage() != null ? e.getMessage() : e.toString());
    }

    /**
     * @return the level of {@link #offReason(Exception)}'s line: a warning when the archive directory is refused
     *     as unsafe (a security refusal the user should fix), else info
     */
    static Level offLevel(Exception e) {
        return e instanceof ArchiveDirectory.Unsafe ? Level.WARN : Level.INFO;
    }

    private static Plan planOrThrow(LaunchSpec spec, EnvironmentOptions env, Path directory, ClasspathChecks checks,
                                    WorkerProcess process) throws ArchiveKey.Unsupported, IOException {
        List<String> java = LaunchSpec.splitWords(spec.javaCommand());
        List<String> options = env.around(spec.jvmOptions());
        ArchiveKey.checkConfiguration(java, options); // the cheap refusals before the classpath is read
        // a classpath with directories: the archive holds the jars' classes, and the workers run with the jars first
        ClasspathOrder order = checks.order(spec.classpath());
        String archived = order == null ? spec.classpath() : order.jars();
        ArchiveKey key = ArchiveKey.of(java, options, archived, tls(spec));
        ArchiveDirectory dir = ArchiveDirectory.open(directory != null ? directory : ArchiveDirectory.defaultLocation());
        if (dir.path().toString().contains(File.pathSeparator)) {
            // -XX:SharedArchiveFile=A:B means two archives to the JVM
            throw new ArchiveKey.Unsupported("the archive directory " + dir.path() + " has a " + File.pathSeparator
                    + " in its path");
        }
        Path archive = dir.find(key);
        if (archive != null) {
            if (order != null) {
                checks.checkOrder(dir, key, order);
            }
            LOG.debug("local workers start with the class data sharing archive {}", archive);
            return new Plan(List.of("-XX:SharedArchiveFile=" + archive), null,
                    order == null ? null : order.reordered(), null);
        }
        String agent = order == null ? null : ArchiveTraining.agentOption(options);
        if (agent != null) {
            throw new ArchiveKey.Unsupported("a training JVM would run the workers' option " + agent
                    + " too (a debugger's port, an agent); no archive is trained with it");
        }
        Path failed = failedBefore(dir, key);
        if (failed != null) {
            throw new ArchiveKey.Unsupported("the writing of their archive failed before (" + failed
                    + " says how; delete it to try again)");
        }
        checks.check(key, archived); // the manifests before the order: the order's check opens every jar
        if (order != null) {
            checks.checkOrder(dir, key, order);
        }
        Writer writer = Writer.claim(dir, key,
                new ArchiveDump.Launch(java.get(0), options, archived, spec.mainClass(), process));
        if (writer == null) {
            return Plan.NONE;
        }
        return order == null ? new Plan(List.of(), writer, null, null)
                : new Plan(List.of(), null, null, new Training(writer, order.jars(), tls(spec)));
    }

    /**
     * @param dir the archive directory
     * @param key a configuration
     * @return the note a failed writing of exactly this configuration's archive left, or {@code null} when there is none
     */
    static Path failedBefore(ArchiveDirectory dir, ArchiveKey key) {
        Path note = dir.path().resolve(key.familyPrefix() + FAILED_NOTE_SUFFIX);
        try {
            List<String> lines = Files.readAllLines(note, StandardCharsets.UTF_8);
            return !lines.isEmpty() && lines.get(0).equals(key.exact()) ? note : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void tellOnce(String reason, Level level) {
        if (TOLD.add(reason)) {
            LOG.atLevel(level).log("{}", reason);
        } else {
            LOG.debug("{}", reason);
        }
    }

    /**
     * The writing of one archive: holds the lock file while a worker lists the classes it loads, and once it has
     * ended writes the archive of them and moves it into place.
     */
    static final class Writer {
        private final ArchiveDirectory dir;
        private final ArchiveKey key;
        private final Path lock;
        private final Path temp;
        private final Path classList;
        private final ArchiveDump.Launch launch;
        private final AtomicBoolean done = new AtomicBoolean();

        private Writer(ArchiveDirectory dir, ArchiveKey key, Path lock, Path temp, ArchiveDump.Launch launch) {
            this.dir = dir;
            this.key = key;
            this.lock = lock;
            this.temp = temp;
            this.classList = withSuffix(temp, ".classlist.tmp");
            this.launch = launch;
        }

        /** @return {@code NAME.PID-N.tmp} as {@code NAME.PID-N<suffix>}: still matched by the lock's clean-up */
        private static Path withSuffix(Path temp, String suffix) {
            String name = temp.getFileName().toString();
            return temp.resolveSibling(name.substring(0, name.length() - ".tmp".length()) + suffix);
        }

        /**
         * @return a writer holding the lock of the key's archive, or {@code null} when another live
         *     process holds it (that run writes the archive)
         */
        static Writer claim(ArchiveDirectory dir, ArchiveKey key, ArchiveDump.Launch launch) throws IOException {
            Path lock = dir.path().resolve(key.baseName() + ".lock");
            String me = Long.toString(ProcessHandle.current().pid());
            for (int attempt = 0; attempt < 2; attempt++) {
                try {
                    Files.writeString(Files.createFile(lock), me, StandardCharsets.US_ASCII);
                    Path temp = dir.path().resolve(key.baseName() + "." + me + "-" + TEMP_SEQUENCE.incrementAndGet()
                            + ".tmp");
                    return new Writer(dir, key, lock, temp, launch);
                } catch (FileAlreadyExistsException e) {
                    if (holderAlive(lock)) {
                        LOG.debug("another process is writing {}; these workers start without it", key.baseName());
                        return null;
                    }
                    LOG.debug("removing the stale lock {} and what its writer left", lock);
                    try (DirectoryStream<Path> left = Files.newDirectoryStream(dir.path(), key.baseName() + ".*.tmp")) {
                        for (Path f : left) {
                            Files.deleteIfExists(f);
                        }
                    }
                    Files.deleteIfExists(lock);
                }
            }
            return null;
        }

        private static boolean holderAlive(Path lock) {
            try {
                String pid = Files.readString(lock, StandardCharsets.US_ASCII).trim();
                if (pid.isEmpty()) {
                    // just created by another process that has not yet written its pid
                    return true;
                }
                return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
            } catch (NoSuchFileException e) {
                return false;
            } catch (IOException | NumberFormatException e) {
                return false;
            }
        }

        /** @return the options that make the worker list the classes it loads */
        List<String> jvmOptions() {
            return List.of("-XX:DumpLoadedClassList=" + classList);
        }

        /** @return where the archive is written before it is moved into place */
        Path temporaryFile() {
            return temp;
        }

        /** @return where the worker lists the classes it loads */
        Path classListFile() {
            return classList;
        }

        /** Gives up without a worker (it could not be started). */
        void abandon() {
            if (done.compareAndSet(false, true)) {
                cleanUp();
            }
        }

        /**
         * Called once the worker has ended: writes the archive of the classes it listed, moves it into place and
         * removes older archives of the same family; a JVM refusing to write or map it leaves the configuration's note
         * (not a failure that may pass: a JVM that could not start, ran out of time or was killed). Runs once; later
         * calls do nothing.
         *
         * @param exitCode the worker's exit code (its list serves whatever its exit, once it names what a worker that
         *     sent a result loads; cut at its last whole line when it was killed)
         * @return true when this call moved an archive into place
         */
        boolean finish(int exitCode) {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            boolean installed = false;
            try {
                ArchiveDump.Failure failed = ArchiveDump.write(launch, classList, temp, withSuffix(temp, ".log.tmp"));
                if (failed != null && failed.lasting()) {
                    noteFailure(failed.reason());
                    return false;
                } else if (failed != null) {
                    LOG.debug("no class data sharing archive {} this time (the worker's exit code {}): {}",
                            key.baseName(), exitCode, failed.reason());
                    return false;
                }
                Path archive = dir.install(temp, key);
                removeOlderArchives(archive);
                dir.trim(MAX_ARCHIVES, archive);
                installed = true;
                LOG.info("wrote the class data sharing archive {} ({} MB): later local workers start from it",
                        archive, Files.size(archive) >> 20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.debug("interrupted while writing the class data sharing archive {}", key.baseName());
            } catch (IOException | RuntimeException e) {
                LOG.warn("could not keep the class data sharing archive {}: {}", key.baseName(), e.toString());
            } finally {
                cleanUp();
            }
            return installed;
        }

        /**
         * Leaves the note that keeps this configuration from being tried again until its jars change, and says so.
         *
         * @param what what failed, with the JVM's last lines
         */
        void noteFailure(String what) {
            Path note = dir.path().resolve(key.familyPrefix() + FAILED_NOTE_SUFFIX);
            try {
                Files.writeString(note, key.exact() + "\n" + what + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                LOG.debug("cannot write {}: {}", note, e.toString());
            }
            LOG.info("local workers start without a class data sharing archive until their jars change or {} is"
                    + " deleted: {}", note, what);
        }

        private void removeOlderArchives(Path keep) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.path(), key.familyPrefix() + "*.jsa")) {
                for (Path f : files) {
                    if (!f.getFileName().equals(keep.getFileName())) {
                        Files.deleteIfExists(f);
                        LOG.debug("removed the outdated archive {}", f);
                    }
                }
            } catch (IOException e) {
                LOG.debug("could not remove outdated archives: {}", e.toString());
            }
        }

        private void cleanUp() {
            for (Path f : List.of(temp, classList)) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    LOG.debug("could not delete {}: {}", f, e.toString());
                }
            }
            try {
                Files.deleteIfExists(lock);
            } catch (IOException e) {
                LOG.debug("could not delete {}: {}", lock, e.toString());
            }
        }
    }
}
