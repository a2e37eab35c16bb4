package org.jparallel.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.List;

/**
 * Writes a batch of messages to a channel with the small tasks' and replies' frames in one buffer: each
 * message written on its own would cost a pass through the pipeline, a buffer and an entry in the
 * channel's outbound buffer, a large share of a busy worker's network thread with tiny tasks. Order is
 * kept: a message that cannot be inlined (a big payload, which is wrapped rather than copied) ends the
 * current buffer and goes on its own. Call on the channel's event loop; the caller flushes.
 */
public final class FrameBatch {
    private static final int FIRST_CAPACITY = 512;

    private FrameBatch() {
    }

    /** Writes {@code messages}, in order, with void promises. */
    public static void write(Channel ch, List<Message> messages) {
        ByteBuf frames = null;
        try {
            for (int i = 0; i < messages.size(); i++) {
                Message m = messages.get(i);
                if (frames == null) {
                    frames = ch.alloc().buffer(FIRST_CAPACITY);
                }
                if (!MessageEncoder.encodeInline(m, frames)) {
                    if (frames.isReadable()) {
                        ch.write(frames, ch.voidPromise());
                        frames = null;
                    }
                    ch.write(m, ch.voidPromise());
                }
            }
            if (frames != null && frames.isReadable()) {
                ch.write(frames, ch.voidPromise());
                frames = null;
            }
        } finally {
            if (frames != null) {
                frames.release();
            }
        }
    }
}
