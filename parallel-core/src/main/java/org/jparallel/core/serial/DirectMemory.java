package org.jparallel.core.serial;

import io.netty.util.internal.CleanableDirectBuffer;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Where big payloads get their memory outside the Java heap, as buffers that can be released early
 * ({@link CleanableDirectBuffer#clean}) but that the garbage collector frees too when they are not: the
 * manager releases a task payload once its only send was answered, and a held result once the program
 * took it; it leaves a payload sent more than once to the collector (an earlier write of it may still be queued).
 *
 * <p>Releasing early takes Netty's cleaner, which works only where Netty uses {@code sun.misc.Unsafe}
 * (Java 17 by default; Netty leaves Unsafe alone from Java 24 on, and Java 25 refuses to free a buffer
 * that it did not make itself: "Cannot clean arbitrary ByteBuffer instances"). Elsewhere the buffer is a
 * plain {@code ByteBuffer.allocateDirect} one, which {@code clean} leaves to the collector, as Netty
 * itself does for its own buffers on Java 25. Netty's other kinds of buffers (its own malloc'ed ones, or
 * those of a shared arena) are never used: the collector cannot free them.
 *
 * <p>Buffers of {@link #POOL_FROM} bytes up to a third of the pool (100 KB task payloads and held results,
 * thousands a second; 16 MB task payloads) are recycled: their memory is a size class's ({@link
 * #classCapacity}: at most an eighth longer than asked for), and {@link CleanableDirectBuffer#clean} puts it
 * back in one {@link Pool} for the next buffer of the same class instead of freeing it. A new JDK direct
 * buffer is zeroed, reserved against the limit, registered with a cleaner and malloc'ed (page faults when the
 * C library gave the memory back): with 100 KB tasks x 4 workers ~25 us of the manager's CPU per task, a 16 MB
 * payload ~4,100 page faults (docs/benchmarks/2026-12-06-kb100.md, big2.md). Classes let a 102,400-byte held
 * result's memory serve the next task payload of 102,900 bytes (exact capacities could not). The pool keeps at
 * most {@link #POOL_BYTES}, an eighth of the direct memory limit. A recycled buffer's bytes are its last
 * user's: every caller writes all of a buffer before reading it. One never cleaned is freed by the collector
 * as before; one cleaned must be read by nothing any more (its memory becomes another buffer's).
 */
public final class DirectMemory {
    /** True when Netty's buffers are the JDK's direct buffers, freed early through Unsafe's cleaner. */
    private static final boolean CLEANS_EARLY =
            PlatformDependent.hasUnsafe() && !PlatformDependent.useDirectBufferNoCleaner();

    /** Buffers from this size on are recycled when cleaned; smaller ones are freed. */
    static final int POOL_FROM = 32 * 1024;
    /** The most bytes the pool keeps: an eighth of the direct memory limit, at most 256 MB. */
    static final long POOL_BYTES = Math.min(256L << 20, Math.max(0, PlatformDependent.maxDirectMemory()) / 8);
    /** The JVM's pool. */
    private static final Pool POOL = new Pool(POOL_BYTES, maxRecycled(POOL_BYTES));

    private DirectMemory() {
    }

    /**
     * @return a direct buffer of {@code bytes} bytes (its capacity too), position 0, limit {@code bytes}, on
     *     recycled memory when the pool has some of its class, its bytes then the last user's, so only for a
     *     buffer whose every byte is written before it is read; or null when the direct memory limit ({@code
     *     -XX:MaxDirectMemorySize}) leaves no room for it
     */
    public static CleanableDirectBuffer allocate(int bytes) {
        return POOL.allocate(bytes);
    }

    /**
     * @return the longest buffer a pool of {@code poolBytes} recycles, longer ones freed when cleaned: a third
     *     of it, at most 72 MB, the class of a task capturing a 64 MB array (64 MB and its head: with 64 MB at
     *     most, every such task took fresh memory, ~16,400 page faults, docs/benchmarks/2026-12-06-floor16.md)
     */
    static int maxRecycled(long poolBytes) {
        return (int) Math.min(72L << 20, poolBytes / 3);
    }

    /** @return the bytes of memory the pool keeps now; for tests */
    public static long pooledBytes() {
        return POOL.pooledBytes();
    }

    /**
     * @return the capacity of the size class of {@code bytes}: {@code bytes} rounded up to an eighth of the
     *     power of two below it, so at most an eighth longer; {@code bytes} itself under {@link #POOL_FROM}
     */
    static int classCapacity(int bytes) {
        if (bytes < POOL_FROM) {
            return bytes;
        }
        long step = Integer.highestOneBit(bytes - 1) >>> 3;
        return (int) Math.min(Integer.MAX_VALUE, (bytes + step - 1) / step * step);
    }

    /** @return the index of a class capacity from {@link #POOL_FROM} up: eight classes per power of two */
    static int classIndex(int capacity) {
        int power = 31 - Integer.numberOfLeadingZeros(capacity - 1); // the power of two below it
        int step = (1 << power) >>> 3;
        return (power - 14) * 8 + capacity / step - 16; // 32 KB, power 14's last class, is 0
    }

    private static CleanableDirectBuffer fresh(int bytes) {
        try {
            return CLEANS_EARLY ? PlatformDependent.allocateDirect(bytes)
                    : new CollectedBuffer(ByteBuffer.allocateDirect(bytes));
        } catch (OutOfMemoryError e) {
            return null;
        }
    }

    /**
     * The memory of cleaned buffers, by size class, for the next buffers of their class: at most {@code maxBytes}
     * in all. A buffer cleaned when the pool is full pushes out the memory of the class least recently used (the
     * pool follows the sizes in use), or is freed when its own class is all the pool holds. One lock: it is taken
     * a few times per 100 KB task, by the program's thread and the event loop, for a few list operations.
     */
    static final class Pool {
        private final long maxBytes;
        private final int maxBuffer;
        @SuppressWarnings("unchecked")
        private final ArrayDeque<CleanableDirectBuffer>[] free = new ArrayDeque[8 * 18];
        /** When each class was last used, in {@link #clock} ticks. */
        private final long[] used = new long[free.length];
        private long clock;
        private long bytes;

        /**
         * @param maxBytes the most bytes kept
         * @param maxBuffer the longest buffer recycled; longer ones are freed when cleaned
         */
        Pool(long maxBytes, int maxBuffer) {
            this.maxBytes = maxBytes;
            this.maxBuffer = maxBuffer;
        }

        /** @return as {@link DirectMemory#allocate}, from this pool */
        CleanableDirectBuffer allocate(int bytes) {
            int capacity = classCapacity(bytes);
            if (bytes < POOL_FROM || capacity > maxBuffer) {
                return fresh(bytes);
            }
            CleanableDirectBuffer memory = take(capacity);
            if (memory == null) {
                memory = fresh(capacity);
                if (memory == null && clear() > 0) { // what the pool keeps counts against the limit too
                    memory = fresh(capacity);
                }
                if (memory == null) {
                    return null;
                }
            }
            return new Lent(memory, memory.buffer().duplicate().clear().limit(bytes).slice(), this);
        }

        private synchronized CleanableDirectBuffer take(int capacity) {
            int c = classIndex(capacity);
            used[c] = ++clock;
            ArrayDeque<CleanableDirectBuffer> list = free[c];
            CleanableDirectBuffer memory = list != null ? list.pollLast() : null;
            if (memory != null) {
                bytes -= capacity;
            }
            return memory;
        }

        /** Keeps {@code memory} for the next buffer of its class, or frees it. */
        void recycle(CleanableDirectBuffer memory) {
            int capacity = memory.buffer().capacity();
            CleanableDirectBuffer evicted;
            synchronized (this) {
                int c = classIndex(capacity);
                used[c] = ++clock;
                while (bytes + capacity > maxBytes && (evicted = evict(c)) != null) {
                    evicted.clean(); // rare: the sizes in use changed; freeing under the lock keeps the count true
                }
                if (bytes + capacity <= maxBytes) {
                    if (free[c] == null) {
                        free[c] = new ArrayDeque<>();
                    }
                    free[c].addLast(memory);
                    bytes += capacity;
                    return;
                }
            }
            memory.clean();
        }

        /** @return a buffer of the class least recently used other than {@code keep}, removed; or null */
        private CleanableDirectBuffer evict(int keep) {
            int oldest = -1;
            for (int c = 0; c < free.length; c++) {
                if (c != keep && free[c] != null && !free[c].isEmpty() && (oldest < 0 || used[c] < used[oldest])) {
                    oldest = c;
                }
            }
            if (oldest < 0) {
                return null;
            }
            CleanableDirectBuffer b = free[oldest].pollFirst();
            bytes -= b.buffer().capacity();
            return b;
        }

        /** @return the bytes kept now */
        synchronized long pooledBytes() {
            return bytes;
        }

        /**
         * Frees everything kept.
         *
         * @return how many bytes were freed
         */
        synchronized long clear() {
            long freed = bytes;
            for (ArrayDeque<CleanableDirectBuffer> list : free) {
                for (CleanableDirectBuffer b; list != null && (b = list.poll()) != null; ) {
                    b.clean();
                }
            }
            bytes = 0;
            return freed;
        }
    }

    /**
     * A buffer lent out of a {@link Pool}: the first bytes of a class's memory, as long as asked for. Its {@link
     * #clean} hands the memory back, once, since by a second call it may be another buffer's.
     */
    private static final class Lent implements CleanableDirectBuffer {
        private final CleanableDirectBuffer memory;
        private final ByteBuffer view;
        private final Pool pool;
        private boolean cleaned;

        Lent(CleanableDirectBuffer memory, ByteBuffer view, Pool pool) {
            this.memory = memory;
            this.view = view;
            this.pool = pool;
        }

        @Override
        public ByteBuffer buffer() {
            return view;
        }

        @Override
        public void clean() {
            synchronized (this) {
                if (cleaned) {
                    return;
                }
                cleaned = true;
            }
            pool.recycle(memory);
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
