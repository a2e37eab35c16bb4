package org.jparallel.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.List;
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

    /**
     * A held payload releases its pins before its slices: once a read buffer's last slice is released, a pooling
     * allocator may hand the same ByteBuf object out again as a new read buffer, and a pin still open on it would
     * count that new buffer as its own ({@link ReadPins#pin} reuses the last pin of the same object).
     */
    @Test
    void aHeldPayloadGivesItsPinBackBeforeItsSliceLetsGoOfTheReadBuffer() {
        ByteBuf read = UnpooledByteBufAllocator.DEFAULT.directBuffer(MB).writeBytes(new byte[100]);
        ReadPins pins = new ReadPins(64 * MB, 1L << 40);
        ReadPins.Pin pin = pins.pin(read, null);
        long[] pinnedWhenReleased = {-1};
        ByteBuf slice = new UnpooledHeapByteBuf(UnpooledByteBufAllocator.DEFAULT, 100, 100) {
            @Override
            protected void deallocate() { // the slice's last release: its read buffer may be anybody's from here
                pinnedWhenReleased[0] = pins.pinned();
                super.deallocate();
            }
        }.writeBytes(new byte[100]);
        HeldPayload.slices(List.of(slice), List.of(pin)).free();
        assertEquals(0, slice.refCnt());
        assertEquals(0, pinnedWhenReleased[0], "the pin was still open when its slice was released");
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
