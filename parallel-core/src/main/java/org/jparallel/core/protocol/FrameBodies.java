package org.jparallel.core.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.jparallel.core.serial.PayloadFormat;

/**
 * What {@link MessageDecoder} reads of whole frames' bodies, in place from its buffer up to the frame's end: the
 * HELLO, a TASK (its attached arrays split), and the fields bodies are made of. A body that breaks the format
 * raises {@link ProtocolException}; one that reads past the frame's end, {@link IndexOutOfBoundsException} or a
 * reader index past it, which the decoder reports as a truncated frame.
 */
final class FrameBodies {
    /** The longest string of most fields, in bytes. */
    static final int MAX_STRING = 512;

    private FrameBodies() {
    }

    /**
     * @param flag WELCOME's last byte
     * @return whether the manager can be resumed: 1 yes, 0 no, anything else breaks the protocol
     */
    static boolean resumable(int flag) {
        return flag(flag, "resumable", "WELCOME");
    }

    /**
     * @param flag CANCEL's last byte
     * @return whether the running task is interrupted: 1 yes, 0 no, anything else breaks the protocol
     */
    static boolean interrupt(int flag) {
        return flag(flag, "interrupt", "CANCEL");
    }

    private static boolean flag(int flag, String name, String frame) {
        if (flag > 1) {
            throw new ProtocolException("bad " + name + " flag " + flag + " in " + frame + " (0 or 1)");
        }
        return flag == 1;
    }

    /** @return the WELCOME whose body is in {@code b} up to {@code end} */
    /** Reads a CANCEL body in place, its flag checked only once it is known to be this frame's byte. */
    static Message.Cancel cancel(ByteBuf b, int end) {
        long taskId = b.readLong();
        if (b.readerIndex() >= end) { // the flag would be the next frame's byte: truncated, not a bad flag
            throw new IndexOutOfBoundsException();
        }
        return new Message.Cancel(taskId, interrupt(b.readUnsignedByte()));
    }

    static Message.Welcome welcome(ByteBuf b, int end) {
        int heartbeatMillis = b.readInt();
        int deathTimeoutMillis = b.readInt();
        int maxFrameBytes = b.readInt();
        String filter = string(b, MessageEncoder.MAX_LONG_STRING);
        if (b.readerIndex() >= end) { // the flag would be the next frame's byte: truncated, not a bad flag
            throw new IndexOutOfBoundsException();
        }
        return new Message.Welcome(heartbeatMillis, deathTimeoutMillis, maxFrameBytes, filter,
                resumable(b.readUnsignedByte()));
    }

    /** @return a TASK; one with attached arrays is split here too when its frame arrived whole */
    static Message task(ByteBuf b, int end) {
        long id = b.readLong();
        int context = b.readInt();
        if (b.readerIndex() < end && b.getByte(b.readerIndex()) == PayloadFormat.WITH_ARRAYS) {
            AttachedArraysSplitter splitter = new AttachedArraysSplitter(end - b.readerIndex());
            b.skipBytes(1);
            if (!splitter.fill(b)) {
                throw new ProtocolException("a task payload with attached arrays is truncated");
            }
            return new Message.Task(id, context, splitter.object(), splitter.arrays());
        }
        return new Message.Task(id, context, rest(b, end));
    }

    /** @return a HELLO; another version's as far as its fields are this version's, the rest skipped */
    static Message hello(ByteBuf b, int end) {
        int magic = b.readInt();
        if (magic != MessageEncoder.MAGIC) {
            throw new ProtocolException("not a jparallel peer (bad magic " + Integer.toHexString(magic) + ")");
        }
        int version = b.readUnsignedShort();
        int workerId = b.readInt();
        long pid = b.readLong();
        String host = string(b);
        String java = string(b);
        byte[] nonce = bytes(b, MessageDecoder.NONCE_BYTES);
        if (version != MessageEncoder.VERSION) { // another version's HELLO: skip what it adds; the version check rejects it
            b.readerIndex(Math.max(b.readerIndex(), end));
            return new Message.Hello(version, workerId, pid, host, java, nonce, -1);
        }
        long lifetimeMillis = b.readLong();
        if (lifetimeMillis < -1) {
            throw new ProtocolException("bad remaining lifetime " + lifetimeMillis + " ms in HELLO");
        }
        int slots = b.readInt();
        if (slots < 1 || slots > MessageDecoder.MAX_SLOTS) {
            throw new ProtocolException("bad slot count " + slots + " in HELLO (1 to " + MessageDecoder.MAX_SLOTS
                    + ")");
        }
        return new Message.Hello(version, workerId, pid, host, java, nonce, lifetimeMillis, slots);
    }

    /** @return the bytes from the reader index to {@code end} */
    static byte[] rest(ByteBuf b, int end) {
        return bytes(b, end - b.readerIndex());
    }

    /**
     * @return the next {@code n} bytes
     * @throws IndexOutOfBoundsException when fewer are readable
     */
    static byte[] bytes(ByteBuf b, int n) {
        if (n < 0 || n > b.readableBytes()) {
            throw new IndexOutOfBoundsException();
        }
        byte[] out = new byte[n];
        b.readBytes(out);
        return out;
    }

    /** @return a string of at most {@link #MAX_STRING} bytes */
    static String string(ByteBuf b) {
        return string(b, MAX_STRING);
    }

    /** @return a string of a 2-byte length, at most {@code max}, and its UTF-8 bytes */
    static String string(ByteBuf b, int max) {
        int n = b.readUnsignedShort();
        if (n > max) {
            throw new ProtocolException("string of " + n + " bytes, at most " + max);
        }
        return new String(bytes(b, n), StandardCharsets.UTF_8);
    }
}
