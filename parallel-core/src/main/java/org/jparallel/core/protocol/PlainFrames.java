package org.jparallel.core.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Frames laid out in plain byte arrays, big-endian as a {@code ByteBuf} writes them: the one place the layout of a
 * HELLO, a PROOF and the head of a setup, task, result or failure is written. {@link MessageEncoder} and {@link
 * FrameBatch} copy these arrays into Netty's buffers; a fresh worker's blocking transport writes them as they are
 * ({@link #of}), so that it touches none of Netty's buffer classes (whose static set-up was a third of a fresh
 * worker's time to its first result, docs/benchmarks/2026-12-07-cold6.md) before its first result is out.
 */
public final class PlainFrames {
    /** The longest head of a setup's, task's, result's or failure's frame: length, type and the fields before the payload. */
    static final int HEAD_MAX = 5 + 13;

    private PlainFrames() {
    }

    /**
     * @return the frames of {@code messages}, in order, as {@link MessageEncoder} writes them, in pieces to write with
     *     one gathering write: the heads and the payloads up to {@link MessageEncoder#INLINE_PAYLOAD_MAX} copied into
     *     one array, a longer payload as its own array, wrapped, not copied (as MessageEncoder wraps it); {@code null}
     *     when one of them is not a heartbeat, a setup, task, result or failure held as a {@code byte[]} ({@link
     *     #payloadOf}), or a HELLO or PROOF alone
     */
    public static ByteBuffer[] of(List<Message> messages) {
        int n = 0;
        int wrapped = 0;
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (m instanceof Message.Hello || m instanceof Message.Proof) {
                return messages.size() == 1 ? new ByteBuffer[] {ByteBuffer.wrap(m instanceof Message.Hello h ? hello(h)
                        : proof((Message.Proof) m))} : null;
            }
            if (m != Message.Heartbeat.INSTANCE) {
                byte[] payload = payloadOf(m);
                if (payload == null) {
                    return null;
                }
                if (payload.length > MessageEncoder.INLINE_PAYLOAD_MAX) {
                    n += HEAD_MAX;
                    wrapped++;
                } else {
                    n += HEAD_MAX + payload.length;
                }
            } else {
                n += 5;
            }
        }
        byte[] out = new byte[n];
        ByteBuffer[] pieces = new ByteBuffer[2 * wrapped + 1];
        int count = 0;
        int from = 0;
        int pos = 0;
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (m == Message.Heartbeat.INSTANCE) {
                pos = head(out, pos, m, 0);
                continue;
            }
            byte[] payload = payloadOf(m);
            pos = writeHeadOf(m, payload, out, pos);
            if (payload.length > MessageEncoder.INLINE_PAYLOAD_MAX) {
                pieces[count++] = ByteBuffer.wrap(out, from, pos - from);
                pieces[count++] = ByteBuffer.wrap(payload);
                from = pos;
            } else {
                System.arraycopy(payload, 0, out, pos, payload.length);
                pos += payload.length;
            }
        }
        if (pos > from || count == 0) {
            pieces[count++] = ByteBuffer.wrap(out, from, pos - from);
        }
        return count == pieces.length ? pieces : java.util.Arrays.copyOf(pieces, count);
    }

    /** @return the whole frame of {@code h} */
    static byte[] hello(Message.Hello h) {
        byte[] host = utf8(h.host());
        byte[] java = utf8(h.javaVersion());
        byte[] f = new byte[5 + 4 + 2 + 4 + 8 + 2 + host.length + 2 + java.length + h.nonce().length + 8 + 4];
        int at = putInt(f, head(f, 0, h, f.length - 5), MessageEncoder.MAGIC);
        at = putInt(f, putShort(f, at, h.version()), h.workerId());
        at = putBytes(f, putShort(f, putLong(f, at, h.pid()), host.length), host);
        at = putBytes(f, putShort(f, at, java.length), java);
        putInt(f, putLong(f, putBytes(f, at, h.nonce()), h.lifetimeMillis()), h.slots());
        return f;
    }

    /** @return the whole frame of {@code p} */
    static byte[] proof(Message.Proof p) {
        byte[] f = new byte[5 + p.mac().length];
        putBytes(f, head(f, 0, p, p.mac().length), p.mac());
        return f;
    }

    /**
     * @return the payload of a setup, task, result or failure whose frame is copied whole into its buffer (and into
     *     a batch's array), else {@code null}
     */
    static byte[] inlinePayloadOf(Message m) {
        byte[] payload = payloadOf(m);
        return payload == null || payload.length > MessageEncoder.INLINE_PAYLOAD_MAX ? null : payload;
    }

    /** @return the payload of a setup, task, result or failure held as a {@code byte[]}, else {@code null} */
    static byte[] payloadOf(Message m) {
        if (m instanceof Message.Result r) { // first: a worker's replies, the most frequent
            return r.payload();
        }
        if (m instanceof Message.Task t) {
            return t.payload();
        }
        if (m instanceof Message.Setup s) {
            return s.payload();
        }
        return m instanceof Message.Failure f ? f.payload() : null;
    }

    /**
     * Writes the frame of a setup, task, result or failure up to its payload into {@code dst} from {@code pos} (at
     * most {@link #HEAD_MAX} bytes). Plain array stores, so that a batch of small frames costs a fresh JVM one
     * buffer write rather than five or six per frame.
     *
     * @return the position after the head
     */
    static int writeHeadOf(Message m, byte[] payload, byte[] dst, int pos) {
        if (m instanceof Message.Result r) {
            int at = head(dst, pos, m, 12 + r.wireLength());
            at = putInt(dst, putLong(dst, at, r.taskId()), r.workMicros());
            if (r.rawBytes()) {
                dst[at++] = Message.Result.BYTES_FORMAT;
            }
            return at;
        }
        if (m instanceof Message.Task t) {
            return putInt(dst, putLong(dst, head(dst, pos, m, 12 + payload.length), t.taskId()), t.contextId());
        }
        if (m instanceof Message.Setup s) {
            return putInt(dst, head(dst, pos, m, 4 + payload.length), s.contextId());
        }
        return putLong(dst, head(dst, pos, m, 8 + payload.length), ((Message.Failure) m).taskId());
    }

    /** @return {@code s}'s UTF-8 bytes, cut at the longest string of most fields ({@link FrameBodies#MAX_STRING} bytes) */
    static byte[] utf8(String s) {
        byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        if (b.length > FrameBodies.MAX_STRING) {
            byte[] cut = new byte[FrameBodies.MAX_STRING];
            System.arraycopy(b, 0, cut, 0, FrameBodies.MAX_STRING);
            return cut;
        }
        return b;
    }

    /** Writes a frame's length and type for a body of {@code bodyLength} bytes; @return the position after them */
    private static int head(byte[] dst, int pos, Message m, int bodyLength) {
        dst[putInt(dst, pos, bodyLength + 1)] = (byte) m.type().code();
        return pos + 5;
    }

    private static int putShort(byte[] dst, int pos, int v) {
        dst[pos] = (byte) (v >>> 8);
        dst[pos + 1] = (byte) v;
        return pos + 2;
    }

    private static int putInt(byte[] dst, int pos, int v) {
        dst[pos] = (byte) (v >>> 24);
        dst[pos + 1] = (byte) (v >>> 16);
        dst[pos + 2] = (byte) (v >>> 8);
        dst[pos + 3] = (byte) v;
        return pos + 4;
    }

    private static int putLong(byte[] dst, int pos, long v) {
        return putInt(dst, putInt(dst, pos, (int) (v >>> 32)), (int) v);
    }

    private static int putBytes(byte[] dst, int pos, byte[] b) {
        System.arraycopy(b, 0, dst, pos, b.length);
        return pos + b.length;
    }
}
