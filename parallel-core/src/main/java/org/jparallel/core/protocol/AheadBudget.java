package org.jparallel.core.protocol;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many bytes of payload arrays a JVM's decoders may make before those bytes have arrived, across all
 * their connections. A big result's array made when its frame starts (instead of when half of it has
 * arrived, {@link ArrivingBytes}) is read into as it comes, so none of it waits in the read buffers
 * or in heap chunks (8 MB for a 16 MB result) and nothing is gathered at half-time: a 16 MB round trip
 * cost the manager about a fifth less CPU so (docs/benchmarks/2026-12-06-big2.md).
 * The budget keeps the defence that rule was for: an authenticated peer that announces huge frames and
 * sends little can make the decoders hold at most this many bytes beyond what peers sent; a frame the
 * budget cannot cover falls back to the half rule.
 */
final class AheadBudget {
    /** The manager's results: an eighth of the heap, at most 256 MB. */
    static final AheadBudget RESULTS = new AheadBudget(Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8));

    private final long limit;
    private final AtomicLong taken = new AtomicLong();

    /** @param limit the most bytes taken at once */
    AheadBudget(long limit) {
        this.limit = limit;
    }

    /** @return true when {@code bytes} more fit in the budget, which then counts them until {@link #give} */
    boolean take(long bytes) {
        if (taken.addAndGet(bytes) > limit) {
            taken.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    /** Returns {@code bytes} {@link #take}n before. */
    void give(long bytes) {
        taken.addAndGet(-bytes);
    }

    /** @return the bytes taken now */
    long taken() {
        return taken.get();
    }
}
