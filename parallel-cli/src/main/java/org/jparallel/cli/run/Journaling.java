package org.jparallel.cli.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jparallel.JournalMode;
import org.jparallel.ManagerBuilder;
import org.jparallel.core.journal.JournalReader;

/**
 * A run's journal: where it is (from {@code --journal} or the configuration's {@code jparallel.manager.journal}),
 * whether to discard it ({@code --fresh}), and the run's identity in its header, {@code jparallel run NAME}, NAME
 * being {@code --name} or the command line's command: a journal of another command is refused.
 *
 * @param file the command line's journal, or {@code null} for the configuration's (if any)
 * @param fresh whether an existing journal is discarded
 * @param name the run's name
 */
record Journaling(Path file, boolean fresh, String name) {
    /** @return what the journal's header names this run */
    String identity() {
        return "jparallel run " + name;
    }

    /**
     * Sets the builder's journal, if any.
     *
     * @param configured the configuration's journal file, or {@code null}
     * @return the journal file in use, or {@code null} for none
     */
    Path apply(ManagerBuilder b, Path configured) {
        Path f = file != null ? file : configured;
        if (f != null) {
            b.journal(f, fresh ? JournalMode.FRESH : JournalMode.RESUME).journalIdentity(identity());
        }
        return f;
    }

    /**
     * @param journal a journal file
     * @return the run its header names when that is not this run, else {@code null}
     */
    static String owner(Path journal, String identity) {
        try {
            if (journal == null || !Files.isRegularFile(journal)) {
                return null;
            }
            String owner = JournalReader.read(journal).identity();
            return owner.equals(identity) ? null : owner;
        } catch (IOException | RuntimeException e) {
            return null; // not a journal, or unreadable: the manager's own message says so
        }
    }
}
