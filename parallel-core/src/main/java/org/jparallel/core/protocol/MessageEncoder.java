package org.jparallel.core.protocol;

import io.netty.buffer.ByteBuf;
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
    public static final int VERSION = 5;
    /** The longest long string (the serial filter of WELCOME), in UTF-8 bytes. */
    public static final int MAX_LONG_STRING = 1536;
    /**
     * A payload up to this long is copied into its frame's buffer: one buffer per message is cheaper
     * than a header and a wrapped payload for small tasks and results. A longer one is wrapped, not copied.
     */
    public static final int INLINE_PAYLOAD_MAX = 2048;

    @Override
    protected void encode(ChannelHandlerContext ctx, Message m, List<Object> out) {
        switch (m.type()) {
            case HELLO -> {
                Message.Hello h = (Message.Hello) m;
                byte[] host = utf8(h.host());
                byte[] java = utf8(h.javaVersion());
                ByteBuf b = header(ctx, m, 4 + 2 + 4 + 8 + 2 + host.length + 2 + java.length + h.nonce().length);
                b.writeInt(MAGIC).writeShort(h.version()).writeInt(h.workerId()).writeLong(h.pid());
                b.writeShort(host.length).writeBytes(host).writeShort(java.length).writeBytes(java);
                b.writeBytes(h.nonce());
                out.add(b);
            }
            case CHALLENGE -> {
                Message.Challenge c = (Message.Challenge) m;
                out.add(header(ctx, m, c.nonce().length + c.mac().length).writeBytes(c.nonce()).writeBytes(c.mac()));
            }
            case PROOF -> {
                Message.Proof p = (Message.Proof) m;
                out.add(header(ctx, m, p.mac().length).writeBytes(p.mac()));
            }
            case WELCOME -> {
                Message.Welcome w = (Message.Welcome) m;
                byte[] filter = (w.serialFilter() == null ? "" : w.serialFilter()).getBytes(StandardCharsets.UTF_8);
                if (filter.length > MAX_LONG_STRING) {
                    // never cut a filter: a shortened pattern could allow what the whole one rejects
                    throw new IllegalArgumentException("the serial filter is longer than " + MAX_LONG_STRING + " bytes");
                }
                out.add(header(ctx, m, 14 + filter.length)
                        .writeInt(w.heartbeatMillis()).writeInt(w.deathTimeoutMillis()).writeInt(w.maxFrameBytes())
                        .writeShort(filter.length).writeBytes(filter));
            }
            case REJECT -> {
                byte[] reason = utf8(((Message.Reject) m).reason());
                out.add(header(ctx, m, 2 + reason.length).writeShort(reason.length).writeBytes(reason));
            }
            case SETUP -> {
                Message.Setup s = (Message.Setup) m;
                withPayload(out, header(ctx, m, 4 + s.payload().length).writeInt(s.contextId()), s.payload());
            }
            case TASK -> {
                if (m instanceof Message.BufferedTask t) {
                    int length = t.payload().remaining();
                    out.add(header(ctx, m, 12 + length).writeLong(t.taskId()).writeInt(t.contextId()));
                    out.add(Unpooled.wrappedBuffer(t.payload().duplicate()));
                    return;
                }
                Message.Task t = (Message.Task) m;
                withPayload(out, header(ctx, m, 12 + t.payload().length)
                        .writeLong(t.taskId()).writeInt(t.contextId()), t.payload());
            }
            case RESULT -> {
                if (m instanceof Message.BufferedResult r) {
                    out.add(header(ctx, m, 13 + r.bytes().readableBytes())
                            .writeLong(r.taskId()).writeInt(r.workMicros()).writeByte(Message.Result.BYTES_FORMAT));
                    out.add(r.bytes()); // released once written
                    return;
                }
                Message.Result r = (Message.Result) m;
                ByteBuf h = header(ctx, m, 12 + r.wireLength()).writeLong(r.taskId()).writeInt(r.workMicros());
                if (r.rawBytes()) {
                    h.writeByte(Message.Result.BYTES_FORMAT);
                }
                withPayload(out, h, r.payload());
            }
            case FAILURE -> {
                Message.Failure f = (Message.Failure) m;
                withPayload(out, header(ctx, m, 8 + f.payload().length).writeLong(f.taskId()), f.payload());
            }
            case RELEASE -> out.add(header(ctx, m, 4).writeInt(((Message.Release) m).contextId()));
            case SHAPE -> {
                Message.Shape sh = (Message.Shape) m;
                out.add(header(ctx, m, 4 + sh.description().length).writeInt(sh.id()).writeBytes(sh.description()));
            }
            case CANCEL -> {
                Message.Cancel c = (Message.Cancel) m;
                out.add(header(ctx, m, 9).writeLong(c.taskId()).writeBoolean(c.interrupt()));
            }
            case HEARTBEAT, SHUTDOWN -> out.add(header(ctx, m, 0));
        }
    }

    /**
     * Writes a small task's or reply's whole frame into {@code out}, as {@link #encode} would: a task, a
     * result or a failure whose payload is copied into its frame anyway. Lets a batch of them go out as
     * one buffer.
     *
     * @return false, writing nothing, for any other message: it must go through the pipeline
     */
    public static boolean encodeInline(Message m, ByteBuf out) {
        if (m instanceof Message.Task t && t.payload().length <= INLINE_PAYLOAD_MAX) {
            out.writeInt(12 + t.payload().length + 1).writeByte(m.type().code()).writeLong(t.taskId())
                    .writeInt(t.contextId()).writeBytes(t.payload());
            return true;
        }
        if (m instanceof Message.Result r && r.payload().length <= INLINE_PAYLOAD_MAX) {
            out.writeInt(12 + r.wireLength() + 1).writeByte(m.type().code()).writeLong(r.taskId()).writeInt(r.workMicros());
            if (r.rawBytes()) {
                out.writeByte(Message.Result.BYTES_FORMAT);
            }
            out.writeBytes(r.payload());
            return true;
        }
        if (m instanceof Message.Failure f && f.payload().length <= INLINE_PAYLOAD_MAX) {
            out.writeInt(8 + f.payload().length + 1).writeByte(m.type().code()).writeLong(f.taskId()).writeBytes(f.payload());
            return true;
        }
        return false;
    }

    private static ByteBuf header(ChannelHandlerContext ctx, Message m, int bodyLength) {
        ByteBuf b = ctx.alloc().buffer(5 + Math.min(bodyLength, INLINE_PAYLOAD_MAX + 16));
        b.writeInt(bodyLength + 1).writeByte(m.type().code());
        return b;
    }

    private static void withPayload(List<Object> out, ByteBuf header, byte[] payload) {
        if (payload.length <= INLINE_PAYLOAD_MAX) {
            out.add(header.writeBytes(payload));
        } else {
            out.add(header);
            out.add(Unpooled.wrappedBuffer(payload));
        }
    }

    private static byte[] utf8(String s) {
        int max = 512;
        byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        if (b.length > max) {
            byte[] cut = new byte[max];
            System.arraycopy(b, 0, cut, 0, max);
            return cut;
        }
        return b;
    }
}
