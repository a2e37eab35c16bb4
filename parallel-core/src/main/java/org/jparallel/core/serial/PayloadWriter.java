package org.jparallel.core.serial;

import io.netty.util.internal.CleanableDirectBuffer;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
    private final ThinObjectOutputStream out;
    private final List<byte[]> attached = new ArrayList<>();
    private final ShapeRefs shapes = new ShapeRefs();
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
        byte[] lambda = DirectLambda.write(value, null);
        if (lambda != null) {
            return lambda;
        }
        PayloadWriter w = acquire();
        boolean keep = false;
        try {
            byte[] bytes = w.writeObject(value);
            keep = bytes.length < KEEP_BELOW;
            return bytes;
        } finally {
            release(w, keep);
        }
    }

    /**
     * @param directFrom a payload of this many bytes or more goes into a direct buffer (when direct
     *     memory allows), a smaller one into a heap buffer
     * @return the payload of a task to send, with its big {@code byte[]}s attached (see
     *     {@link PayloadFormat#WITH_ARRAYS}) and its lambda shapes referred to by number
     */
    static SendablePayload writeForSending(Object value, int directFrom) throws IOException {
        byte[] simple = simple(value);
        if (simple != null) {
            return SendablePayload.of(simple, SendablePayload.NO_SHAPES);
        }
        PayloadWriter w = acquire();
        boolean keep = false;
        try {
            byte[] lambda = DirectLambda.write(value, w.shapes);
            if (lambda != null) {
                keep = true;
                return SendablePayload.of(lambda, w.shapes.toArray());
            }
            Object b = w.writeAttaching(value, directFrom);
            keep = w.buf.size() < KEEP_BELOW; // the arrays did not go into the writer's buffer
            return SendablePayload.written(b, w.shapes.toArray());
        } finally {
            w.attached.clear();
            w.shapes.clear();
            release(w, keep);
            w.buf.reset();
        }
    }

    private static PayloadWriter acquire() throws IOException {
        PayloadWriter w = CACHE.get();
        if (w == null || w.busy) {
            // first use on this thread, or a writeObject method that serializes a payload itself
            w = new PayloadWriter();
            if (CACHE.get() == null) {
                CACHE.set(w);
            }
        }
        w.busy = true;
        return w;
    }

    private static void release(PayloadWriter w, boolean keep) {
        w.busy = false;
        if (!keep && CACHE.get() == w) {
            CACHE.remove();
        }
    }

    /** @return the payload in a heap {@link ByteBuffer} or, from {@code directFrom} bytes on, a {@link CleanableDirectBuffer} */
    private Object writeAttaching(Object value, int directFrom) throws IOException {
        buf.reset();
        buf.write(PayloadFormat.OBJECT);
        out.reset();
        out.attachArraysTo(attached);
        out.referToShapesIn(shapes);
        try {
            out.writeObject(value);
            out.flush();
        } finally {
            out.attachArraysTo(null);
            out.referToShapesIn(null);
        }
        int stream = buf.size();
        long total = stream;
        if (!attached.isEmpty()) {
            total = 1 + 4 + (stream - 1);
            for (byte[] a : attached) {
                total += 4 + a.length;
            }
            if (total > Integer.MAX_VALUE - 16) {
                throw new IOException("a task payload of " + total + " bytes (its arrays included); at most 2 GB");
            }
        }
        // from directFrom on, outside the heap when the direct memory limit allows
        CleanableDirectBuffer direct = total >= directFrom ? DirectMemory.allocate((int) total) : null;
        ByteBuffer b = direct != null ? direct.buffer() : ByteBuffer.allocate((int) total);
        if (attached.isEmpty()) {
            buf.copyTo(b, 0);
        } else {
            b.put(PayloadFormat.WITH_ARRAYS).putInt(attached.size());
            for (byte[] a : attached) {
                b.putInt(a.length).put(a);
            }
            buf.copyTo(b, 1);
        }
        out.reset(); // forget the objects written; the marker this writes is dropped with the buffer
        out.flush();
        b.flip();
        return direct != null ? direct : b;
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

    /**
     * The bytes written so far, in chunks that are never copied to grow: a chunk that fills up is kept
     * and a bigger one started, and the payload is assembled once at the end (a doubling array would
     * copy a big payload several times over). The first chunk is kept for the next payload.
     */
    private static final class Buffer extends OutputStream {
        private static final int FIRST = 2048;
        private static final int MAX_CHUNK = 4 << 20;
        private final byte[] first = new byte[FIRST];
        private final List<byte[]> full = new ArrayList<>();
        private byte[] chunk = first;
        private int pos;
        private int fullBytes;

        @Override
        public void write(int b) {
            if (pos == chunk.length) {
                next(1);
            }
            chunk[pos++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            while (len > 0) {
                if (pos == chunk.length) {
                    next(len);
                }
                int n = Math.min(len, chunk.length - pos);
                System.arraycopy(b, off, chunk, pos, n);
                pos += n;
                off += n;
                len -= n;
            }
        }

        private void next(int wanted) {
            full.add(chunk);
            fullBytes += chunk.length;
            chunk = new byte[Math.max(Math.min(wanted, MAX_CHUNK), Math.min(fullBytes, MAX_CHUNK))];
            pos = 0;
        }

        int size() {
            return fullBytes + pos;
        }

        byte[] toByteArray() {
            byte[] out = new byte[size()];
            int at = 0;
            for (byte[] c : full) {
                System.arraycopy(c, 0, out, at, c.length);
                at += c.length;
            }
            System.arraycopy(chunk, 0, out, at, pos);
            return out;
        }

        /** Puts the bytes written so far, but the first {@code skip}, into {@code dst}. */
        void copyTo(ByteBuffer dst, int skip) {
            for (byte[] c : full) {
                int n = Math.max(0, c.length - skip);
                dst.put(c, c.length - n, n);
                skip -= c.length - n;
            }
            int n = Math.max(0, pos - skip);
            dst.put(chunk, pos - n, n);
        }

        void reset() {
            full.clear();
            fullBytes = 0;
            chunk = first;
            pos = 0;
        }
    }
}
