package org.jparallel.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Messages as the bytes a peer's encoder puts on the wire, for decoder tests that feed them in reads of their own,
 * and payloads to put in them.
 */
final class WireBytes {
    private WireBytes() {
    }

    /** @return {@code n} bytes of a pattern that {@code seed} shifts, for payloads whose every byte is checked */
    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    /** @return the frames of {@code messages}, in order, as {@link MessageEncoder} writes them */
    static byte[] of(Message... messages) {
        EmbeddedChannel enc = new EmbeddedChannel(new MessageEncoder());
        for (Message m : messages) {
            enc.writeOutbound(m);
        }
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
}
