package org.jparallel;

/**
 * What a manager does with a journal file that already exists ({@link ManagerBuilder#journal(java.nio.file.Path,
 * JournalMode)}): resume from it, or start afresh.
 */
public enum JournalMode {
    /**
     * Keep the results already in the journal: keyed tasks already done are not run again. A journal of another
     * program, or one whose context had another setup, is refused with an {@link IllegalStateException}.
     */
    RESUME,
    /** Discard what the journal holds and start a new one at the same path. */
    FRESH
}
