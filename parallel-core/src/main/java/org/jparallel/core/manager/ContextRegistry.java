package org.jparallel.core.manager;

import io.netty.util.concurrent.EventExecutor;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jparallel.JournalSettings;
import org.jparallel.core.journal.Journal;
import org.jparallel.core.journal.JournalContext;
import org.jparallel.core.journal.JournalLock;
import org.jparallel.core.journal.SetupIdentity;

/**
 * The names of a manager's open contexts, unique in it, and its result journal, if any, which knows contexts by
 * those names: hands each new context its part of the journal and counts the tasks ended from it.
 */
final class ContextRegistry implements AutoCloseable {
    /** A context's name and its part of the journal ({@code null} without a journal). */
    record Claim(String name, JournalContext journal) {
    }

    private final Set<String> names = ConcurrentHashMap.newKeySet();
    private final Journal journal;
    private final AtomicLong fromJournal = new AtomicLong();

    /**
     * @param settings the journal to open, or {@code null} for none
     * @param lock its lock, taken ({@code null} without a journal); the journal releases it
     */
    ContextRegistry(JournalSettings settings, JournalLock lock) {
        this.journal = settings == null ? null : Journal.open(settings, lock);
    }

    /** Lets the journal hand results on once per loop round and wake readers once per batch it writes. */
    void attach(EventExecutor loop, ReaderWakeups wakeups) {
        if (journal != null) {
            journal.batchWakeups(wakeups::deferOn, wakeups::flushDeferred);
            journal.batchOn(loop);
        }
    }

    /**
     * Reserves a new context's name and finds its part of the journal.
     *
     * @param given the name the program gave, or {@code null} for {@code #id}
     * @throws IllegalArgumentException when the name is taken or not allowed
     * @throws IllegalStateException when the journal holds the context with another setup
     */
    Claim claim(String given, int id, Object setup) {
        if (given != null && (given.isBlank() || given.startsWith("#"))) {
            throw new IllegalArgumentException("a context's name must not be blank nor start with '#' (unnamed"
                    + " contexts are #1, #2, ...), got '" + given + "'");
        }
        String name = given != null ? given : "#" + id;
        if (!names.add(name)) {
            throw new IllegalArgumentException("this manager already has a context named '" + name
                    + "': a context's name is unique in its manager (a journal finds its results by it)");
        }
        try {
            return new Claim(name, journal == null ? null : journal.context(name, SetupIdentity.of(setup)));
        } catch (RuntimeException e) {
            names.remove(name);
            throw e;
        }
    }

    /** Frees a closed context's name. */
    void release(String name) {
        names.remove(name);
    }

    /** @return whether journaled results are still on their way to their contexts (see {@link Journal#handingOn}) */
    boolean journalHandingOn() {
        return journal != null && journal.handingOn();
    }

    /** Counts a keyed task ended from the journal. */
    void countFromJournal() {
        fromJournal.incrementAndGet();
    }

    /** @return tasks ended from the journal so far */
    long fromJournal() {
        return fromJournal.get();
    }

    /** @return the journal's file, or {@code null} without one */
    Path journalFile() {
        return journal == null ? null : journal.file();
    }

    /** @return {@code false} once the journal's close gave up waiting for its disk (see {@link Journal#close}) */
    boolean journalDiskAnswered() {
        return journal == null || journal.diskAnswered();
    }

    /** Writes what the journal holds queued, forces it to disk and closes it. */
    @Override
    public void close() {
        if (journal != null) {
            journal.close();
        }
    }
}
