package org.jparallel.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire between two Netty {@link EmbeddedChannel}s in the handshake tests, which play one side of a
 * connection by hand: what one side encodes reaches the other side's pipeline as bytes.
 */
public final class EmbeddedWire {
    private EmbeddedWire() {
    }

    /** Encodes {@code m} with {@code encoder}, writes the bytes into {@code to} and runs its pending tasks. */
    public static void send(EmbeddedChannel encoder, Message m, EmbeddedChannel to) {
        encoder.writeOutbound(m);
        ByteBuf b;
        while ((b = encoder.readOutbound()) != null) {
            to.writeInbound(b);
        }
        to.runPendingTasks();
    }

    /** @return every message {@code from} wrote since the last call, decoded by the {@code decoding} channel */
    public static List<Message> received(EmbeddedChannel from, EmbeddedChannel decoding) {
        from.runPendingTasks();
        ByteBuf b;
        while ((b = from.readOutbound()) != null) {
            decoding.writeInbound(b);
        }
        List<Message> out = new ArrayList<>();
        Message m;
        while ((m = decoding.readInbound()) != null) {
            out.add(m);
        }
        return out;
    }
}
