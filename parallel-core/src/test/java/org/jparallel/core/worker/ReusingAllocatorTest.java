package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import org.jparallel.core.leaks.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The blocking transport's allocator keeps one big direct buffer's memory for the next big result. */
@ExtendWith(NoLeaks.class)
class ReusingAllocatorTest {
    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    @Test
    void aReleasedBigDirectBufferIsKeptAndItsMemoryServesTheNextOfTheSameSize() {
        ReusingAllocator alloc = new ReusingAllocator();
        int n = 2 << 20;
        ByteBuf first = alloc.directBuffer(n).writeBytes(bytes(n, 1));
        assertNull(alloc.spare());
        first.release();
        ByteBuffer kept = alloc.spare();
        assertEquals(n, kept.capacity(), "the released buffer's memory is kept");
        byte[] second = bytes(n, 2);
        ByteBuf b = alloc.directBuffer(n).writeBytes(second);
        assertNull(alloc.spare(), "taken by the next buffer");
        assertEquals(n, b.readableBytes());
        byte[] read = new byte[n];
        b.getBytes(0, read);
        assertArrayEquals(second, read, "the reused memory holds the new bytes");
        b.release();
        assertSame(kept, alloc.spare(), "the same memory, kept again");
    }

    @Test
    void smallAndHugeBuffersAreNotKeptAndAMisfitIsFreedForAFreshOne() {
        ReusingAllocator alloc = new ReusingAllocator();
        alloc.directBuffer(ReusingAllocator.KEEP_FROM - 1).release();
        assertNull(alloc.spare(), "a buffer under the threshold is freed as usual");
        alloc.directBuffer(ReusingAllocator.KEEP_FROM).release();
        ByteBuffer kept = alloc.spare();
        ByteBuf twice = alloc.directBuffer(2 * ReusingAllocator.KEEP_FROM);
        assertNull(alloc.spare(), "a kept buffer too small for the request is freed, not kept beside the new one");
        twice.release();
        assertNotSame(kept, alloc.spare());
        assertEquals(2 * ReusingAllocator.KEEP_FROM, alloc.spare().capacity());
    }

    @Test
    void aResultsDirectBufferIsDirectAndItsMemoryServesTheNextOne() {
        ReusingAllocator alloc = new ReusingAllocator();
        ByteBuf b = alloc.directBuffer(100 * 1024).writeBytes(bytes(100 * 1024, 3));
        assertEquals(true, b.isDirect(), "WorkerChannel writes a direct buffer as it is, with no copy");
        assertEquals(100 * 1024, b.readableBytes());
        long address = b.hasMemoryAddress() ? b.memoryAddress() : 0;
        b.release();
        assertNull(alloc.spare(), "not the one big spare: DirectMemory's recycled memory");
        ByteBuf next = alloc.directBuffer(100 * 1024).writeBytes(bytes(100 * 1024, 4));
        if (next.hasMemoryAddress()) { // Netty with Unsafe (Java 17-23)
            assertEquals(address, next.memoryAddress(),
                    "the released result's memory is the next result's");
        }
        byte[] read = new byte[100 * 1024];
        next.getBytes(0, read);
        assertArrayEquals(bytes(100 * 1024, 4), read);
        next.release();
    }

    @Test
    void aDirectBufferUnderTheResultThresholdIsAnArray() {
        ByteBuf b = new ReusingAllocator().directBuffer(ReusingAllocator.DIRECT_FROM - 1);
        assertEquals(true, b.hasArray(), "small frames are heap buffers, as the allocator's heap ones");
        b.release();
    }

    @Test
    void heapBuffersStayUnpooledHeapBuffers() {
        ByteBuf b = new ReusingAllocator().heapBuffer(16);
        assertEquals(true, b.hasArray());
        b.release();
    }

    @Test
    void aSixtyFourMegabyteArraysResultWithItsHeadIsKept() {
        ReusingAllocator alloc = new ReusingAllocator();
        // a 64 MB byte[] result and its frame head: kept only up to 64 MB, each 64 MB result took fresh memory
        int n = (64 << 20) + 1000;
        alloc.directBuffer(n).release();
        ByteBuffer kept = alloc.spare();
        assertEquals(n, kept == null ? 0 : kept.capacity(), "a 64 MB result's buffer was freed, not kept for the next");
    }
}
