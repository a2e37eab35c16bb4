package org.jparallel.core.serial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.internal.CleanableDirectBuffer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jparallel.core.leaks.NoLeaks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Direct buffers of 32 to 512 KB are recycled when cleaned: the next one of about the same size takes their memory. */
@ExtendWith(NoLeaks.class)
class DirectMemoryTest {
    private static final int KB100 = 100 * 1024;

    @BeforeEach
    void emptyPool() {
        DirectMemory.Spares.clear();
    }

    @Test
    void aBufferHasTheLengthAskedForFromPositionZero() {
        CleanableDirectBuffer b = DirectMemory.allocate(KB100 + 13);
        ByteBuffer view = b.buffer();
        assertTrue(view.isDirect());
        assertEquals(0, view.position());
        assertEquals(KB100 + 13, view.limit());
        assertEquals(KB100 + 13, view.capacity(), "its capacity too: held results take it as their length");
        b.clean();
    }

    @Test
    void aCleanedBufferIsKeptOnceAndItsMemoryServesTheNextOfAboutTheSameSize() {
        CleanableDirectBuffer first = DirectMemory.allocate(KB100);
        first.clean();
        first.clean();
        assertEquals(KB100, DirectMemory.Spares.spareBytes(), "kept once, though cleaned twice");
        CleanableDirectBuffer second = DirectMemory.allocate(KB100 - 100);
        assertEquals(0, DirectMemory.Spares.spareBytes(), "the kept memory serves a buffer a little shorter");
        byte[] bytes = new byte[KB100 - 100];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        second.buffer().put(bytes).flip();
        byte[] read = new byte[bytes.length];
        second.buffer().duplicate().get(read);
        assertArrayEquals(bytes, read);
        assertEquals(KB100 - 100, second.buffer().capacity());
        second.clean();
    }

    @Test
    void aSpareMuchLongerThanNeededIsFreedNotUsed() {
        DirectMemory.allocate(4 * KB100).clean();
        assertEquals(4 * KB100, DirectMemory.Spares.spareBytes());
        CleanableDirectBuffer small = DirectMemory.allocate(KB100);
        assertEquals(0, DirectMemory.Spares.spareBytes(), "the misfit was freed");
        assertEquals(KB100, small.buffer().capacity());
        small.clean();
        assertEquals(KB100, DirectMemory.Spares.spareBytes());
    }

    @Test
    void buffersOutsideTheRangeAreFreedAsBefore() {
        DirectMemory.allocate(DirectMemory.RECYCLE_FROM - 1).clean();
        DirectMemory.allocate(DirectMemory.RECYCLE_BELOW).clean();
        assertEquals(0, DirectMemory.Spares.spareBytes());
    }

    @Test
    void thePoolKeepsAtMostItsBytes() {
        List<CleanableDirectBuffer> many = new ArrayList<>();
        for (int i = 0; i < 24; i++) { // 9.6 MB, past the pool's 8 MB
            many.add(DirectMemory.allocate(400 * 1024));
        }
        many.forEach(CleanableDirectBuffer::clean);
        assertTrue(DirectMemory.Spares.spareBytes() <= DirectMemory.Spares.MAX_BYTES,
                DirectMemory.Spares.spareBytes() + " bytes kept");
        assertTrue(DirectMemory.Spares.spareBytes() > 0);
    }
}
