package org.jparallel.core.leaks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link NoLeaks} finds a buffer made and never released, even the first one made at a call site (every buffer
 * is tracked, not one in 128), and says where it was made; a released one is no leak.
 */
class NoLeaksTest {
    @Test
    void aBufferNeverReleasedIsFoundWithWhereItWasMade() {
        NoLeaks.collect(); // earlier classes' leaks are theirs
        makeAndDrop();
        List<String> leaks = NoLeaks.collect();
        assertEquals(1, leaks.size(), "leaks found: " + leaks);
        assertTrue(leaks.get(0).contains("NoLeaksTest.makeAndDrop"), leaks.get(0));
    }

    @Test
    void releasedBuffersAreNoLeak() {
        NoLeaks.collect();
        for (int i = 0; i < 100; i++) {
            Unpooled.directBuffer(16).writeLong(i).release();
            ByteBuf pooled = PooledByteBufAllocator.DEFAULT.buffer(16).writeLong(i);
            pooled.retainedSlice().release();
            pooled.release();
        }
        assertEquals(List.of(), NoLeaks.collect());
    }

    /** Makes one buffer and drops it unreleased; a method of its own, so no frame of the test still holds it. */
    private static void makeAndDrop() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64).writeInt(42);
        assertEquals(1, b.refCnt());
    }
}
