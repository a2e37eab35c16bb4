package org.jparallel.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.jparallel.core.leaks.NoLeaks;
import org.jparallel.core.serial.DirectMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The manager's big socket reads on {@link DirectMemory}'s recycled memory ({@link PooledReads}). */
@ExtendWith(NoLeaks.class)
class PooledReadsTest {
    private static final int SIZE = 256 * 1024;

    @Test
    void aBigReadBufferIsEmptyAndWritableToItsCapacityAndItsMemoryServesTheNextOnceReleased() {
        ByteBuf read = PooledReads.allocate(ByteBufAllocator.DEFAULT, SIZE);
        assertTrue(read.isDirect());
        assertEquals(SIZE, read.capacity());
        assertEquals(0, read.readableBytes(), "nothing read yet");
        assertEquals(SIZE, read.writableBytes());
        assertEquals(SIZE, read.maxCapacity(), "never grown: the cumulator copies rather than write past it");
        read.writeBytes(new byte[SIZE]);
        long address = read.hasMemoryAddress() ? read.memoryAddress() : 0;
        long pooled = DirectMemory.pooledBytes();
        read.release();
        assertEquals(pooled + SIZE, DirectMemory.pooledBytes(), "its memory went back to the pool");
        ByteBuf next = PooledReads.allocate(ByteBufAllocator.DEFAULT, SIZE);
        assertEquals(pooled, DirectMemory.pooledBytes(), "and the next read took it");
        if (address != 0) {
            assertEquals(address, next.memoryAddress());
        }
        next.release();
    }

    @Test
    void smallReadsComeFromTheChannelsAllocator() {
        long pooled = DirectMemory.pooledBytes();
        ByteBuf read = PooledReads.allocate(ByteBufAllocator.DEFAULT, PooledReads.FROM - 1);
        read.release();
        assertEquals(pooled, DirectMemory.pooledBytes());
    }

    @Test
    void aResultHeldAsASliceOfAPooledReadGivesItsMemoryBackWhenTaken() {
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(1 << 30);
        decoder.holdResultsOffHeap(new ReadPins(1 << 30));
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        byte[] value = new byte[100 * 1024];
        value[7] = 7;
        EmbeddedChannel enc = new EmbeddedChannel(new MessageEncoder());
        enc.writeOutbound(new Message.Result(1L, 0, value, true));
        ByteBuf read = PooledReads.allocate(ByteBufAllocator.DEFAULT, SIZE);
        for (ByteBuf b; (b = enc.readOutbound()) != null; b.release()) {
            read.writeBytes(b);
        }
        long pooled = DirectMemory.pooledBytes();
        ch.writeInbound(read);
        HeldPayload p = ((Message.HeldResult) ch.readInbound()).payload();
        assertEquals(pooled, DirectMemory.pooledBytes(), "the result keeps its read buffer");
        assertEquals(7, p.take()[7]);
        assertEquals(pooled + SIZE, DirectMemory.pooledBytes(), "taken: the read buffer's memory is back");
        assertFalse(ch.finishAndReleaseAll());
        enc.finishAndReleaseAll();
    }

    @Test
    void theHandleSizesReadsAsTheAllocatorItWraps() {
        RecvByteBufAllocator.Handle h = new PooledReads(new AdaptiveRecvByteBufAllocator(64, 2048, 1 << 20)).newHandle();
        assertEquals(2048, h.guess());
        ByteBuf small = h.allocate(ByteBufAllocator.DEFAULT);
        assertEquals(2048, small.capacity());
        small.release();
    }
}
