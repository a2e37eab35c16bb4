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
 * result ({@link #take}, once), when it becomes a {@code byte[]} that dies young; or, when the program was
 * waiting for results as it arrived ({@link ResultReaders}), that {@code byte[]} already, within {@link
 * #HEAP_BUDGET}.
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
 *
 * <p>A program that waits for results takes each as soon as it arrives: holding it outside the heap then
 * cost a direct buffer, and a copy into a new array when taken, for nothing (~10% of the manager's CPU with
 * 100 KB results, docs/benchmarks/2026-12-06-hold.md). Such a payload is decoded into its heap array at once
 * and {@link #take} hands that array over. Its bytes count against {@link #HEAP_BUDGET} until taken (or
 * unreachable), so results that nobody reads after all (the reader stopped, or reads another context) fill at
 * most that much of the heap; beyond it they are held outside as before.
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
    /** The most bytes of payloads decoded into heap arrays and not yet taken: a 32nd of the heap, at most 32 MB. */
    static final long HEAP_BUDGET = Math.min(32L << 20, Runtime.getRuntime().maxMemory() / 32);
    private static final AtomicLong HEAP_HELD = new AtomicLong();
    private static final Cleaner CLEANER = Cleaner.create();

    private final Memory memory;
    private final Cleaner.Cleanable cleanable;

    private HeldPayload(Memory memory) {
        this.memory = memory;
        this.cleanable = CLEANER.register(this, memory);
    }

    /**
     * The payload's memory (a direct buffer, or a heap array) and its accounting; freed once, by {@link #take} or
     * when its holder is unreachable.
     */
    private static final class Memory implements Runnable {
        /** The direct memory, or null when the payload is {@link #heap}. */
        private final CleanableDirectBuffer direct;
        private final byte[] heap;
        /** The payload's bytes: {@link #direct}'s buffer, or {@link #heap} wrapped. */
        private final ByteBuffer buffer;
        private final AtomicLong held;
        private boolean freed;

        Memory(CleanableDirectBuffer direct, byte[] heap, AtomicLong held) {
            this.direct = direct;
            this.heap = heap;
            this.buffer = direct != null ? direct.buffer() : ByteBuffer.wrap(heap);
            this.held = held;
        }

        @Override
        public synchronized void run() {
            if (!freed) {
                freed = true;
                held.addAndGet(-buffer.capacity());
                if (direct != null) {
                    direct.clean();
                }
            }
        }
    }

    /**
     * @return room for a payload of {@code length} bytes, to fill through {@link #buffer()}: a heap array when
     *     the program waits for results ({@link ResultReaders}) and {@link #HEAP_BUDGET} allows, else outside
     *     the heap; or null when it is {@link #HOLD_BELOW} or longer, or when neither fits: the payloads held
     *     outside would exceed {@link #BUDGET}, or direct memory is short
     */
    static HeldPayload allocate(int length) {
        if (length >= HOLD_BELOW) {
            return null;
        }
        HeldPayload p = ResultReaders.wanted() ? onHeap(length, HEAP_HELD, HEAP_BUDGET) : null;
        return p != null ? p : allocate(length, HELD, BUDGET);
    }

    /** @return as {@link #allocate(int)} outside the heap, counting against {@code held} and {@code budget} */
    static HeldPayload allocate(int length, AtomicLong held, long budget) {
        if (!take(held, length, budget)) {
            return null;
        }
        CleanableDirectBuffer b = DirectMemory.allocate(length);
        if (b == null) {
            held.addAndGet(-length);
            return null;
        }
        return new HeldPayload(new Memory(b, null, held));
    }

    /** @return a payload on a heap array of {@code length} bytes counted against {@code held}, or null beyond {@code budget} */
    static HeldPayload onHeap(int length, AtomicLong held, long budget) {
        if (!take(held, length, budget)) {
            return null;
        }
        try {
            return new HeldPayload(new Memory(null, new byte[length], held));
        } catch (RuntimeException | Error e) { // no payload holds the bytes: give them back now
            held.addAndGet(-length);
            throw e;
        }
    }

    private static boolean take(AtomicLong held, int length, long budget) {
        if (held.addAndGet(length) > budget) {
            held.addAndGet(-length);
            return false;
        }
        return true;
    }

    /** @return the bytes held outside the heap now in this JVM */
    static long heldBytes() {
        return HELD.get();
    }

    /** @return the bytes of payloads decoded into heap arrays and not yet taken now in this JVM */
    static long heapBytes() {
        return HEAP_HELD.get();
    }

    /** @return true when the payload is a heap array, which {@link #take} hands over without a copy */
    boolean onHeap() {
        return memory.direct == null;
    }

    /** @return the payload's buffer, position 0, limit its length; the decoder fills it before handing it on */
    ByteBuffer buffer() {
        return memory.buffer;
    }

    /** @return the payload's length in bytes */
    public int length() {
        return memory.buffer.capacity();
    }

    /**
     * @return the payload as an array: a new one for a payload outside the heap, whose memory is freed; the
     *     payload's own for one on the heap
     * @throws IllegalStateException when it was taken before
     */
    public byte[] take() {
        try {
            synchronized (memory) {
                if (memory.freed) {
                    throw new IllegalStateException("a held payload was taken twice");
                }
                byte[] out = memory.heap;
                if (out == null) {
                    out = new byte[length()];
                    memory.buffer.get(0, out);
                }
                cleanable.clean(); // frees it now, and forgets the registration
                return out;
            }
        } finally {
            Reference.reachabilityFence(this); // its cleaner must not run while the bytes are copied
        }
    }
}
