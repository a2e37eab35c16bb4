package org.jparallel.spi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The private directory (mode 0700) of one batch-scheduler submission: the run's secret ({@code
 * secret}, mode 0600), the job script, the exit code each worker's job writes when the worker
 * ends ({@code exit.ID}), the manager it belongs to ({@code owner}, a {@link RunOwner}) and the jobs
 * submitted for it ({@code jobs}, one {@code BACKEND JOB} line each). It must be at the same path on the
 * compute hosts (a shared home directory). Deleted when every worker of the submission has been stopped:
 * a task that starts later finds no secret and exits. One its manager left (a kill -9) is deleted by a later
 * manager once that one is certainly dead and its jobs have left the queue ({@link RunDirectorySweep}).
 * Shared by the scheduler backends (Grid Engine, Slurm, and yours).
 */
public final class RunDirectory {
    private static final System.Logger LOG = System.getLogger(RunDirectory.class.getName());
    private static final String PRIVATE_DIR = "rwx------";

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /**
     * Makes a fresh directory under {@code parent} (made with mode 0700 when missing) and writes the secret.
     *
     * @param parent where run directories go
     * @param spec whose secret to write
     * @return the new directory
     * @throws IOException when it cannot
     */
    public static RunDirectory create(Path parent, LaunchSpec spec) throws IOException {
        if (!Files.isDirectory(parent)) {
            try {
                Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString(PRIVATE_DIR)));
            } catch (FileAlreadyExistsException e) {
                // made meanwhile by another group
            }
        }
        Path dir = Files.createTempDirectory(parent, "run-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(PRIVATE_DIR)));
        RunDirectory run = new RunDirectory(dir);
        try { // first: a directory without its owner is never deleted by another manager
            Files.writeString(dir.resolve(RunOwner.FILE), RunOwner.current().text(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot write the owner of " + dir + ": " + e);
        }
        spec.writeSecretFile(run.secretFile());
        return run;
    }

    /**
     * Records a job submitted for this directory, so that a later manager keeps it while the job is queued or
     * running, even once this manager is gone. Never throws.
     *
     * @param backend the backend's name, e.g. {@code slurm}: only that backend can ask about the job
     * @param jobId the job's id, as its status command takes it
     */
    public void recordJob(String backend, String jobId) {
        try {
            Files.writeString(dir.resolve(RunDirectorySweep.JOBS), backend + " " + jobId + "\n",
                    StandardCharsets.US_ASCII, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot record job " + jobId + " in " + dir + ": " + e);
        }
    }

    /** @return a run directory that exists already, e.g. one a dead manager left */
    static RunDirectory existing(Path dir) {
        return new RunDirectory(dir);
    }

    /** @return the directory */
    public Path path() {
        return dir;
    }

    /** @return the secret file */
    public Path secretFile() {
        return dir.resolve("secret");
    }

    /** @return the prefix of the exit code files; the job appends the worker id */
    public Path exitFilePrefix() {
        return dir.resolve("exit.");
    }

    /** @return the file the job of worker {@code id} writes the worker's exit code to */
    public Path exitFile(int id) {
        return dir.resolve("exit." + id);
    }

    /** @return the exit code worker {@code id}'s job recorded, if it did */
    public Optional<Integer> exitCode(int id) {
        try {
            String s = Files.readString(exitFile(id), StandardCharsets.US_ASCII).strip();
            return s.isEmpty() ? Optional.empty() : Optional.of(Integer.parseInt(s));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes a file only the owner may read, write and run.
     *
     * @param name the file name
     * @param text its content
     * @return the file
     * @throws IOException when it cannot be written
     */
    public Path writeScript(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(PRIVATE_DIR));
        return f;
    }

    /** Deletes the directory and everything in it; never throws. */
    public void delete() {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.DEBUG, "cannot delete " + p + ": " + e);
                }
            });
        } catch (IOException | UncheckedIOException e) { // the walk's, e.g. a file another sweep deleted meanwhile
            LOG.log(System.Logger.Level.DEBUG, "cannot delete " + dir + ": " + e);
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
