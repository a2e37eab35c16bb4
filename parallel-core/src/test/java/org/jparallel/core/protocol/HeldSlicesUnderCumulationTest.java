package org.jparallel.core.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.jparallel.core.leaks.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A held result is a retained slice of the read buffer it arrived in ({@link HeldPayload#slices}); the decoder's
 * cumulation (Netty's {@code ByteToMessageDecoder}) must never write into, compact or reuse that buffer while the
 * slice is held, however the following reads arrive. Here the rest of the next frame comes in many small reads
 * after the held result shares its buffer with that frame's start: past the decoder's merging of reads into the
 * cumulation and its periodic discarding of read bytes (every 16 reads).
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

    private static byte[] wire(Message m) {
        EmbeddedChannel enc = new EmbeddedChannel(new MessageEncoder());
        assertTrue(enc.writeOutbound(m));
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf b = enc.readOutbound(); b != null; b = enc.readOutbound()) {
            all.writeBytes(b);
            b.release();
        }
        enc.finishAndReleaseAll();
        byte[] a = new byte[all.readableBytes()];
        all.readBytes(a);
        all.release();
        return a;
    }

    @Test
    void aHeldResultsBytesStayAsTheyArrivedWhileLaterReadsAreMergedAndDiscarded() {
        ReadPins pins = new ReadPins(1L << 30);
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(1 << 30);
        decoder.holdResultsOffHeap(pins);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        byte[] a = bytes(100 * 1024, 1);
        byte[] b = bytes(60 * 1024, 2);
        byte[] wireA = wire(new Message.Result(1L, 0, a, true));
        byte[] wireB = wire(new Message.Result(2L, 0, b, true));
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
        Message.HeldResult rb = assertInstanceOf(Message.HeldResult.class, ch.readInbound());
        assertArrayEquals(a, ra.payload().take(), "the held result's bytes, untouched by the later reads");
        assertArrayEquals(b, rb.payload().take());
        assertEquals(0, pins.pinned(), "both taken: no read buffer kept");
        ch.finishAndReleaseAll();
    }
}
