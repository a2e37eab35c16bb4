package org.jparallel.spi;

import java.io.IOException;
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
 * secret}, mode 0600), the job script, and the exit code each worker's job writes when the worker
 * ends ({@code exit.ID}). It must be at the same path on the compute hosts (a shared home directory).
 * Deleted when every worker of the submission has been stopped: a task that starts later finds no
 * secret and exits. Shared by the scheduler backends (Grid Engine, Slurm, and yours).
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
        spec.writeSecretFile(run.secretFile());
        return run;
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
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot delete " + dir + ": " + e);
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
