package org.jparallel.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BulkPingPongTest {
    /** @return frames of the given body sizes, each a 4-byte length and a body of bytes counting from its index */
    private static byte[] frames(int... sizes) {
        ByteBuf b = Unpooled.buffer();
        for (int i = 0; i < sizes.length; i++) {
            b.writeInt(sizes[i]);
            for (int k = 0; k < sizes[i]; k++) {
                b.writeByte(i + k);
            }
        }
        byte[] a = new byte[b.readableBytes()];
        b.readBytes(a);
        return a;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 5, 1000, 70_000})
    void theEchoWritesBackEveryFrameAsItCameHoweverItsBytesArrive(int piece) {
        byte[] wire = frames(100_000, 1, 0, 5_000, 3);
        EmbeddedChannel ch = new EmbeddedChannel(new BulkPingPong.Echo());
        List<ByteBuf> pieces = new ArrayList<>();
        for (int at = 0; at < wire.length; at += piece) {
            ByteBuf p = Unpooled.directBuffer(piece).writeBytes(wire, at, Math.min(piece, wire.length - at));
            pieces.add(p);
            ch.writeInbound(p);
        }
        ch.flushOutbound();
        ByteBuf echoed = Unpooled.buffer();
        int frames = 0;
        for (ByteBuf out; (out = ch.readOutbound()) != null; frames++) {
            echoed.writeBytes(out);
            out.release();
        }
        assertEquals(5, frames, "one write per frame");
        byte[] back = new byte[echoed.readableBytes()];
        echoed.readBytes(back);
        assertArrayEquals(wire, back);
        ch.finishAndReleaseAll();
        assertTrue(pieces.stream().allMatch(p -> p.refCnt() == 0), "a read buffer was never released");
    }
}
