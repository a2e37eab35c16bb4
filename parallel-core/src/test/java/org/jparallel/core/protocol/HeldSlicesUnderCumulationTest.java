package org.jparallel.core.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.jparallel.core.leaks.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A held result is a retained slice of the read buffer it arrived in ({@link HeldPayload#slices}); the decoder's
 * cumulation (Netty's {@code ByteToMessageDecoder}) must never write into, compact or reuse that buffer while the
 * slice is held, however the following reads arrive. Here a small frame (under {@link MessageDecoder#STREAM_FROM},
 * so its bytes stay in the cumulation) starts in the held result's read buffer, which has room to spare, and its
 * rest comes in 40 small reads: Netty merges them into that buffer's free room (never before the held bytes) and
 * reaches its periodic discarding of read bytes (every 16 reads), which it must skip while the slice is held.
 */
@ExtendWith(NoLeaks.class)
class HeldSlicesUnderCumulationTest {

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + seed);
        }
        return b;
    }

    @Test
    void aHeldResultsBytesStayAsTheyArrivedWhileLaterReadsAreMergedAndDiscarded() {
        ReadPins pins = new ReadPins(1L << 30, 1L << 40); // bounds that never refuse: the slice path
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(1 << 30);
        decoder.holdResultsOffHeap(pins);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        byte[] a = bytes(100 * 1024, 1);
        byte[] b = bytes(MessageDecoder.STREAM_FROM - 12 * 1024, 2); // stays in the cumulation
        byte[] wireA = WireBytes.of(new Message.Result(1L, 0, a, true));
        byte[] wireB = WireBytes.of(new Message.Result(2L, 0, b, true));
        int head = 1000; // B's first bytes share A's read buffer, which has room to spare
        ch.writeInbound(Unpooled.directBuffer(wireA.length + 64 * 1024).writeBytes(wireA).writeBytes(wireB, 0, head));
        Message.HeldResult ra = assertInstanceOf(Message.HeldResult.class, ch.readInbound());
        assertNull(ch.readInbound(), "B is not complete");
        assertTrue(pins.pinned() > 0, "A is held as a slice of its read buffer, which B's first bytes share");
        int piece = (wireB.length - head) / 40 + 1; // 40 small reads, past two of the decoder's discards
        for (int at = head; at < wireB.length; at += piece) {
            int n = Math.min(piece, wireB.length - at);
            ch.writeInbound(Unpooled.directBuffer(n).writeBytes(wireB, at, n));
        }
        Message.Result rb = assertInstanceOf(Message.Result.class, ch.readInbound(), "a small result: an array");
        assertArrayEquals(b, rb.payload());
        assertArrayEquals(a, ra.payload().take(), "the held result's bytes, untouched by the later reads");
        assertEquals(0, pins.pinned(), "both taken: no read buffer kept");
        ch.finishAndReleaseAll();
    }
}
