package org.jparallel.core.protocol;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether the program is waiting for results in this JVM now, or was a moment ago ({@link #RECENT_NANOS}):
 * the manager's decoders then put a 32-512 KB result straight into a heap array ({@link HeldPayload#allocate}),
 * which the program takes at once, instead of holding it outside the heap and copying it into an array when
 * taken (one 100 KB copy and one direct buffer fewer per result). A program that is not waiting, or has not
 * been for a while, may leave results unread for long: those are held outside the heap, where the collector
 * does not copy them. JVM-wide, like {@link HeldPayload}'s budgets.
 */
public final class ResultReaders {
    /** How long after a reader last waited results still count as wanted at once: a reader drains its results between waits. */
    static final long RECENT_NANOS = 20_000_000;
    private static final AtomicInteger WAITING = new AtomicInteger();
    private static volatile long lastWaited = System.nanoTime() - 2 * RECENT_NANOS;

    private ResultReaders() {
    }

    /** A thread of the program starts waiting for a result (an iterator over results, a future). */
    public static void startWaiting() {
        WAITING.incrementAndGet();
        lastWaited = System.nanoTime();
    }

    /** The thread that called {@link #startWaiting} stops waiting: a result came, or it gave up. */
    public static void stopWaiting() {
        lastWaited = System.nanoTime();
        WAITING.decrementAndGet();
    }

    /** @return true while a reader waits, or waited within the last {@link #RECENT_NANOS} */
    public static boolean wanted() {
        return WAITING.get() > 0 || System.nanoTime() - lastWaited < RECENT_NANOS;
    }

    /** Forgets the last wait, so that only a reader waiting now makes results wanted; for tests. */
    static void forgetRecentWaits() {
        lastWaited = System.nanoTime() - 2 * RECENT_NANOS;
    }
}
