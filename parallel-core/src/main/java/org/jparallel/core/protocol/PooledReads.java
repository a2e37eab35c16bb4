package org.jparallel.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.internal.CleanableDirectBuffer;
import io.netty.util.internal.PlatformDependent;
import org.jparallel.core.serial.DirectMemory;

/**
 * Socket reads of {@link #FROM} bytes and more into memory of {@link DirectMemory}'s pool, sized as another
 * {@link RecvByteBufAllocator} guesses; smaller reads from the channel's allocator as usual. For the manager's
 * connections, whose results are held as slices of their read buffers ({@link ReadPins}) until the program takes
 * them: Netty's allocator frees a chunk of its memory once all its buffers are released and takes fresh memory
 * (zeroed by the JDK, page faults) for the next reads, so read buffers kept for seconds made the event loop zero
 * and fault in new memory for every batch; the pool hands the memory of a released read buffer to the next read.
 */
public final class PooledReads implements RecvByteBufAllocator {
    /** Reads this long and longer go to the pool. */
    static final int FROM = 64 * 1024;

    private final RecvByteBufAllocator sizes;

    /** @param sizes guesses how much each read takes; its buffers are not used from {@link #FROM} bytes on */
    public PooledReads(RecvByteBufAllocator sizes) {
        this.sizes = sizes;
    }

    @Override
    public Handle newHandle() {
        return new DelegatingHandle(sizes.newHandle()) {
            @Override
            public ByteBuf allocate(ByteBufAllocator alloc) {
                return PooledReads.allocate(alloc, guess());
            }
        };
    }

    /** @return a buffer of {@code capacity} bytes to read into: pooled memory from {@link #FROM} bytes on, while it can */
    static ByteBuf allocate(ByteBufAllocator alloc, int capacity) {
        CleanableDirectBuffer memory = capacity >= FROM ? DirectMemory.allocate(capacity) : null;
        if (memory == null) {
            return alloc.ioBuffer(capacity);
        }
        ByteBuf b = PlatformDependent.hasUnsafe() ? new UnsafeRead(alloc, memory) : new SafeRead(alloc, memory);
        return b.clear(); // wrapping a buffer, Netty takes all of it as written
    }

    /** A read buffer on pooled memory, handed back to the pool when released. */
    private static final class UnsafeRead extends UnpooledUnsafeDirectByteBuf {
        private final CleanableDirectBuffer memory;

        UnsafeRead(ByteBufAllocator alloc, CleanableDirectBuffer memory) {
            super(alloc, memory.buffer(), memory.buffer().capacity());
            this.memory = memory;
        }

        @Override
        protected void deallocate() {
            super.deallocate(); // leaves the memory alone: it was given, not made
            memory.clean();
        }
    }

    /** As {@link UnsafeRead}, where Netty does without {@code Unsafe}. */
    private static final class SafeRead extends UnpooledDirectByteBuf {
        private final CleanableDirectBuffer memory;

        SafeRead(ByteBufAllocator alloc, CleanableDirectBuffer memory) {
            super(alloc, memory.buffer(), memory.buffer().capacity());
            this.memory = memory;
        }

        @Override
        protected void deallocate() {
            super.deallocate();
            memory.clean();
        }
    }
}
