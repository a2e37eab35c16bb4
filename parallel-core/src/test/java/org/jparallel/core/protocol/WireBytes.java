package org.jparallel.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/** Messages as the bytes a peer's encoder puts on the wire, for decoder tests that feed them in reads of their own. */
final class WireBytes {
    private WireBytes() {
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
