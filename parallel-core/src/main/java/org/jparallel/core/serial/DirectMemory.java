package org.jparallel.core.serial;

import io.netty.util.internal.CleanableDirectBuffer;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Where big task payloads get their memory outside the Java heap, as buffers that can be released early
 * ({@link CleanableDirectBuffer#clean}) but that the garbage collector frees too when they are not: the
 * manager releases a payload once its only send was answered, and leaves a payload sent more than once
 * to the collector (an earlier write of it may still be queued).
 *
 * <p>Releasing early takes Netty's cleaner, which works only where Netty uses {@code sun.misc.Unsafe}
 * (Java 17 by default; Netty leaves Unsafe alone from Java 24 on, and Java 25 refuses to free a buffer
 * that it did not make itself: "Cannot clean arbitrary ByteBuffer instances"). Elsewhere the buffer is a
 * plain {@code ByteBuffer.allocateDirect} one, which {@code clean} leaves to the collector, as Netty
 * itself does for its own buffers on Java 25. Netty's other kinds of buffers (its own malloc'ed ones, or
 * those of a shared arena) are never used: the collector cannot free them.
 *
 * <p>Buffers of {@link #RECYCLE_FROM} to {@link #RECYCLE_BELOW} bytes (100 KB task payloads and held results,
 * thousands a second) are recycled: {@link CleanableDirectBuffer#clean} puts their memory back in a small
 * pool ({@link Spares}, at most {@link Spares#MAX_BYTES}) for the next buffer of about the same size, instead
 * of freeing it. A new JDK direct buffer is zeroed, reserved against the limit, registered with a cleaner
 * and malloc'ed (page faults when the C library gave the memory back); with 100 KB tasks x 4 workers that
 * was ~25 us of the manager's CPU per task (docs/benchmarks/2026-12-06-kb100.md). A recycled buffer's bytes
 * are its last user's: every caller writes all of a buffer before reading it. One never cleaned is freed by
 * the collector as before.
 */
public final class DirectMemory {
    /** True when Netty's buffers are the JDK's direct buffers, freed early through Unsafe's cleaner. */
    private static final boolean CLEANS_EARLY =
            PlatformDependent.hasUnsafe() && !PlatformDependent.useDirectBufferNoCleaner();

    /** Buffers from this size on are kept for reuse by {@link #release}. */
    static final int KEEP_FROM = 1 << 20;
    /**
     * The longest buffer kept: a quarter of the direct memory limit, at most 65 MB: a task's 64 MB of arrays
     * and the rest of its payload (their heads, the task's stream). At most 64 MB, a task capturing a 64 MB
     * array (64 MB and ~1 KB) was never kept, and each one took fresh memory: 16,400 page faults and the JDK's
     * zeroing on the manager's main thread.
     */
    static final long KEEP_UP_TO = Math.min(65L << 20, Math.max(0, PlatformDependent.maxDirectMemory()) / 4);
    /** The memory of the last big payload released, for the next one ({@link #allocateReusing}). */
    private static final AtomicReference<CleanableDirectBuffer> SPARE = new AtomicReference<>();

    private DirectMemory() {
    }

    /**
     * As {@link #allocate}, but on the memory of the last buffer {@link #release}d when it fits (as long, or up
     * to a quarter longer): a big task payload's fresh memory cost the manager a page fault per 4 KB and the
     * JDK's zeroing of it (a 16 MB payload: ~4,100 faults, ~50 ms of CPU on a virtual machine), where the
     * kept memory is written over. Only for buffers whose whole length is written before it is read.
     *
     * @return a buffer of {@code bytes} bytes, position 0, limit {@code bytes}, whose {@link
     *     CleanableDirectBuffer#clean} frees it; or null when the direct memory limit leaves no room for it
     */
    public static CleanableDirectBuffer allocateReusing(int bytes) {
        CleanableDirectBuffer spare = bytes >= KEEP_FROM ? SPARE.getAndSet(null) : null;
        if (spare != null) {
            int capacity = spare.buffer().capacity();
            if (capacity >= bytes && capacity - bytes <= bytes / 4) {
                return new Lent(spare, Lent.first(spare, bytes), CleanableDirectBuffer::clean);
            }
            spare.clean(); // does not fit: freed, not kept beside the new one
        }
        return allocate(bytes);
    }

    /**
     * Frees {@code buffer} (from {@link #allocate} or {@link #allocateReusing}), or keeps its memory for the
     * next {@link #allocateReusing} when it is {@link #KEEP_FROM} to {@link #KEEP_UP_TO} bytes long, freeing
     * the buffer kept before. Its holder must not use it after this.
     */
    public static void release(CleanableDirectBuffer buffer) {
        CleanableDirectBuffer memory = buffer instanceof Lent l ? l.memory : buffer;
        int capacity = memory.buffer().capacity();
        if (capacity < KEEP_FROM || capacity > KEEP_UP_TO) {
            buffer.clean(); // freed, or recycled when it was lent from the spares
            return;
        }
        CleanableDirectBuffer before = SPARE.getAndSet(memory);
        if (before != null) {
            before.clean();
        }
    }

    /** @return the capacity of the memory kept for reuse, 0 when none; for tests */
    static int spareCapacity() {
        CleanableDirectBuffer b = SPARE.get();
        return b != null ? b.buffer().capacity() : 0;
    }

    /**
     * @return a direct buffer of {@code bytes} bytes, position 0, limit {@code bytes}; or null when the
     *     direct memory limit ({@code -XX:MaxDirectMemorySize}) leaves no room for it
     */
    public static CleanableDirectBuffer allocate(int bytes) {
        if (bytes >= RECYCLE_FROM && bytes < RECYCLE_BELOW) {
            return Spares.allocate(bytes);
        }
        return fresh(bytes);
    }

    /** Buffers from this size on are recycled when cleaned. */
    static final int RECYCLE_FROM = 32 * 1024;
    /** Buffers this long or longer are freed when cleaned, as before. */
    static final int RECYCLE_BELOW = 512 * 1024;

    private static CleanableDirectBuffer fresh(int bytes) {
        try {
            return CLEANS_EARLY ? PlatformDependent.allocateDirect(bytes)
                    : new CollectedBuffer(ByteBuffer.allocateDirect(bytes));
        } catch (OutOfMemoryError e) {
            return null;
        }
    }

    /**
     * The memory of cleaned buffers of {@link #RECYCLE_FROM} to {@link #RECYCLE_BELOW} bytes, for the next ones:
     * at most {@link #MAX_BYTES} and {@link #MAX_COUNT} buffers. A class of its own so that a JVM that never
     * makes such a buffer (a fresh worker) never loads it.
     */
    static final class Spares {
        static final long MAX_BYTES = 8L << 20;
        static final int MAX_COUNT = 64;
        private static final ArrayBlockingQueue<CleanableDirectBuffer> FREE = new ArrayBlockingQueue<>(MAX_COUNT);
        private static final AtomicLong BYTES = new AtomicLong();

        private Spares() {
        }

        /** @return a recycled buffer of {@code bytes} bytes, on spare memory when one fits, else fresh; null as {@link #fresh} */
        static CleanableDirectBuffer allocate(int bytes) {
            // a spare fits when it is at most an eighth longer than needed; one that does not is freed, so the
            // pool follows the sizes in use (they are mostly one size at a time)
            for (int tries = 0; tries < 4; tries++) {
                CleanableDirectBuffer spare = FREE.poll();
                if (spare == null) {
                    break;
                }
                int capacity = spare.buffer().capacity();
                BYTES.addAndGet(-capacity);
                if (capacity >= bytes && capacity - bytes <= bytes / 8) {
                    return new Lent(spare, Lent.first(spare, bytes).slice(), Spares::recycle);
                }
                spare.clean();
            }
            // whole pages, so that payloads of nearly the same size share spares
            int rounded = (int) Math.min(RECYCLE_BELOW, (bytes + 4095L) & ~4095L);
            CleanableDirectBuffer memory = fresh(Math.max(rounded, bytes));
            return memory != null ? new Lent(memory, Lent.first(memory, bytes).slice(), Spares::recycle) : null;
        }

        /** Keeps {@code memory} for the next buffer, or frees it when the pool is full. */
        static void recycle(CleanableDirectBuffer memory) {
            int capacity = memory.buffer().capacity();
            if (BYTES.addAndGet(capacity) <= MAX_BYTES && FREE.offer(memory)) {
                return;
            }
            BYTES.addAndGet(-capacity);
            memory.clean();
        }

        /** @return the bytes of spare memory now; for tests */
        static long spareBytes() {
            return BYTES.get();
        }

        /** Frees every spare; for tests, which start from an empty pool. */
        static void clear() {
            for (CleanableDirectBuffer b; (b = FREE.poll()) != null; ) {
                BYTES.addAndGet(-b.buffer().capacity());
                b.clean();
            }
        }
    }

    /**
     * A view of some memory, lent out (the kept big one's first bytes, or a spare sliced to the length asked,
     * as {@link Spares} counts buffers by their capacity): its {@link #clean} hands the memory
     * to {@code onClean} (freed, or recycled into {@link Spares}), once, since by a second call it may be
     * another buffer's.
     */
    private static final class Lent implements CleanableDirectBuffer {
        private final CleanableDirectBuffer memory;
        private final ByteBuffer view;
        private final Consumer<CleanableDirectBuffer> onClean;
        private boolean cleaned;

        /** @param view the part of {@code memory} lent */
        Lent(CleanableDirectBuffer memory, ByteBuffer view, Consumer<CleanableDirectBuffer> onClean) {
            this.memory = memory;
            this.view = view;
            this.onClean = onClean;
        }

        /** @return the first {@code bytes} bytes of {@code memory}, position 0 */
        static ByteBuffer first(CleanableDirectBuffer memory, int bytes) {
            return memory.buffer().duplicate().clear().limit(bytes);
        }

        @Override
        public ByteBuffer buffer() {
            return view;
        }

        @Override
        public synchronized void clean() {
            if (!cleaned) {
                cleaned = true;
                onClean.accept(memory);
            }
        }
    }

    /** A direct buffer that only the garbage collector frees. */
    private static final class CollectedBuffer implements CleanableDirectBuffer {
        private final ByteBuffer buffer;

        CollectedBuffer(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public ByteBuffer buffer() {
            return buffer;
        }

        @Override
        public void clean() {
            // the collector frees it once it is unreachable
        }
    }
}
