package org.jparallel.core.serial;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes payloads (see {@link PayloadFormat}). One writer per thread is kept and reused, so a small
 * task does not pay for a new {@link ObjectOutputStream} (its handle table alone cost more than the
 * rest of the write); it is reset after every object, so nothing written is kept alive or shared
 * between payloads. A writer that was used for a large payload, or failed, is dropped.
 */
final class PayloadWriter {
    private static final int KEEP_BELOW = 1 << 20;
    private static final ThreadLocal<PayloadWriter> CACHE = new ThreadLocal<>();

    private final Buffer buf = new Buffer();
    private final ObjectOutputStream out;
    private boolean busy;

    private PayloadWriter() throws IOException {
        out = new ThinObjectOutputStream(buf);
        out.flush();
        buf.reset(); // the stream header: the reader makes up its own
    }

    /** @return the payload of {@code value} */
    static byte[] write(Object value) throws IOException {
        byte[] simple = simple(value);
        if (simple != null) {
            return simple;
        }
        PayloadWriter w = CACHE.get();
        if (w == null || w.busy) {
            // first use on this thread, or a writeObject method that serializes a payload itself
            w = new PayloadWriter();
            if (CACHE.get() == null) {
                CACHE.set(w);
            }
        }
        boolean keep = false;
        w.busy = true;
        try {
            byte[] bytes = w.writeObject(value);
            keep = bytes.length < KEEP_BELOW;
            return bytes;
        } finally {
            w.busy = false;
            if (!keep && CACHE.get() == w) {
                CACHE.remove();
            }
        }
    }

    private byte[] writeObject(Object value) throws IOException {
        buf.reset();
        buf.write(PayloadFormat.OBJECT);
        out.reset();
        out.writeObject(value);
        out.flush();
        byte[] bytes = buf.toByteArray();
        out.reset(); // forget the objects written; the marker this writes is dropped with the buffer
        out.flush();
        buf.reset();
        return bytes;
    }

    private static byte[] simple(Object value) {
        if (value == null) {
            return new byte[] {PayloadFormat.NULL};
        }
        Class<?> c = value.getClass();
        if (c == Integer.class) {
            return ByteBuffer.allocate(5).put(PayloadFormat.INTEGER).putInt((Integer) value).array();
        }
        if (c == Long.class) {
            return ByteBuffer.allocate(9).put(PayloadFormat.LONG).putLong((Long) value).array();
        }
        if (c == Double.class) {
            return ByteBuffer.allocate(9).put(PayloadFormat.DOUBLE).putDouble((Double) value).array();
        }
        if (c == Boolean.class) {
            return new byte[] {PayloadFormat.BOOLEAN, (byte) ((Boolean) value ? 1 : 0)};
        }
        if (c == String.class) {
            byte[] s = ((String) value).getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[s.length + 1];
            out[0] = PayloadFormat.STRING;
            System.arraycopy(s, 0, out, 1, s.length);
            return out;
        }
        if (c == byte[].class) {
            byte[] b = (byte[]) value;
            byte[] out = new byte[b.length + 1];
            out[0] = PayloadFormat.BYTES;
            System.arraycopy(b, 0, out, 1, b.length);
            return out;
        }
        return null;
    }

    /** A byte buffer that starts big enough for a small task, so it rarely grows. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(1024);
        }

        @Override
        public synchronized byte[] toByteArray() {
            return Arrays.copyOf(buf, count);
        }
    }
}
