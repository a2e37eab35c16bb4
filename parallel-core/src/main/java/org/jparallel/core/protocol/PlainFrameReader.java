package org.jparallel.core.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.jparallel.core.serial.PayloadFormat;

/**
 * The blocking worker's decoder of the small frames a manager sends it, from the handshake on and for as long as its
 * session lasts (not only a fresh worker's first frames): decoded from a plain growable {@code byte[]} with {@link
 * MessageDecoder}'s checks and messages, so that a worker JVM reaches its first result, and runs small tasks after
 * it, without Netty's buffer classes, whose static set-up was a third of a fresh worker's time to that result
 * (docs/benchmarks/2026-12-07-cold6.md, 2026-12-07-plain.md). It decodes CHALLENGE, WELCOME, REJECT, and once {@link
 * #authenticated} SETUP, TASK (without attached arrays), HEARTBEAT, SHUTDOWN, CANCEL, RELEASE and SHAPE, each frame's
 * body shorter than {@link MessageDecoder#STREAM_FROM}. At any other frame (a big one, a task with attached arrays, a
 * type a manager never sends) it {@link #stopped() stops} at that frame's start, its header checked, and its caller
 * hands the {@link #unread} bytes to a {@link MessageDecoder} in the same state, which reads the rest of the session:
 * MessageDecoder takes over only at such a frame.
 *
 * <p>The same checks as {@link MessageDecoder}'s, with the same texts: a length of 1 to the frame limit ({@link
 * MessageDecoder#HANDSHAKE_MAX_FRAME} before authentication), a known type, only handshake types before
 * authentication, one message at a time ({@link #next}), a truncated frame or one with bytes too many. One
 * difference, in what no valid frame meets: a field that would read past its frame's end is reported here as the
 * frame being truncated, where MessageDecoder reads on into whatever bytes of the next frame it holds (a string's
 * length from them may then be reported as too long). After a {@link ProtocolException} it drops everything, as
 * MessageDecoder does. The reader thread's only.
 */
public final class PlainFrameReader {
    private byte[] buf;
    /** The unread bytes are {@code buf[start, end)}. */
    private int start;
    private int end;
    private int maxFrameBytes = MessageDecoder.HANDSHAKE_MAX_FRAME;
    private boolean handshakeOnly = true;
    private boolean broken;
    private boolean stopped;
    /** While a body is read: the next byte and the frame's end. */
    private int pos;
    private int frameEnd;

    /** @param capacity the read buffer's first size; it grows to hold a whole frame */
    public PlainFrameReader(int capacity) {
        buf = new byte[Math.max(capacity, 64)];
    }

    /**
     * Leaves handshake mode, as {@link MessageDecoder#authenticated} does.
     *
     * @param maxFrame the largest frame now accepted, in bytes
     */
    public void authenticated(int maxFrame) {
        this.maxFrameBytes = maxFrame;
        this.handshakeOnly = false;
    }

    /** @return true once it stopped at a frame it leaves to a {@link MessageDecoder} */
    public boolean stopped() {
        return stopped;
    }

    /** @return the bytes read but not decoded (from the start of the frame it stopped at, if it did), to hand over */
    public ByteBuffer unread() {
        return ByteBuffer.wrap(buf, start, end - start);
    }

    /**
     * Reads what {@code input} has (at least a byte, as its {@code read} waits) into the buffer, made room for: at
     * least {@code room} bytes, and the whole of a frame whose header has arrived.
     *
     * <p>The room is sized from the next frame's length as it stands, unchecked here (against the frame limit, the
     * handshake's before authentication). Safe: the callers call {@link #next} before they read, so a header whole
     * here has been checked there already (and its body is awaited, or it was refused or left to a MessageDecoder);
     * and a length gets room only up to a frame under {@link MessageDecoder#STREAM_FROM} (about 32 KB) whatever it
     * says.
     *
     * @return how many bytes, -1 at the end of the stream
     */
    public int read(InputStream input, int room) throws IOException {
        int want = room;
        if (end - start >= 5) {
            int length = getInt(start);
            if (length > 0 && length < MessageDecoder.STREAM_FROM + 1) {
                want = Math.max(want, 4 + length - (end - start));
            }
        }
        if (start == end) {
            start = 0;
            end = 0;
        }
        if (buf.length - end < want) {
            int unread = end - start;
            byte[] to = unread + want > buf.length ? new byte[Math.max(buf.length * 2, unread + want)] : buf;
            System.arraycopy(buf, start, to, 0, unread);
            buf = to;
            start = 0;
            end = unread;
        }
        int n = input.read(buf, end, buf.length - end);
        if (n > 0) {
            end += n;
        }
        return n;
    }

    /**
     * @return the message of the next whole frame, or {@code null} when its bytes have not all arrived, or when it
     *     {@link #stopped} at that frame
     * @throws ProtocolException when the bytes break the protocol; it drops what follows
     */
    public Message next() {
        if (broken || stopped || end - start < 5) {
            return null;
        }
        int length = getInt(start);
        if (length < 1 || length > maxFrameBytes) {
            fail("frame length " + Integer.toUnsignedString(length) + " outside 1.." + maxFrameBytes
                    + (handshakeOnly ? " (before authentication)" : ""));
        }
        int code = buf[start + 4] & 0xff;
        MessageType type = MessageType.of(code);
        if (type == null) {
            fail("unknown message type " + code);
        }
        if (handshakeOnly && !type.isHandshake()) {
            fail(type + " before authentication");
        }
        if (!decodes(type) || length - 1 >= MessageDecoder.STREAM_FROM) {
            stopped = true;
            return null;
        }
        if (end - start < 4 + length) {
            return null;
        }
        pos = start + 5;
        frameEnd = start + 4 + length;
        if (type == MessageType.TASK && frameEnd - pos > 12 && buf[pos + 12] == PayloadFormat.WITH_ARRAYS) {
            stopped = true; // the arrays are split as MessageDecoder splits them
            return null;
        }
        Message m;
        try {
            m = body(type);
        } catch (ProtocolException e) {
            fail(e.getMessage());
            return null;
        }
        if (pos < frameEnd) {
            fail(type + " frame has " + (frameEnd - pos) + " bytes too many");
        }
        start = frameEnd;
        return m;
    }

    /** @return whether it decodes frames of {@code type} (a manager's to a worker at the start of a session) */
    private static boolean decodes(MessageType type) {
        return switch (type) {
            case CHALLENGE, WELCOME, REJECT, SETUP, TASK, RELEASE, SHAPE, CANCEL, HEARTBEAT, SHUTDOWN -> true;
            default -> false;
        };
    }

    /** Reads the body of a frame of {@code type} from {@link #pos} up to {@link #frameEnd}, as MessageDecoder reads it. */
    private Message body(MessageType type) {
        return switch (type) {
            case CHALLENGE -> new Message.Challenge(bytes(type, MessageDecoder.NONCE_BYTES),
                    bytes(type, MessageDecoder.NONCE_BYTES));
            case WELCOME -> new Message.Welcome(readInt(type), readInt(type), readInt(type),
                    string(type, MessageEncoder.MAX_LONG_STRING), FrameBodies.resumable(readByte(type) & 0xff));
            case REJECT -> new Message.Reject(string(type, FrameBodies.MAX_STRING));
            case SETUP -> new Message.Setup(readInt(type), rest());
            case TASK -> new Message.Task(readLong(type), readInt(type), rest());
            case RELEASE -> new Message.Release(readInt(type));
            case SHAPE -> new Message.Shape(readInt(type), rest());
            case CANCEL -> new Message.Cancel(readLong(type), FrameBodies.interrupt(readByte(type) & 0xff));
            case HEARTBEAT -> Message.Heartbeat.INSTANCE;
            case SHUTDOWN -> Message.Shutdown.INSTANCE;
            default -> throw new IllegalStateException("not decoded here: " + type);
        };
    }

    private void need(MessageType type, int n) {
        if (n < 0 || n > frameEnd - pos) {
            throw new ProtocolException(type + " frame is truncated");
        }
    }

    private byte readByte(MessageType type) {
        need(type, 1);
        return buf[pos++];
    }

    private int readInt(MessageType type) {
        need(type, 4);
        int v = getInt(pos);
        pos += 4;
        return v;
    }

    private long readLong(MessageType type) {
        long high = readInt(type);
        return high << 32 | (readInt(type) & 0xFFFFFFFFL);
    }

    private byte[] bytes(MessageType type, int n) {
        need(type, n);
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    private byte[] rest() {
        byte[] out = new byte[frameEnd - pos];
        System.arraycopy(buf, pos, out, 0, out.length);
        pos = frameEnd;
        return out;
    }

    /** A string of a 2-byte length, at most {@code max}, and its UTF-8 bytes, as MessageDecoder's FrameBodies reads it. */
    private String string(MessageType type, int max) {
        need(type, 2);
        int n = (buf[pos] & 0xff) << 8 | buf[pos + 1] & 0xff;
        pos += 2;
        if (n > max) {
            throw new ProtocolException("string of " + n + " bytes, at most " + max);
        }
        return new String(bytes(type, n), StandardCharsets.UTF_8);
    }

    private int getInt(int at) {
        return (buf[at] & 0xff) << 24 | (buf[at + 1] & 0xff) << 16 | (buf[at + 2] & 0xff) << 8 | buf[at + 3] & 0xff;
    }

    private void fail(String why) {
        broken = true;
        start = end;
        throw new ProtocolException(why);
    }
}
