package org.jparallel.core.worker;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jparallel.core.protocol.FrameBatch;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.MessageEncoder;
import org.jparallel.core.protocol.PlainFrames;

/**
 * The writing side of a {@link BlockingSession}: each batch of messages one gathering socket write, from any thread
 * (the task threads' reply batches, the timer's heartbeats), one at a time. While Netty's buffers are not set up, a
 * batch that {@link PlainFrames} lays out (HELLO, PROOF, heartbeats, results and failures held as arrays: a fresh
 * worker's first frames) goes as plain arrays (small frames together in one, a longer payload as it is); any other
 * batch (a big {@code byte[]} result, held in a direct buffer) takes the buffers' path ({@link FrameBatch}, {@link
 * MessageEncoder} on Netty's buffers; the direct buffer as it is), and every batch after it.
 */
final class BlockingWrites {
    private final BlockingSession session;
    private final Object writeLock = new Object();
    /** Guarded by writeLock: what one batch turned into. */
    private final List<Object> pending = new ArrayList<>();
    /** Adds to {@link #pending}: a class, not {@code pending::add} (a fresh worker's first reply may take this path). */
    private final Consumer<Object> addPending = new Consumer<Object>() {
        @Override
        public void accept(Object o) {
            pending.add(o);
        }
    };
    /** Guarded by writeLock: a message's frame buffers. */
    private final List<Object> encoded = new ArrayList<>(2);
    /**
     * Guarded by writeLock: the frames of one batch, gathered into one socket write (direct ones as they
     * are: no copy of a big result in the JVM; arrays through the JDK's temporary direct buffer).
     */
    private ByteBuffer[] gather = new ByteBuffer[8];
    /** Whether batches take the buffers' path: once Netty's buffers are set up; guarded by writeLock. */
    private boolean bufferWrites;

    /** @param session whose connection, allocator and outcome the writes use, and which a failed write closes */
    BlockingWrites(BlockingSession session) {
        this.session = session;
    }

    /**
     * Writes a batch of messages, the small frames together in one socket write, in order; from any
     * thread (the task threads' reply batches, the timer's heartbeats). A failed write closes the
     * connection, which ends the session. Takes the batch's big results' buffers whatever happens: sent,
     * or released when they cannot be (the connection closed, a write that broke off).
     */
    void write(List<Message> batch) {
        synchronized (writeLock) {
            boolean framed = false; // whether the batch's messages are all in pending
            int next = 0; // pending's entries from here on are not encoded: their buffers are still theirs
            try {
                if (session.closed()) {
                    return; // nothing will send them: released below
                }
                int count = plain(batch);
                if (count == 0) {
                    bufferWrites = true;
                    FrameBatch.write(session.alloc(), batch, addPending);
                }
                framed = true;
                for (int i = 0; i < pending.size(); i++) {
                    next = i;
                    Object o = pending.get(i);
                    if (o instanceof ByteBuf b) {
                        count = gather(b, count);
                    } else {
                        int from = encoded.size();
                        // the encoder adds a big result's buffer to encoded as its last step: once it
                        // returns, the buffer is encoded's to release
                        MessageEncoder.encode(session.alloc(), (Message) o, encoded);
                        next = i + 1;
                        for (int j = from; j < encoded.size(); j++) {
                            count = gather((ByteBuf) encoded.get(j), count);
                        }
                    }
                    next = i + 1;
                }
                session.connection().write(gather, count);
            } catch (IOException e) {
                if (!session.closed()) {
                    session.outcome.ended("connection error: " + e);
                }
                session.close();
            } catch (RuntimeException | Error e) {
                // part of a frame may be on the wire: nothing more can follow it on this connection
                if (!session.closed()) {
                    session.outcome.ended("cannot write to the manager: " + e);
                }
                session.close();
                throw e;
            } finally {
                java.util.Arrays.fill(gather, null);
                releaseAll(encoded);
                if (framed) {
                    releaseBuffered(pending, next);
                } else {
                    releaseBuffered(batch, 0); // none of it encoded: closed, or the batch's framing broke
                }
                releaseAll(pending);
            }
        }
    }

    /**
     * Puts {@code batch} into {@link #gather} as plain arrays ({@link PlainFrames}) while Netty's buffers are not
     * set up: the decoder has not taken the reads over and no batch took the buffers' path.
     *
     * @return the number of pieces it put, 0 when the batch takes the buffers' path
     */
    private int plain(List<Message> batch) {
        if (bufferWrites || session.readsHandedOver()) {
            return 0;
        }
        ByteBuffer[] frames = PlainFrames.of(batch);
        if (frames == null) {
            return 0;
        }
        if (frames.length > gather.length) {
            gather = java.util.Arrays.copyOf(gather, Math.max(gather.length * 2, frames.length));
        }
        System.arraycopy(frames, 0, gather, 0, frames.length);
        return frames.length;
    }

    /** Adds {@code b}'s readable bytes to {@link #gather} at {@code count}; @return the new count */
    private int gather(ByteBuf b, int count) {
        int n = b.nioBufferCount();
        if (count + n > gather.length) {
            gather = java.util.Arrays.copyOf(gather, Math.max(gather.length * 2, count + n));
        }
        if (n == 1) {
            gather[count++] = b.nioBuffer();
        } else {
            for (ByteBuffer part : b.nioBuffers()) {
                gather[count++] = part;
            }
        }
        return count;
    }

    /** Releases the buffers of the big results among {@code messages} from {@code from} on, which were not encoded. */
    private static void releaseBuffered(List<?> messages, int from) {
        for (int i = from; i < messages.size(); i++) {
            if (messages.get(i) instanceof Message.BufferedResult r) {
                r.bytes().release();
            }
        }
    }

    private static void releaseAll(List<Object> objects) {
        for (int i = 0; i < objects.size(); i++) {
            if (objects.get(i) instanceof ByteBuf b) {
                b.release();
            }
        }
        objects.clear();
    }
}
