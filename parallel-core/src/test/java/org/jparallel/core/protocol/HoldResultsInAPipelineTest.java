package org.jparallel.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.jparallel.core.leaks.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Results are held as slices of the buffers they arrived in only where those buffers are a pipeline's, released
 * and never reused by whoever handed them in: {@link MessageDecoder#holdResultsOffHeap} refuses a decoder outside
 * a pipeline, and {@link MessageDecoder#decodeFrames} (the worker's blocking transport, which reuses its read
 * buffer) refuses a decoder that holds results.
 */
@ExtendWith(NoLeaks.class)
class HoldResultsInAPipelineTest {
    @Test
    void aDecoderOutsideAPipelineRefusesToHoldResults() {
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(1 << 30);
        IllegalStateException e = assertThrows(IllegalStateException.class, decoder::holdResultsOffHeap);
        assertTrue(e.getMessage().contains("pipeline"), e.getMessage());
    }

    @Test
    void aDecoderThatHoldsResultsRefusesBuffersHandedInByHandAndSlicesNothing() {
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(1 << 30);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        decoder.holdResultsOffHeap();
        ByteBuf reused = Unpooled.directBuffer(256 * 1024)
                .writeBytes(WireBytes.of(new Message.Result(1L, 0, new byte[100 * 1024], true)));
        List<Object> out = new ArrayList<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> decoder.decodeFrames(reused, out));
        assertTrue(e.getMessage().contains("pipeline"), e.getMessage());
        assertEquals(1, reused.refCnt(), "no slice of the caller's buffer is held");
        assertEquals(0, reused.readerIndex(), "nothing was read");
        assertTrue(out.isEmpty());
        reused.release();
        ch.writeInbound(Unpooled.directBuffer(256 * 1024)
                .writeBytes(WireBytes.of(new Message.Result(2L, 0, new byte[100 * 1024], true))));
        Message.HeldResult r = assertInstanceOf(Message.HeldResult.class, ch.readInbound(), "in its pipeline it holds");
        r.payload().free();
        ch.finishAndReleaseAll();
    }
}
