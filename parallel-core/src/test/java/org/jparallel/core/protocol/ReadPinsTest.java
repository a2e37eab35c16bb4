package org.jparallel.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.jparallel.core.leaks.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The bound on read buffers that held results keep alive ({@link ReadPins}). */
@ExtendWith(NoLeaks.class)
class ReadPinsTest {
    private static final int MB = 1 << 20;

    @Test
    void aBufferIsCountedOnceAtItsCapacityWhateverItsSlicesAndGivenBackWithTheLast() {
        ByteBuf read = UnpooledByteBufAllocator.DEFAULT.directBuffer(MB);
        ReadPins pins = new ReadPins(64 * MB, 1L << 40);
        ReadPins.Pin first = pins.pin(read, null);
        assertSame(first, pins.pin(read, first), "a second slice of the same buffer counts on the same pin");
        assertEquals(MB, pins.pinned());
        first.release();
        assertEquals(MB, pins.pinned(), "one slice still keeps the buffer");
        first.release();
        assertEquals(0, pins.pinned());
        read.release();
    }

    @Test
    void noBufferIsPinnedPastTheLimit() {
        ByteBuf read = UnpooledByteBufAllocator.DEFAULT.directBuffer(MB);
        assertNull(new ReadPins(MB - 1, 1L << 40).pin(read, null));
        read.release();
    }

    /**
     * A pooling allocator cuts read buffers from bigger chunks and gives a chunk back only when none of its buffers
     * is kept, so held slices can keep more memory than their buffers' capacities: while the allocator already uses
     * more than half of the direct memory limit, no new buffer is pinned (the decoder copies the result instead).
     */
    @Test
    void noBufferIsPinnedWhileItsAllocatorUsesOverHalfTheDirectMemoryLimit() {
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(true);
        ByteBuf ballast = alloc.directBuffer(8 * MB);
        ByteBuf read = alloc.directBuffer(MB);
        assertNull(new ReadPins(1L << 30, 16 * MB).pin(read, null), "9 MB used of a 16 MB limit: crowded");
        ReadPins roomy = new ReadPins(1L << 30, 64 * MB);
        ReadPins.Pin pin = roomy.pin(read, null);
        assertNotNull(pin, "9 MB used of a 64 MB limit: room");
        pin.release();
        assertEquals(0, roomy.pinned());
        read.release();
        ballast.release();
    }
}
