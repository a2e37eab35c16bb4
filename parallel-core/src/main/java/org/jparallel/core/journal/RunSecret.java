package org.jparallel.core.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.jparallel.JournalMode;
import org.jparallel.JournalSettings;
import org.jparallel.core.protocol.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's secret kept beside its journal, in {@code FILE.secret} (mode 0600), so that a manager restarted with
 * the same journal holds the secret its predecessor's workers know, and they can return to it. Written when the
 * journal is created (or started afresh); read back when the journal is resumed. A manager that closes normally
 * (its workers told to shut down) marks the file {@link #CLOSED}, so the next run expects no worker back.
 *
 * @param secret the run's secret
 * @param workersMayReturn whether it was read back from a previous run that did not close normally: that run's
 *     workers may come back
 */
public record RunSecret(Secret secret, boolean workersMayReturn) {
    /** The second line of a secret file whose manager closed normally. */
    static final String CLOSED = "closed";
    private static final Logger LOG = LoggerFactory.getLogger(RunSecret.class);

    /** @return the file beside {@code journal} that keeps the run's secret */
    public static Path fileFor(Path journal) {
        return journal.resolveSibling(journal.getFileName() + ".secret");
    }

    /**
     * Reads the secret kept beside a journal that will be resumed, or makes a fresh one and keeps it there.
     * Call before the journal is opened (which creates it).
     *
     * @throws IllegalStateException when the secret file cannot be read or written, or holds no secret
     */
    public static RunSecret beside(JournalSettings journal) {
        Path file = fileFor(journal.file());
        try {
            boolean resuming = journal.mode() == JournalMode.RESUME && Files.exists(journal.file())
                    && Files.size(journal.file()) > 0;
            if (resuming && Files.exists(file)) {
                java.util.List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
                Secret s = parse(file, lines.isEmpty() ? "" : lines.get(0));
                boolean closed = lines.size() > 1 && lines.get(1).trim().equals(CLOSED);
                write(file, s); // without the mark: this run's workers may come back if it dies
                return new RunSecret(s, !closed);
            }
            if (resuming) {
                LOG.warn("the journal {} is resumed but its secret file {} is missing: a new secret is made, so the "
                        + "previous run's workers cannot return to this manager", journal.file(), file);
            }
            Secret s = Secret.generate();
            write(file, s);
            return new RunSecret(s, false);
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep the run's secret in " + file + " (beside the journal): "
                    + e.getMessage(), e);
        }
    }

    /**
     * Marks the secret file of a manager that closed normally: its workers were told to shut down, so the next run
     * waits for none. Failures are logged: the mark only saves the next run its grace period.
     */
    public static void markClosed(Path journal) {
        Path file = fileFor(journal);
        try {
            Files.writeString(file, CLOSED + "\n", StandardCharsets.US_ASCII, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warn("could not mark {} closed: {}; the next run waits the death timeout for workers that will not "
                    + "return", file, e.toString());
        }
    }

    private static Secret parse(Path file, String text) {
        try {
            return Secret.fromText(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the secret file " + file + " beside the journal holds no secret ("
                    + e.getMessage() + "); delete it to start with a new secret (the previous run's workers "
                    + "then cannot return)", e);
        }
    }

    /** Writes the secret to a temporary file made with mode 0600, then moves it into place. */
    private static void write(Path file, Secret s) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) { // not a POSIX file system
            tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        }
        Files.writeString(tmp, s.text() + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
