package org.jparallel.core.protocol;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether the program is reading results in this JVM: a reader waits for one now, or asked for one within
 * the last {@link #RECENT_NANOS} and has not run out of results since. The manager's decoders then put a
 * 32-512 KB result straight into a heap array ({@link HeldPayload#allocate}), which the program takes at once,
 * instead of holding it outside the heap and copying it into an array when taken (one 100 KB copy and one
 * direct buffer fewer per result). Results that arrive while nobody reads (the program adds its tasks, or
 * does something else) may wait long: those are held outside the heap, where the collector does not copy
 * them. JVM-wide, like {@link HeldPayload}'s budgets.
 */
public final class ResultReaders {
    /** How long after a reader last asked for a result results still count as wanted at once. */
    static final long RECENT_NANOS = 20_000_000;
    private static final AtomicInteger WAITING = new AtomicInteger();
    private static volatile long lastAsked = System.nanoTime() - 2 * RECENT_NANOS;

    private ResultReaders() {
    }

    /** A reader of the program asks for a result (an iterator's {@code hasNext}). */
    public static void asked() {
        lastAsked = System.nanoTime();
    }

    /** A reader found no result left to wait for (an iterator's end): results arriving from now on may wait. */
    public static void ranOut() {
        forgetRecentWaits();
    }

    /** A thread of the program starts waiting for a result (an iterator over results, a future). */
    public static void startWaiting() {
        WAITING.incrementAndGet();
        lastAsked = System.nanoTime();
    }

    /** The thread that called {@link #startWaiting} stops waiting: a result came, or it gave up. */
    public static void stopWaiting() {
        lastAsked = System.nanoTime();
        WAITING.decrementAndGet();
    }

    /** @return true while a reader waits, or asked within the last {@link #RECENT_NANOS} and did not run out */
    public static boolean wanted() {
        return WAITING.get() > 0 || System.nanoTime() - lastAsked < RECENT_NANOS;
    }

    /** Forgets the last request, so that only a reader waiting now makes results wanted; for tests too. */
    static void forgetRecentWaits() {
        lastAsked = System.nanoTime() - 2 * RECENT_NANOS;
    }
}
