package org.jparallel.core.worker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.MessageDecoder;
import org.jparallel.core.protocol.PlainFrameReader;
import org.jparallel.core.protocol.SocketReads;

/**
 * The reading side of a {@link BlockingSession}, its reader thread's: the connection's bytes decoded into messages,
 * at first by a {@link PlainFrameReader} on a plain array, then by {@link MessageDecoder} over Netty's buffers. A
 * fresh worker thus reads its handshake and its first tasks without setting Netty's buffers up (a third of its time
 * to its first result, docs/benchmarks/2026-12-07-cold6.md). It hands over to the decoder, the unread bytes with it,
 * at the first frame the plain reader leaves to it (a big one, a task with attached arrays, a type a manager does
 * not send a worker), and never before: a worker whose tasks and setups are small never sets Netty's buffers up.
 * (Handing over once the first replies were out moved their set-up onto the first tasks after the first result:
 * a fresh worker's first 2,000 tasks after it took 1.4 times as long, docs/benchmarks/2026-12-07-plain.md.)
 */
final class BlockingReads {
    /** The room a read has at first. */
    static final int READ_MIN = 16 * 1024;

    private final InputStream input;
    private final Supplier<ByteBufAllocator> alloc;
    private PlainFrameReader plain = new PlainFrameReader(READ_MIN);
    private volatile boolean handedOver;
    private MessageDecoder decoder;
    private ByteBuf in;
    /** The room a read has: it grows once the manager is authenticated. */
    private int readSize = READ_MIN;
    private boolean authenticated;
    private int maxFrameBytes;

    /**
     * @param input the connection's bytes
     * @param alloc the allocator of the read buffer, asked for at the hand-over
     */
    BlockingReads(InputStream input, Supplier<ByteBufAllocator> alloc) {
        this.input = input;
        this.alloc = alloc;
    }

    /** The manager is authenticated: the session's frame limit, and the decoder's payloads read as they arrive. */
    void authenticated(int maxFrame) {
        authenticated = true;
        maxFrameBytes = maxFrame;
        if (plain != null) {
            plain.authenticated(maxFrame);
        } else {
            decoder.authenticated(maxFrame);
            decoder.payloadsAtOnce();
        }
    }

    /** @return true once the decoder reads (Netty's buffers are set up); from any thread */
    boolean handedOver() {
        return handedOver;
    }

    /**
     * Decodes the whole messages read into {@code out}, as {@link MessageDecoder#decodeFrames} does: before
     * authentication one at a time (its handler may lift the limits before the next is read).
     *
     * @throws org.jparallel.core.protocol.ProtocolException when the bytes break the protocol
     */
    void decode(List<Object> out) {
        if (plain != null) {
            while (true) {
                Message m = plain.next();
                if (m == null) {
                    break;
                }
                out.add(m);
                if (!authenticated) {
                    return; // one message at a time: none of this call's is in out when it hands over below
                }
            }
            if (!plain.stopped()) {
                return;
            }
            handOver();
        }
        decoder.decodeFrames(in, out); // even with nothing in it: a direct read may have ended a payload
    }

    private void handOver() {
        ByteBuffer unread = plain.unread();
        plain = null;
        decoder = new MessageDecoder();
        if (authenticated) {
            decoder.authenticated(maxFrameBytes);
            decoder.payloadsAtOnce();
        }
        in = alloc.get().heapBuffer(Math.max(READ_MIN, unread.remaining()));
        in.writeBytes(unread);
        handedOver = true;
    }

    /**
     * Reads what the socket has (waiting for at least a byte). On the decoder's buffer, into room for {@link
     * #readSize} bytes: it starts small and, once the manager is authenticated, doubles while reads come full, up to
     * {@link SocketReads#AUTHENTICATED_MAX}, as the pipeline's reads do (a big payload then arrives in a few big
     * reads).
     *
     * @return false at the end of the stream
     */
    boolean fill() throws IOException {
        if (plain != null) {
            return plain.read(input, READ_MIN) >= 0;
        }
        if (!in.isReadable()) {
            // a big payload's bytes go from the socket straight into its array (MessageDecoder.payloadsAtOnce)
            int direct = decoder.readPayloadInto(input, SocketReads.AUTHENTICATED_MAX);
            if (direct != 0) {
                return direct > 0;
            }
        }
        if (in.refCnt() > 1) {
            // the decoder holds a retained slice of it (part of a big payload): leave its bytes alone, as
            // Netty's cumulation does, and read on into a fresh buffer
            ByteBuf fresh = alloc.get().heapBuffer(in.readableBytes() + readSize);
            fresh.writeBytes(in);
            in.release();
            in = fresh;
        } else {
            in.discardSomeReadBytes();
        }
        in.ensureWritable(readSize);
        int want = Math.min(in.writableBytes(), SocketReads.AUTHENTICATED_MAX);
        int n = in.writeBytes(input, want);
        if (n == want && authenticated && readSize < SocketReads.AUTHENTICATED_MAX) {
            readSize = Math.min(readSize * 2, SocketReads.AUTHENTICATED_MAX);
        }
        return n >= 0;
    }

    /** Releases the decoder's read buffer, if it has one; the reader's last act. */
    void release() {
        if (in != null) {
            in.release();
        }
    }
}
