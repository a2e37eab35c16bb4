package org.jparallel.core.serial;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamConstants;
import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads payloads (see {@link PayloadFormat}), every class and limit checked by a filter. A reader
 * per thread and class loader is kept and reused for small payloads, so a small task does not pay
 * for a new {@link ObjectInputStream}; it is replaced after a while, since the stream's object count
 * (which the limits see) only grows. Large payloads, failures and filters with limits of the user's
 * own get a fresh stream.
 */
final class PayloadReader {
    private static final int REUSE_BELOW = 1 << 20;
    private static final long RENEW_AFTER_BYTES = 32L << 20;
    private static final int RENEW_AFTER_PAYLOADS = 10_000;
    private static final byte[] HEADER = ByteBuffer.allocate(4)
            .putShort(ObjectStreamConstants.STREAM_MAGIC).putShort(ObjectStreamConstants.STREAM_VERSION).array();
    private static final ThreadLocal<PayloadReader> CACHE = new ThreadLocal<>();
    /** A reset and a null: read after a payload with attached arrays, it empties the stream's handle table. */
    private static final byte[] FORGET = {ObjectStreamConstants.TC_RESET, ObjectStreamConstants.TC_NULL};

    private final Source source = new Source();
    private final ReaderClasses classes;
    /** Made on the first payload that needs a stream: see {@link ReaderClasses} for why not sooner. */
    private ThinObjectInputStream in;
    private final ClassLoader loader;
    private ObjectInputFilter current;
    private long bytesRead;
    private int payloads;
    private boolean busy;

    private PayloadReader(ClassLoader loader) {
        this.loader = loader;
        this.classes = new ReaderClasses(loader);
    }

    private ThinObjectInputStream stream() throws IOException {
        if (in == null) {
            source.set(HEADER);
            in = new ThinObjectInputStream(source, classes);
            in.setObjectInputFilter(info -> current.checkInput(info));
        }
        return in;
    }

    /**
     * @param data a payload
     * @param loader resolves the classes in it
     * @param check the filter of this read
     * @return the value
     */
    static Object read(byte[] data, ClassLoader loader, ObjectInputFilter check, boolean reusable)
            throws IOException, ClassNotFoundException {
        return read(data, PayloadFormat.NO_ARRAYS, loader, check, reusable);
    }

    /**
     * @param data a payload; when it is in the {@link PayloadFormat#WITH_ARRAYS} form, it is split here
     * @param arrays the arrays attached to an {@link PayloadFormat#OBJECT} payload, as a decoder split
     *     them off ({@link #split})
     */
    static Object read(byte[] data, byte[][] arrays, ClassLoader loader, ObjectInputFilter check, boolean reusable)
            throws IOException, ClassNotFoundException {
        return read(data, arrays, null, loader, check, reusable);
    }

    /** @param shapes the lambda shapes a task payload may refer to by number, or {@code null} */
    static Object read(byte[] data, byte[][] arrays, ShapeBook shapes, ClassLoader loader, ObjectInputFilter check,
            boolean reusable) throws IOException, ClassNotFoundException {
        if (data.length == 0) {
            throw new StreamCorruptedException("an empty payload");
        }
        if (data[0] == PayloadFormat.WITH_ARRAYS) {
            if (arrays.length != 0) {
                throw new StreamCorruptedException("attached arrays twice");
            }
            byte[][][] split = split(data);
            arrays = split[0];
            data = split[1][0];
        }
        byte tag = data[0];
        if (tag != PayloadFormat.OBJECT && arrays.length != 0) {
            throw new StreamCorruptedException("attached arrays with a payload of format " + tag);
        }
        if (tag != PayloadFormat.OBJECT && tag != PayloadFormat.LAMBDA) {
            return simple(data, check);
        }
        boolean reuse = reusable && data.length < REUSE_BELOW;
        PayloadReader cached = reuse ? CACHE.get() : null; // one thread-local lookup a payload
        PayloadReader r = cached;
        boolean inCache = r != null && !r.busy && r.loader == loader;
        if (!inCache) {
            r = new PayloadReader(loader);
            if (reuse && (cached == null || !cached.busy)) {
                CACHE.set(r);
                inCache = true;
            }
        }
        boolean ok = false;
        r.busy = true;
        try {
            Object value = r.readObject(data, arrays, shapes, check);
            ok = true;
            return value;
        } finally {
            r.busy = false;
            if (inCache && (!ok || r.worn())) { // a nested read never replaces a busy cached reader
                CACHE.remove();
            }
        }
    }

    private Object readObject(byte[] data, byte[][] arrays, ShapeBook shapes, ObjectInputFilter check)
            throws IOException, ClassNotFoundException {
        if (data[0] == PayloadFormat.LAMBDA) {
            payloads++;
            bytesRead += data.length;
            return DirectLambda.read(data, classes, shapes, check);
        }
        ThinObjectInputStream in = stream();
        in.attachments(arrays);
        in.shapeBook(shapes);
        try {
            Object value = readObject(in, data, check);
            if (arrays.length != 0) {
                // the stream's handle table keeps every object read (the attached arrays too) until the next
                // payload's reset; a worker makes the next task's array before it reads that task, so a 16 MB
                // array kept here made G1 take fresh heap (~4,000 page faults) for the next one
                source.set(FORGET, 0);
                in.readObject();
            }
            return value;
        } finally {
            in.attachments(PayloadFormat.NO_ARRAYS);
            in.shapeBook(null);
        }
    }

    private Object readObject(ThinObjectInputStream in, byte[] data, ObjectInputFilter check)
            throws IOException, ClassNotFoundException {
        current = check;
        source.set(data, 1);
        bytesRead += data.length;
        payloads++;
        if (data.length < 2 || data[1] != ObjectStreamConstants.TC_RESET) {
            throw new StreamCorruptedException("a payload that does not start with a reset");
        }
        Object value = in.readObject();
        if (source.remaining() != 0) {
            throw new StreamCorruptedException(source.remaining() + " bytes after the payload's object");
        }
        return value;
    }

    /**
     * Splits a {@link PayloadFormat#WITH_ARRAYS} payload that arrived whole (a worker's decoder
     * normally splits it as it arrives, without this copy).
     *
     * @return {@code {arrays, {the OBJECT payload}}}
     */
    static byte[][][] split(byte[] data) throws StreamCorruptedException {
        ByteBuffer b = ByteBuffer.wrap(data, 1, data.length - 1);
        try {
            int n = b.getInt();
            if (n < 0 || n > b.remaining() / 4) {
                throw new StreamCorruptedException("a payload with " + n + " attached arrays");
            }
            byte[][] arrays = new byte[n][];
            for (int i = 0; i < n; i++) {
                int len = b.getInt();
                if (len < 0 || len > b.remaining()) {
                    throw new StreamCorruptedException("an attached array of " + len + " bytes");
                }
                arrays[i] = new byte[len];
                b.get(arrays[i]);
            }
            byte[] object = new byte[1 + b.remaining()];
            object[0] = PayloadFormat.OBJECT;
            b.get(object, 1, object.length - 1);
            return new byte[][][] {arrays, {object}};
        } catch (java.nio.BufferUnderflowException e) {
            throw new StreamCorruptedException("a truncated payload with attached arrays");
        }
    }

    private boolean worn() {
        return bytesRead > RENEW_AFTER_BYTES || payloads > RENEW_AFTER_PAYLOADS;
    }

    private static Object simple(byte[] data, ObjectInputFilter check) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data, 1, data.length - 1);
        Object value;
        Class<?> type;
        switch (data[0]) {
            case PayloadFormat.NULL -> {
                exactly(b, 0);
                return null;
            }
            case PayloadFormat.INTEGER -> value = exactly(b, 4).getInt();
            case PayloadFormat.LONG -> value = exactly(b, 8).getLong();
            case PayloadFormat.DOUBLE -> value = exactly(b, 8).getDouble();
            case PayloadFormat.BOOLEAN -> value = exactly(b, 1).get() != 0;
            case PayloadFormat.STRING -> value = new String(data, 1, data.length - 1, StandardCharsets.UTF_8);
            case PayloadFormat.BYTES -> {
                ClassCheck.require(check, byte[].class, data.length - 1);
                return Arrays.copyOfRange(data, 1, data.length);
            }
            default -> throw new StreamCorruptedException("unknown payload format " + data[0]);
        }
        ClassCheck.require(check, value.getClass(), -1);
        return value;
    }

    private static ByteBuffer exactly(ByteBuffer b, int n) throws StreamCorruptedException {
        if (b.remaining() != n) {
            throw new StreamCorruptedException("a payload of " + (b.remaining() + 1) + " bytes for a value of " + n);
        }
        return b;
    }


    /** The bytes of the payload being read; switched from one payload to the next. */
    private static final class Source extends InputStream {
        private byte[] data;
        private int pos;

        void set(byte[] d) {
            set(d, 0);
        }

        void set(byte[] d, int from) {
            data = d;
            pos = from;
        }

        int remaining() {
            return data.length - pos;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int n = Math.min(len, data.length - pos);
            if (n <= 0) {
                return -1;
            }
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return data.length - pos;
        }
    }
}
