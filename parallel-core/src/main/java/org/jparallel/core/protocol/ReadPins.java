package org.jparallel.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The read buffers that held results keep alive, and a bound on them. A result held as retained slices of the
 * buffers its bytes were read into ({@link HeldPayload#slices}) costs no copy on the event loop, but keeps each
 * of those buffers (all of it, not only its own bytes) until the program takes it: a 32 KB result can keep a
 * 1 MB read buffer alive. So every buffer is counted once, at its capacity, from its first held slice until its
 * last is released, and at most a limit of bytes of buffers (a {@link ByteBudget}) is kept so across the JVM;
 * beyond that the decoder copies results out as before. A pooling allocator may keep more than that: a read
 * buffer is cut from a chunk of several, and the chunk goes back only when none of its buffers is kept. So no
 * new buffer is pinned while the allocator that made it holds more than half of the direct memory limit (the
 * event loop's next read must still find memory).
 */
final class ReadPins {
    /** The manager's held results: as much as {@link HeldPayload#BUDGET}, on top of it. */
    static final ReadPins RESULTS = new ReadPins(HeldPayload.BUDGET, PlatformDependent.maxDirectMemory());

    private final long allocatorBound;
    /** The capacities of the buffers pinned now. */
    private final ByteBudget pinned;

    /**
     * @param limit the most bytes of read buffers kept at once
     * @param directMemory the direct memory limit: no buffer is pinned while its allocator uses over half of it
     */
    ReadPins(long limit, long directMemory) {
        this.pinned = new ByteBudget(limit);
        this.allocatorBound = directMemory / 2;
    }

    /** @param limit the most bytes of read buffers kept at once; the JVM's direct memory limit applies too */
    ReadPins(long limit) {
        this(limit, PlatformDependent.maxDirectMemory());
    }

    /** @return the bytes of read buffers kept now */
    long pinned() {
        return pinned.taken();
    }

    /** @return a new pinner, for one decoder (one thread) */
    Pinner pinner() {
        return new Pinner();
    }

    /**
     * What one decoder pins: remembers the buffer it pinned last, so that the results and pieces sliced of one
     * read buffer count it once. Used by one thread at a time (the channel's event loop).
     */
    final class Pinner {
        private Pin last;

        private Pinner() {
        }

        /** @return a pin on {@code buffer} for one more slice, or null when the limit does not allow it */
        Pin pin(ByteBuf buffer) {
            Pin p = ReadPins.this.pin(buffer, last);
            if (p != null) {
                last = p;
            }
            return p;
        }
    }

    /**
     * @return a pin on {@code buffer} for one more slice: {@code last} when it is that buffer's and still holds
     *     slices, else a new one if the limit allows it; or null when it does not
     */
    Pin pin(ByteBuf buffer, Pin last) {
        if (last != null && last.buffer == buffer && last.add()) {
            return last;
        }
        if (allocatorCrowded(buffer)) {
            return null;
        }
        int capacity = buffer.capacity();
        return pinned.take(capacity) ? new Pin(buffer, capacity) : null;
    }

    /** @return whether {@code buffer}'s allocator uses more direct memory than this bound allows pinning beside */
    private boolean allocatorCrowded(ByteBuf buffer) {
        return buffer.isDirect() && buffer.alloc() instanceof ByteBufAllocatorMetricProvider p
                && p.metric().usedDirectMemory() > allocatorBound;
    }

    /**
     * One read buffer kept by the slices held of it: counts them, and gives its capacity back when the last one
     * is released. Once at none it is done: a later slice of the same buffer takes a new pin.
     */
    final class Pin {
        private final ByteBuf buffer;
        private final int capacity;
        private final AtomicInteger slices = new AtomicInteger(1);

        private Pin(ByteBuf buffer, int capacity) {
            this.buffer = buffer;
            this.capacity = capacity;
        }

        /** @return true when one more slice counts on this pin; false when it is done */
        private boolean add() {
            for (int n = slices.get(); n > 0; n = slices.get()) {
                if (slices.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
            return false;
        }

        /** One slice of the buffer was released. */
        void release() {
            if (slices.decrementAndGet() == 0) {
                pinned.give(capacity);
            }
        }
    }
}
