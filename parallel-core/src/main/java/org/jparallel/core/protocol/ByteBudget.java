package org.jparallel.core.protocol;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A count of bytes against a limit, shared by threads: {@link #take} counts bytes when they fit, {@link #give}
 * gives them back. One class for the manager's decoders' three bounds, each an instance with its own limit: the
 * arrays of big results made before their bytes arrived ({@link ArrivingBytes#RESULTS_AHEAD}), the memory of the
 * results held outside the heap ({@link HeldPayload}) and the read buffers held results keep ({@link ReadPins}).
 */
final class ByteBudget {
    private final long limit;
    private final AtomicLong taken = new AtomicLong();

    /** @param limit the most bytes taken at once */
    ByteBudget(long limit) {
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
