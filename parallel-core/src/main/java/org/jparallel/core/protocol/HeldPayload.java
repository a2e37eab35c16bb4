package org.jparallel.core.protocol;

import io.netty.util.internal.CleanableDirectBuffer;
import io.netty.util.internal.PlatformDependent;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.jparallel.core.serial.DirectMemory;

/**
 * A big result payload the manager received, waiting outside the Java heap until the program reads its
 * result ({@link #take}, once), when it becomes a {@code byte[]} that dies young.
 *
 * <p>Why: a program that adds many tasks before reading their results leaves the results waiting.
 * Decoded straight into arrays, 100 KB results survived every young collection of the manager's heap
 * (hundreds of MB waiting, a young generation of a few MB), so G1 copied each of them to survivor and
 * old space in pauses of 15-950 ms that freed almost nothing, and shrank the young generation further:
 * the manager's CPU per 100 KB task was mostly that. Held here, waiting results cost the collector nothing.
 *
 * <p>Only payloads under {@link #HOLD_BELOW} are held (longer arrays G1 does not copy). At most {@link #BUDGET} bytes wait at once across the JVM (a quarter of the direct memory limit, at
 * most 256 MB); beyond it, or when direct memory is short, {@link #allocate} declines and the decoder
 * makes an array as before. A payload never taken (its task cancelled, its context closed) is freed when
 * it becomes unreachable.
 */
public final class HeldPayload {
    /**
     * Payloads this long or longer stay arrays: G1 allocates them as humongous objects, which it never copies,
     * and holding them would only add a copy (and, for megabytes, fresh memory) per result.
     */
    static final int HOLD_BELOW = 512 * 1024;
    /** The most bytes held at once in this JVM. */
    static final long BUDGET = Math.min(256L << 20, Math.max(0, PlatformDependent.maxDirectMemory()) / 4);
    private static final AtomicLong HELD = new AtomicLong();
    private static final Cleaner CLEANER = Cleaner.create();

    private final Memory memory;
    private final Cleaner.Cleanable cleanable;

    private HeldPayload(Memory memory) {
        this.memory = memory;
        this.cleanable = CLEANER.register(this, memory);
    }

    /** The buffer and its accounting; freed once, by {@link #take} or when its holder is unreachable. */
    private static final class Memory implements Runnable {
        private final CleanableDirectBuffer buffer;
        private final AtomicLong held;
        private boolean freed;

        Memory(CleanableDirectBuffer buffer, AtomicLong held) {
            this.buffer = buffer;
            this.held = held;
        }

        @Override
        public synchronized void run() {
            if (!freed) {
                freed = true;
                held.addAndGet(-buffer.buffer().capacity());
                buffer.clean();
            }
        }
    }

    /**
     * @return room for a payload of {@code length} bytes, to fill through {@link #buffer()}; or null when
     *     it is {@link #HOLD_BELOW} or longer, the payloads held would exceed {@link #BUDGET}, or direct
     *     memory is short
     */
    static HeldPayload allocate(int length) {
        return length >= HOLD_BELOW ? null : allocate(length, HELD, BUDGET);
    }

    /** @return as {@link #allocate(int)}, counting against {@code held} and {@code budget} */
    static HeldPayload allocate(int length, AtomicLong held, long budget) {
        if (held.addAndGet(length) > budget) {
            held.addAndGet(-length);
            return null;
        }
        CleanableDirectBuffer b = DirectMemory.allocate(length);
        if (b == null) {
            held.addAndGet(-length);
            return null;
        }
        return new HeldPayload(new Memory(b, held));
    }

    /** @return the bytes held now in this JVM */
    static long heldBytes() {
        return HELD.get();
    }

    /** @return the payload's buffer, position 0, limit its length; the decoder fills it before handing it on */
    ByteBuffer buffer() {
        return memory.buffer.buffer();
    }

    /** @return the payload's length in bytes */
    public int length() {
        return memory.buffer.buffer().capacity();
    }

    /**
     * @return the payload as a new array; its memory is freed
     * @throws IllegalStateException when it was taken before
     */
    public byte[] take() {
        try {
            synchronized (memory) {
                if (memory.freed) {
                    throw new IllegalStateException("a held payload was taken twice");
                }
                byte[] out = new byte[length()];
                memory.buffer.buffer().get(0, out);
                cleanable.clean(); // frees it now, and forgets the registration
                return out;
            }
        } finally {
            Reference.reachabilityFence(this); // its cleaner must not run while the bytes are copied
        }
    }
}
