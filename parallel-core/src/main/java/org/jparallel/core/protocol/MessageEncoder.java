package org.jparallel.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes {@link Message}s as frames (4-byte length, type byte, body). A payload is not copied: it
 * goes out as a wrapped buffer after a small header. Stateless, so one instance serves every channel.
 */
@ChannelHandler.Sharable
public final class MessageEncoder extends MessageToMessageEncoder<Message> {
    /** The first four bytes of a HELLO: "JPRL". */
    public static final int MAGIC = 0x4A50524C;
    /** The protocol version this build speaks. */
    public static final int VERSION = 8;
    /** The longest long string (the serial filter of WELCOME), in UTF-8 bytes. */
    public static final int MAX_LONG_STRING = 1536;
    /**
     * A payload up to this long is copied into its frame's buffer: one buffer per message is cheaper
     * than a header and a wrapped payload for small tasks and results. A longer one is wrapped, not copied.
     */
    public static final int INLINE_PAYLOAD_MAX = 2048;
    /**
     * The head of a RESULT frame in the raw-bytes form (length, type, task id, work time, format byte): the
     * room a {@link Message.BufferedResult} leaves in front of its bytes for it.
     */
    public static final int RESULT_HEAD = 4 + 1 + 8 + 4 + 1;

    /** An encoder of {@link Message}s (stateless: one may serve every channel). */
    public MessageEncoder() {
        // the type given: Netty would otherwise find it by generic reflection, costly in a fresh JVM
        super(Message.class);
    }

    /**
     * Sharable (as its annotation says): said here rather than found by Netty, which reads the
     * annotation and in a fresh JVM spins proxy classes for it and its meta-annotations.
     */
    @Override
    public boolean isSharable() {
        return true;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Message m, List<Object> out) {
        encode(ctx.alloc(), m, out);
    }

    /**
     * Encodes {@code m} as {@link #encode(ChannelHandlerContext, Message, List)} does, with buffers from
     * {@code alloc}: the one encoding, shared by the pipeline and the worker's blocking transport.
     *
     * @param out receives the frame's buffers, in order (a big payload comes as a second, wrapped one)
     */
    public static void encode(ByteBufAllocator alloc, Message m, List<Object> out) {
        switch (m.type()) {
            case HELLO -> out.add(copy(alloc, PlainFrames.hello((Message.Hello) m)));
            case CHALLENGE -> {
                Message.Challenge c = (Message.Challenge) m;
                out.add(header(alloc, m, c.nonce().length + c.mac().length).writeBytes(c.nonce()).writeBytes(c.mac()));
            }
            case PROOF -> out.add(copy(alloc, PlainFrames.proof((Message.Proof) m)));
            case WELCOME -> {
                Message.Welcome w = (Message.Welcome) m;
                byte[] filter = (w.serialFilter() == null ? "" : w.serialFilter()).getBytes(StandardCharsets.UTF_8);
                if (filter.length > MAX_LONG_STRING) {
                    // never cut a filter: a shortened pattern could allow what the whole one rejects
                    throw new IllegalArgumentException("the serial filter is longer than " + MAX_LONG_STRING + " bytes");
                }
                out.add(header(alloc, m, 15 + filter.length)
                        .writeInt(w.heartbeatMillis()).writeInt(w.deathTimeoutMillis()).writeInt(w.maxFrameBytes())
                        .writeShort(filter.length).writeBytes(filter).writeBoolean(w.resumable()));
            }
            case REJECT -> {
                byte[] reason = PlainFrames.utf8(((Message.Reject) m).reason());
                out.add(header(alloc, m, 2 + reason.length).writeShort(reason.length).writeBytes(reason));
            }
            case SETUP -> withPayload(alloc, m, out);
            case TASK -> {
                if (m instanceof Message.BufferedTask t) {
                    int length = t.payload().remaining();
                    out.add(header(alloc, m, 12 + length).writeLong(t.taskId()).writeInt(t.contextId()));
                    out.add(Unpooled.wrappedBuffer(t.payload().duplicate()));
                    return;
                }
                withPayload(alloc, m, out);
            }
            case RESULT -> {
                if (m instanceof Message.HeldResult) {
                    throw new IllegalArgumentException("a held result is received, never sent");
                }
                if (m instanceof Message.BufferedResult r) {
                    ByteBuf body = r.bytes();
                    if (body.readerIndex() >= RESULT_HEAD) { // room for the head: the frame in one buffer, one write
                        int at = body.readerIndex() - RESULT_HEAD;
                        body.setInt(at, 13 + body.readableBytes() + 1).setByte(at + 4, m.type().code())
                                .setLong(at + 5, r.taskId()).setInt(at + 13, r.workMicros())
                                .setByte(at + 17, Message.Result.BYTES_FORMAT);
                        out.add(body.readerIndex(at));
                        return;
                    }
                    out.add(header(alloc, m, 13 + r.bytes().readableBytes())
                            .writeLong(r.taskId()).writeInt(r.workMicros()).writeByte(Message.Result.BYTES_FORMAT));
                    out.add(r.bytes()); // released once written
                    return;
                }
                withPayload(alloc, m, out);
            }
            case FAILURE -> withPayload(alloc, m, out);
            case RELEASE -> out.add(header(alloc, m, 4).writeInt(((Message.Release) m).contextId()));
            case SHAPE -> {
                Message.Shape sh = (Message.Shape) m;
                out.add(header(alloc, m, 4 + sh.description().length).writeInt(sh.id()).writeBytes(sh.description()));
            }
            case CANCEL -> {
                Message.Cancel c = (Message.Cancel) m;
                out.add(header(alloc, m, 9).writeLong(c.taskId()).writeBoolean(c.interrupt()));
            }
            case HEARTBEAT, SHUTDOWN -> out.add(header(alloc, m, 0));
        }
    }

    /**
     * Writes a small message's whole frame into {@code out}, as {@link #encode} would: a setup, task,
     * result or failure whose payload is copied into its frame anyway. Lets a batch of them go out as one
     * buffer.
     *
     * @return false, writing nothing, for any other message: it must go through the pipeline
     */
    public static boolean encodeInline(Message m, ByteBuf out) {
        byte[] payload = PlainFrames.inlinePayloadOf(m);
        if (payload == null) {
            return false;
        }
        writeHeadOf(m, payload, out).writeBytes(payload);
        return true;
    }

    private static ByteBuf writeHeadOf(Message m, byte[] payload, ByteBuf b) {
        byte[] h = new byte[PlainFrames.HEAD_MAX];
        return b.writeBytes(h, 0, PlainFrames.writeHeadOf(m, payload, h, 0));
    }

    /** @return a buffer with {@code frame}'s bytes: a frame {@link PlainFrames} lays out */
    private static ByteBuf copy(ByteBufAllocator alloc, byte[] frame) {
        return alloc.buffer(frame.length).writeBytes(frame);
    }

    /** A setup, task, result or failure: a small payload copied into its frame's buffer, a big one wrapped after it. */
    private static void withPayload(ByteBufAllocator alloc, Message m, List<Object> out) {
        byte[] payload = PlainFrames.payloadOf(m);
        if (payload.length <= INLINE_PAYLOAD_MAX) {
            ByteBuf b = alloc.buffer(5 + 13 + payload.length);
            writeHeadOf(m, payload, b).writeBytes(payload);
            out.add(b);
        } else {
            out.add(writeHeadOf(m, payload, alloc.buffer(5 + 13)));
            out.add(Unpooled.wrappedBuffer(payload));
        }
    }

    private static ByteBuf header(ByteBufAllocator alloc, Message m, int bodyLength) {
        return head(alloc.buffer(5 + Math.min(bodyLength, INLINE_PAYLOAD_MAX + 16)), m, bodyLength);
    }

    private static ByteBuf head(ByteBuf b, Message m, int bodyLength) {
        return b.writeInt(bodyLength + 1).writeByte(m.type().code());
    }
}
