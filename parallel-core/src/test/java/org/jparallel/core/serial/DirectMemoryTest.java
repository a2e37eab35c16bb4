package org.jparallel.core.serial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.util.internal.CleanableDirectBuffer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jparallel.core.leaks.NoLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Direct buffers of 32 KB on are recycled by size class when cleaned: the next one of the same class takes their
 * memory, within the pool's bytes. Each test has a pool of its own ({@link DirectMemory.Pool}).
 */
@ExtendWith(NoLeaks.class)
class DirectMemoryTest {
    private static final int KB100 = 100 * 1024;
    private static final int MB = 1 << 20;
    private final DirectMemory.Pool pool = new DirectMemory.Pool(8L * MB, 4 * MB);

    @AfterEach
    void freeThePool() {
        pool.clear();
    }

    /** @return a buffer of {@code bytes} from the pool, every byte {@code value} */
    private CleanableDirectBuffer filled(int bytes, byte value) {
        CleanableDirectBuffer b = pool.allocate(bytes);
        assertNotNull(b);
        ByteBuffer view = b.buffer();
        while (view.hasRemaining()) {
            view.put(value);
        }
        view.flip();
        return b;
    }

    @Test
    void aBufferHasTheLengthAskedForFromPositionZero() {
        CleanableDirectBuffer b = pool.allocate(KB100 + 13);
        ByteBuffer view = b.buffer();
        assertTrue(view.isDirect());
        assertEquals(0, view.position());
        assertEquals(KB100 + 13, view.limit());
        assertEquals(KB100 + 13, view.capacity(), "its capacity too: held results take it as their length");
        b.clean();
    }

    @Test
    void classesAreAtMostAnEighthLongerThanAsked() {
        for (int bytes = DirectMemory.POOL_FROM; bytes <= 64 * MB; bytes += bytes / 7 + 1) {
            int c = DirectMemory.classCapacity(bytes);
            assertTrue(c >= bytes && c - bytes <= bytes / 8, bytes + " -> " + c);
            assertEquals(c, DirectMemory.classCapacity(c), "a class capacity is its own class");
        }
        assertEquals(DirectMemory.classCapacity(102_400), DirectMemory.classCapacity(102_900),
                "a 100 KB result and a 100 KB task payload (its lambda besides) share a class");
        int index = -1;
        for (int c = DirectMemory.POOL_FROM; c <= 64 * MB; c = DirectMemory.classCapacity(c + 1)) {
            assertEquals(index + 1, DirectMemory.classIndex(c), "classes are numbered in order, " + c);
            index++;
        }
    }

    @Test
    void aCleanedBufferIsKeptOnceAndServesTheNextOfItsClassEvenALongerOne() {
        CleanableDirectBuffer first = filled(102_400, (byte) 7);
        first.clean();
        first.clean();
        int capacity = DirectMemory.classCapacity(102_400);
        assertEquals(capacity, pool.pooledBytes(), "kept once, though cleaned twice, as its class's memory");
        CleanableDirectBuffer second = pool.allocate(102_900);
        assertEquals(0, pool.pooledBytes(), "the kept memory serves a slightly longer buffer of the same class");
        assertEquals(102_900, second.buffer().capacity());
        assertEquals(7, second.buffer().get(1000), "the same memory, not zeroed: the first buffer's bytes");
        byte[] bytes = new byte[102_900];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        second.buffer().put(bytes).flip();
        byte[] read = new byte[bytes.length];
        second.buffer().duplicate().get(read);
        assertArrayEquals(bytes, read);
        second.clean();
        assertEquals(capacity, pool.pooledBytes());
    }

    @Test
    void aBigPayloadsMemoryServesTheNextBigPayload() {
        filled(2 * MB, (byte) 7).clean();
        CleanableDirectBuffer second = pool.allocate(2 * MB - 1000);
        assertEquals(7, second.buffer().get(12345), "not the same memory: the first payload's bytes are gone");
        assertEquals(2 * MB - 1000, second.buffer().limit(), "a reused buffer is as long as asked for, not as its memory");
        second.clean();
        assertEquals(2 * MB, pool.pooledBytes());
    }

    @Test
    void anotherClassIsNotServedFromAKeptBuffer() {
        filled(4 * KB100, (byte) 1).clean();
        CleanableDirectBuffer small = pool.allocate(KB100);
        assertEquals(0, small.buffer().get(100), "fresh memory, zeroed");
        assertEquals(DirectMemory.classCapacity(4 * KB100), pool.pooledBytes(), "the other class's memory stays kept");
        small.clean();
    }

    @Test
    void buffersOutsideTheRangeAreFreedAsBefore() {
        pool.allocate(DirectMemory.POOL_FROM - 1).clean();
        pool.allocate(4 * MB + 1).clean();
        assertEquals(0, pool.pooledBytes());
    }

    @Test
    void thePoolKeepsAtMostItsBytesAndTheClassesInUse() {
        List<CleanableDirectBuffer> many = new ArrayList<>();
        for (int i = 0; i < 24; i++) { // ~10 MB, past the pool's 8 MB
            many.add(pool.allocate(400 * 1024));
        }
        many.forEach(CleanableDirectBuffer::clean);
        assertTrue(pool.pooledBytes() <= 8L * MB, pool.pooledBytes() + " bytes kept");
        assertTrue(pool.pooledBytes() > 7L * MB, pool.pooledBytes() + " bytes kept");
        CleanableDirectBuffer big = pool.allocate(3 * MB);
        big.clean(); // the pool is full of 400 KB buffers, used less recently: they make room
        CleanableDirectBuffer again = pool.allocate(3 * MB);
        assertTrue(pool.pooledBytes() <= 8L * MB - 3 * MB, pool.pooledBytes() + " bytes kept");
        again.clean();
        assertTrue(pool.pooledBytes() <= 8L * MB, pool.pooledBytes() + " bytes kept");
    }

    @Test
    void theJvmsPoolServesAllocate() {
        CleanableDirectBuffer b = DirectMemory.allocate(KB100);
        assertNotNull(b);
        long before = DirectMemory.pooledBytes();
        b.clean();
        assertTrue(DirectMemory.POOL_BYTES < (1L << 20) || DirectMemory.pooledBytes() > before,
                "recycled into the pool of " + DirectMemory.POOL_BYTES + " bytes");
    }

    @Test
    void aSixtyFourMegabyteArraysPayloadWithItsHeadIsRecycled() {
        long poolBytes = 256L * MB; // the JVM's pool at a direct memory limit of 2 GB and more
        assumeTrue(io.netty.util.internal.PlatformDependent.maxDirectMemory() >= 2 * 72L * MB,
                "the direct memory limit has no room for the test's buffers");
        // a task capturing a 64 MB array: the array, then its head (WITH_ARRAYS, the count, the length) and the
        // lambda's stream; with 64 MB at most recycled, every 64 MB task took fresh memory (16,400 page faults)
        int bytes = 64 * MB + 1 + 4 + 4 + 700;
        DirectMemory.Pool big = new DirectMemory.Pool(poolBytes, DirectMemory.maxRecycled(poolBytes));
        try {
            CleanableDirectBuffer payload = big.allocate(bytes);
            assertNotNull(payload, "no direct memory for the test's payload");
            payload.clean();
            assertEquals(DirectMemory.classCapacity(bytes), big.pooledBytes(),
                    "a 64 MB array's payload was freed, not kept for the next");
        } finally {
            big.clear();
        }
    }
}
