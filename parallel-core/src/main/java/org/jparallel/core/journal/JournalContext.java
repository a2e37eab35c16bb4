package org.jparallel.core.journal;

/**
 * One context's part of the journal: what an earlier run left for each key, and the records this run adds.
 * Thread-safe.
 */
public final class JournalContext {
    /** What the journal holds for a key an earlier run finished. */
    public sealed interface Replay permits Delivered, Result {
    }

    /** The key's result was delivered to the program by an earlier run: it yields nothing now. */
    public record Delivered() implements Replay {
    }

    /**
     * The key's result, journaled and not yet delivered.
     *
     * @param raw whether {@code bytes} are a returned {@code byte[]} as it came (else a payload)
     * @param bytes the result
     */
    public record Result(boolean raw, byte[] bytes) implements Replay {
    }

    private static final Delivered DELIVERED = new Delivered();

    private final JournalContents.ContextEntry entry;
    private final JournalWriter writer;
    private final DeliveryMarks marks;

    JournalContext(JournalContents.ContextEntry entry, JournalWriter writer, DeliveryMarks marks) {
        this.entry = entry;
        this.writer = writer;
        this.marks = marks;
    }

    /**
     * Takes what an earlier run left for a key (once: the journal forgets it here to free memory).
     *
     * @return the result, or {@link Delivered}, or {@code null} when the key must run
     */
    public Replay replay(String key) {
        synchronized (entry) {
            if (entry.delivered.remove(key)) {
                return DELIVERED;
            }
            JournalContents.Stored s = entry.results.remove(key);
            return s == null ? null : new Result(s.raw(), s.bytes());
        }
    }

    /**
     * Marks a key delivered because the program says it has its result: what an earlier run left for it is
     * dropped, a task added with it yields nothing, and the mark is journaled (once per key).
     */
    public void markDelivered(String key) {
        synchronized (entry) {
            entry.results.remove(key);
            entry.failures.remove(key);
            if (!entry.delivered.add(key)) {
                return;
            }
        }
        delivered(key);
    }

    /** Journals a task's result; {@code then} runs once it is written (on the journal's thread). */
    public void result(String key, boolean raw, byte[] bytes, Runnable then) {
        writer.append(() -> JournalFormat.result(entry.number, key, raw, bytes), then);
    }

    /** Journals a task's final failure; {@code then} runs once it is written. */
    public void failure(String key, String message, Runnable then) {
        writer.append(() -> JournalFormat.failure(entry.number, key, message), then);
    }

    /** Journals, at once (a store into memory mapped to the marks file), that a key's result was handed on. */
    public void delivered(String key) {
        marks.mark(JournalFormat.delivered(entry.number, key));
    }
}
