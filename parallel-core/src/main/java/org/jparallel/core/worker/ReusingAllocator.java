package org.jparallel.core.worker;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import io.netty.util.internal.CleanableDirectBuffer;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;
import org.jparallel.core.serial.DirectMemory;

/**
 * The blocking worker transport's allocator: unpooled heap buffers, from {@link UnpooledByteBufAllocator}, also
 * for "direct" buffers under {@link #DIRECT_FROM} bytes; direct buffers from there on (a {@code byte[]}
 * result's copy, {@link org.jparallel.core.protocol.Message.BufferedResult}), which the transport's channel
 * ({@link WorkerChannel}) writes as they are, where an array would be copied into the JDK's temporary direct
 * buffer first. Their memory is not fresh: under {@link #KEEP_FROM} bytes it is {@link DirectMemory}'s,
 * recycled by size class when released (a 100 KB result's memory serves the next one, no zeroing, reserve or
 * cleaner per result, which made a fresh direct buffer per 100 KB result cost more than the copy it saves,
 * docs/benchmarks/2026-12-06-kb100.md); from {@link #KEEP_FROM} bytes on it is kept when released, one
 * buffer's worth, for the next such result. Fresh memory costs a page fault per 4 KB page on first touch,
 * and the JDK zeroes a new direct buffer besides: a 16 MB result took 55 ms of the task thread's CPU when
 * its memory was fresh and 7 ms when reused (docs/benchmarks/2026-12-06-big.md), and without this the C library
 * returned the first two such buffers' memory to the system, so a worker's first big results each paid it.
 * At most one buffer of at most {@link #KEEP_UP_TO} bytes is kept. The memory is {@link DirectMemory}'s:
 * freed early where Netty can (Java 17), else by the collector once a newer buffer replaced it.
 */
final class ReusingAllocator extends AbstractByteBufAllocator {
    private static final UnpooledByteBufAllocator UNPOOLED = new UnpooledByteBufAllocator(false);
    /** "Direct" buffers under this size are arrays: {@link TaskRunner#BUFFER_RESULTS_FROM}. */
    static final int DIRECT_FROM = TaskRunner.BUFFER_RESULTS_FROM;
    /** Direct buffers from this size on are kept for reuse when released. */
    static final int KEEP_FROM = 1 << 20;
    /**
     * Longer buffers are freed when released, not kept: a one-off huge result does not pin its memory. 65 MB: a
     * 64 MB array and its frame head (at 64 MB, every 64 MB result took fresh memory: 16,400 page faults).
     */
    static final int KEEP_UP_TO = 65 << 20;
    private final AtomicReference<CleanableDirectBuffer> spare = new AtomicReference<>();

    ReusingAllocator() {
        super(false);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return UNPOOLED.heapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        if (initialCapacity < DIRECT_FROM) {
            return UNPOOLED.heapBuffer(initialCapacity, maxCapacity);
        }
        CleanableDirectBuffer memory = initialCapacity < KEEP_FROM ? null : spare.getAndSet(null);
        if (memory != null && (memory.buffer().capacity() < initialCapacity
                || memory.buffer().capacity() - initialCapacity > initialCapacity / 4)) {
            memory.clean(); // does not fit: freed, not kept beside the new one
            memory = null;
        }
        if (memory == null) {
            memory = DirectMemory.allocate(initialCapacity);
            if (memory == null) { // the direct memory limit: as Netty would have failed
                return UNPOOLED.directBuffer(initialCapacity, maxCapacity);
            }
        }
        return PlatformDependent.hasUnsafe() ? new Kept(memory, initialCapacity, maxCapacity)
                : new KeptSafe(memory, initialCapacity, maxCapacity);
    }

    /**
     * Keeps {@code memory} as the {@link #spare} when it is {@link #KEEP_FROM} to {@link #KEEP_UP_TO} bytes long,
     * freeing the earlier spare; cleans shorter memory ({@link DirectMemory} recycles it) and longer.
     *
     * @param capacity the capacity of the buffer made on it
     */
    private void keep(CleanableDirectBuffer memory, int capacity) {
        if (capacity < KEEP_FROM) {
            memory.clean();
            return;
        }
        CleanableDirectBuffer free = memory.buffer().capacity() <= KEEP_UP_TO ? spare.getAndSet(memory) : memory;
        if (free != null) {
            free.clean();
        }
    }

    /**
     * The capacity change of both kinds of kept buffer ({@link Kept}, {@link KeptSafe}): none, since their
     * memory is exactly as long as it was made.
     *
     * @return {@code b}, when {@code newCapacity} is its capacity
     * @throws UnsupportedOperationException for any other capacity
     */
    private static ByteBuf sameCapacity(ByteBuf b, int newCapacity) {
        if (newCapacity != b.capacity()) {
            throw new UnsupportedOperationException("a kept direct buffer of " + b.capacity() + " bytes cannot become "
                    + newCapacity + " bytes long; allocate one of that size");
        }
        return b;
    }

    /** {@link Kept} where Netty does not use {@code Unsafe} (Java 24 on). */
    private final class KeptSafe extends UnpooledDirectByteBuf {
        private final CleanableDirectBuffer memory;

        KeptSafe(CleanableDirectBuffer memory, int capacity, int maxCapacity) {
            super(ReusingAllocator.this, memory.buffer().duplicate().clear().limit(capacity), maxCapacity);
            this.memory = memory;
            clear();
        }

        @Override
        public ByteBuf capacity(int newCapacity) {
            return sameCapacity(this, newCapacity);
        }

        @Override
        protected void deallocate() {
            super.deallocate();
            keep(memory, capacity());
        }
    }

    /**
     * A direct buffer on memory of its own ({@code doFree} false: Netty leaves it alone) whose release keeps
     * that memory as the {@link #spare}, freeing the earlier spare. Its capacity never changes.
     */
    private final class Kept extends UnpooledUnsafeDirectByteBuf {
        private final CleanableDirectBuffer memory;

        Kept(CleanableDirectBuffer memory, int capacity, int maxCapacity) {
            super(ReusingAllocator.this, memory.buffer().duplicate().clear().limit(capacity), maxCapacity);
            this.memory = memory;
            clear(); // made on a buffer, it starts as if that buffer's bytes were written
        }

        @Override
        public ByteBuf capacity(int newCapacity) {
            return sameCapacity(this, newCapacity);
        }

        @Override
        protected void deallocate() {
            super.deallocate();
            keep(memory, capacity());
        }
    }

    /** @return the direct buffer kept for the next big result, or null; for tests */
    ByteBuffer spare() {
        CleanableDirectBuffer b = spare.get();
        return b != null ? b.buffer() : null;
    }
}
