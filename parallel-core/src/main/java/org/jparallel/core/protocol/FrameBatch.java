package org.jparallel.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes a batch of messages to a channel with the small tasks' and replies' frames in one buffer: each
 * message written on its own would cost a pass through the pipeline, a buffer and an entry in the
 * channel's outbound buffer, a large share of a busy worker's network thread with tiny tasks. The small
 * frames are first put together in a byte array and copied into the buffer at once: five or six buffer
 * writes per frame were the largest part of the encoding in a fresh JVM's interpreter and profiled code.
 * Order is kept: a message that cannot be inlined (a big payload, which is wrapped rather than copied)
 * ends the current buffer and goes on its own. Call on the channel's event loop; the caller flushes.
 */
public final class FrameBatch {
    private static final int FIRST_CAPACITY = 512;
    /** A payload up to this long is copied with its head into the array; a longer one straight into the buffer. */
    private static final int COPY_MAX = 256;
    /** The array's size: when it is full, what it holds goes into the buffer and it starts again. */
    private static final int SCRATCH_BYTES = 16 * 1024;
    /** One array per event loop thread, reused: an array a batch was garbage on the warm path. */
    private static final FastThreadLocal<Scratch> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
            return new Scratch();
        }
    };

    /** A thread's array, and whether a write on that thread uses it (a write within a write gets its own). */
    private static final class Scratch {
        final byte[] bytes = new byte[SCRATCH_BYTES];
        boolean busy;
    }

    private FrameBatch() {
    }

    /** Writes {@code messages}, in order, with void promises. */
    public static void write(Channel ch, List<Message> messages) {
        write(ch.alloc(), messages, o -> ch.write(o, ch.voidPromise()));
    }

    /**
     * Hands {@code messages} on, in order, as {@link #write(Channel, List)} writes them to a channel: the
     * small frames together in buffers from {@code alloc}, any other message as itself (to be encoded by
     * {@link MessageEncoder}). For a transport without a pipeline.
     *
     * @param out takes each buffer or message, and with it the buffer's release
     */
    public static void write(ByteBufAllocator alloc, List<Message> messages, Consumer<Object> out) {
        ByteBuf frames = null;
        Scratch mine = SCRATCH.get();
        boolean shared = !mine.busy;
        mine.busy = true;
        byte[] scratch = shared ? mine.bytes : new byte[SCRATCH_BYTES];
        int pos = 0;
        try {
            for (int i = 0; i < messages.size(); i++) {
                Message m = messages.get(i);
                byte[] payload = PlainFrames.inlinePayloadOf(m);
                if (payload == null) {
                    frames = append(alloc, frames, scratch, pos);
                    pos = 0;
                    if (frames != null) {
                        out.accept(frames);
                        frames = null;
                    }
                    out.accept(m);
                    continue;
                }
                boolean copy = payload.length <= COPY_MAX;
                if (pos + PlainFrames.HEAD_MAX + (copy ? payload.length : 0) > scratch.length) {
                    frames = append(alloc, frames, scratch, pos);
                    pos = 0;
                }
                pos = PlainFrames.writeHeadOf(m, payload, scratch, pos);
                if (copy) {
                    System.arraycopy(payload, 0, scratch, pos, payload.length);
                    pos += payload.length;
                } else {
                    frames = append(alloc, frames, scratch, pos).writeBytes(payload);
                    pos = 0;
                }
            }
            frames = append(alloc, frames, scratch, pos);
            if (frames != null) {
                out.accept(frames);
                frames = null;
            }
        } finally {
            if (shared) {
                mine.busy = false;
            }
            if (frames != null) {
                frames.release();
            }
        }
    }

    /** @return {@code frames} (made when {@code null}) with the first {@code n} bytes of {@code scratch} written to it */
    private static ByteBuf append(ByteBufAllocator alloc, ByteBuf frames, byte[] scratch, int n) {
        if (n == 0) {
            return frames;
        }
        ByteBuf b = frames != null ? frames : alloc.buffer(Math.max(FIRST_CAPACITY, n));
        return b.writeBytes(scratch, 0, n);
    }
}
