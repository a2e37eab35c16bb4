package org.jparallel.core.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.util.internal.CleanableDirectBuffer;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;
import org.jparallel.core.leaks.NoLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The manager's big task payloads reusing the memory of the last one released ({@link DirectMemory#allocateReusing}). */
@ExtendWith(NoLeaks.class)
class DirectMemoryReuseTest {
    private static final int MB = 1 << 20;

    /** Other tests in this JVM (managers sending big tasks) may have left memory kept: none before or after each. */
    @BeforeEach
    @AfterEach
    void emptyTheSpare() {
        CleanableDirectBuffer b = DirectMemory.allocateReusing(DirectMemory.spareCapacity() > 0 ? DirectMemory.spareCapacity() : 1);
        if (b != null) {
            b.clean();
        }
    }

    /** @return a buffer whose every byte is {@code value}, position 0, limit its length */
    private static CleanableDirectBuffer filled(int bytes, byte value) {
        CleanableDirectBuffer b = DirectMemory.allocateReusing(bytes);
        assertNotNull(b);
        ByteBuffer view = b.buffer();
        assertEquals(0, view.position());
        assertEquals(bytes, view.limit());
        while (view.hasRemaining()) {
            view.put(value);
        }
        view.flip();
        return b;
    }

    @Test
    void aReleasedBigPayloadsMemoryServesTheNextOneOfAboutItsLength() {
        CleanableDirectBuffer first = filled(2 * MB, (byte) 7);
        DirectMemory.release(first);
        assertEquals(2 * MB, DirectMemory.spareCapacity(), "the memory was not kept");
        CleanableDirectBuffer second = DirectMemory.allocateReusing(2 * MB - 1000);
        assertEquals(0, DirectMemory.spareCapacity(), "the kept memory was not taken");
        ByteBuffer view = second.buffer();
        assertEquals(0, view.position());
        assertEquals(2 * MB - 1000, view.limit(), "a reused buffer is as long as asked for, not as its memory");
        assertEquals(7, view.get(12345), "not the same memory: the first payload's bytes are gone");
        DirectMemory.release(second);
        assertEquals(2 * MB, DirectMemory.spareCapacity(), "a reused buffer's memory is kept again when released");
    }

    @Test
    void aMisfitIsFreedForAFreshBufferAndSmallOrHugeOnesAreNotKept() {
        DirectMemory.release(filled(4 * MB, (byte) 1));
        CleanableDirectBuffer smaller = DirectMemory.allocateReusing(2 * MB); // 4 MB is more than a quarter too long
        assertEquals(0, DirectMemory.spareCapacity(), "the misfit was kept beside the new buffer");
        assertEquals(0, smaller.buffer().get(100), "a misfit's memory was lent, not a fresh buffer");
        DirectMemory.release(smaller);
        DirectMemory.release(filled(MB - 1, (byte) 2));
        assertEquals(2 * MB, DirectMemory.spareCapacity(), "a buffer under a megabyte replaced the kept one");
        if (DirectMemory.KEEP_UP_TO < Integer.MAX_VALUE - 1) {
            CleanableDirectBuffer huge = DirectMemory.allocate((int) DirectMemory.KEEP_UP_TO + 1);
            if (huge != null) { // the direct memory limit may not allow it
                DirectMemory.release(huge);
                assertEquals(2 * MB, DirectMemory.spareCapacity(), "a buffer over the limit was kept");
            }
        }
    }

    @Test
    void aSixtyFourMegabyteArraysPayloadWithItsHeadIsKept() {
        assumeTrue(PlatformDependent.maxDirectMemory() / 4 >= 65L * MB, "the direct memory limit keeps less than 65 MB");
        // a task capturing a 64 MB array: the array, then its head (WITH_ARRAYS, the count, the length) and the
        // lambda's stream; kept only up to 64 MB, every 64 MB task took fresh memory (16,400 page faults each)
        int bytes = 64 * MB + 1 + 4 + 4 + 700;
        CleanableDirectBuffer payload = DirectMemory.allocateReusing(bytes);
        assertNotNull(payload, "no direct memory for the test's payload");
        DirectMemory.release(payload);
        assertEquals(bytes, DirectMemory.spareCapacity(), "a 64 MB array's payload was freed, not kept for the next");
    }
}
