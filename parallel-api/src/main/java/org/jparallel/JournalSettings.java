package org.jparallel;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a manager keeps its result journal and how it opens it; see {@link ManagerBuilder#journal}.
 *
 * @param file the journal file
 * @param mode resume from an existing journal, or start afresh
 * @param identity the program's name, written in the journal's header: a journal of another identity is refused
 *     (unless {@code mode} is {@link JournalMode#FRESH}); {@code null} for the main class of this JVM
 */
public record JournalSettings(Path file, JournalMode mode, String identity) {

    /** Checks the values and fills the identity. */
    public JournalSettings {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(mode, "mode");
        if (identity == null || identity.isBlank()) {
            identity = mainClass();
        }
    }

    /** @return the main class (or jar) this JVM was started with, or {@code "unknown"} */
    static String mainClass() {
        String command = System.getProperty("sun.java.command", "");
        String first = command.isBlank() ? "" : command.trim().split("\\s+")[0];
        return first.isEmpty() ? "unknown" : first;
    }
}
