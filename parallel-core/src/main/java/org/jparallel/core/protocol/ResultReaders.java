package org.jparallel.core.protocol;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether the program is reading results in this JVM: a reader waits for one now, or has asked for one and
 * not run out of results since. The manager's decoders then put a 32-512 KB result straight into a heap array
 * ({@link HeldPayload#allocate}), which the program takes at once, instead of holding it outside the heap and
 * copying it into an array when taken (one 100 KB copy and one direct buffer fewer per result). Results that
 * arrive while nobody reads (the program adds its next tasks after its iterator ran out) may wait long: those
 * are held outside the heap, where the collector does not copy them. A reader that stops early (an iterator
 * left unfinished) leaves results wanted; {@link HeldPayload#HEAP_BUDGET} bounds what then waits on the heap.
 * JVM-wide, like {@link HeldPayload}'s budgets. No clock: a result costs a volatile read here.
 */
public final class ResultReaders {
    private static final AtomicInteger WAITING = new AtomicInteger();
    private static volatile boolean reading;

    private ResultReaders() {
    }

    /** A reader of the program asks for a result (an iterator's {@code hasNext}). */
    public static void asked() {
        if (!reading) {
            reading = true;
        }
    }

    /** A reader found no result left to wait for (an iterator's end): results arriving from now on may wait. */
    public static void ranOut() {
        if (reading) {
            reading = false;
        }
    }

    /** A thread of the program starts waiting for a result (an iterator over results, a future). */
    public static void startWaiting() {
        WAITING.incrementAndGet();
    }

    /** The thread that called {@link #startWaiting} stops waiting: a result came, or it gave up. */
    public static void stopWaiting() {
        WAITING.decrementAndGet();
    }

    /** @return true while a reader waits, or asked for a result and did not run out since */
    public static boolean wanted() {
        return reading || WAITING.get() > 0;
    }

    /** Forgets the readers that asked, so that only a reader waiting now makes results wanted; for tests. */
    static void forgetRecentWaits() {
        reading = false;
    }
}
