package org.jparallel.core.serial;

import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.lang.invoke.SerializedLambda;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A serializable lambda whose captured values are all {@code Integer}, {@code Long}, {@code Double}
 * or short {@code String}s, written without a Java serialization stream ({@link PayloadFormat#LAMBDA}):
 * its shape (by number, or its bytes) and its values. Reading even a thin stream cost a worker most
 * of a small task's time, and compiling {@code ObjectInputStream}'s class-descriptor code kept a fresh
 * worker's JIT busy for seconds. Any other lambda
 * (one capturing anything else, or a string with an unpaired surrogate), and any other object, goes
 * through {@link ThinObjectOutputStream}; both are read with the same filter checks
 * ({@code SerializedLambda}, the capturing class, and each value's class).
 */
final class DirectLambda {
    /** Strings longer than this go through the stream, which handles any length. */
    static final int MAX_STRING_CHARS = 8 * 1024;
    private static final byte INT = 1;
    private static final byte LONG = 2;
    private static final byte DOUBLE = 3;
    private static final byte STRING = 4;

    /** What is known of each serializable lambda class; empty for other classes. */
    private static final ClassValue<Optional<LambdaClass>> LAMBDA_CLASSES = new ClassValue<>() {
        @Override
        protected Optional<LambdaClass> computeValue(Class<?> type) {
            if (!Serializable.class.isAssignableFrom(type) || !(type.isHidden() || type.isSynthetic())) {
                return Optional.empty();
            }
            try {
                Method m = type.getDeclaredMethod("writeReplace");
                m.setAccessible(true);
                MethodHandle h = MethodHandles.lookup().unreflect(m).asType(WRITE_REPLACE_TYPE);
                return Optional.of(new LambdaClass(h));
            } catch (NoSuchMethodException | IllegalAccessException | RuntimeException e) {
                return Optional.empty(); // a class in a module not open to jparallel: the stream handles it
            }
        }
    };

    private static final MethodType WRITE_REPLACE_TYPE = MethodType.methodType(Object.class, Object.class);

    /**
     * A serializable lambda class: its {@code writeReplace}, opened; its shape, the same for every
     * instance (a lambda class is one place in the code), encoded on first use; and how its captured
     * values are read ({@link CapturedValues}), settled on its second write. {@code writeReplace} is called
     * through a method handle: a lambda class is a hidden class, for which {@code Method.invoke} stays
     * on its native path for good (no generated accessor), a few hundred nanoseconds a task.
     */
    private static final class LambdaClass {
        final MethodHandle writeReplace;
        volatile LambdaShape.Encoded shape;
        /** Set once the class's fields are trusted (or not); after {@link #shape}. */
        volatile CapturedValues values;
        private volatile boolean writtenOnce;

        LambdaClass(MethodHandle writeReplace) {
            this.writeReplace = writeReplace;
        }

        /**
         * Settles how the values are read on the class's second write, not its first: a class written
         * once (a fresh worker's warm-up, most results) does not pay for opening its fields, whose
         * method handles cost a fresh JVM milliseconds.
         */
        void written(Object value, SerializedLambda serialized) {
            if (shape == null) {
                shape = LambdaShape.encode(serialized);
            }
            if (writtenOnce && values == null) {
                values = CapturedValues.of(value, serialized);
            }
            writtenOnce = true;
        }
    }

    private DirectLambda() {
    }

    /**
     * @param value a task, setup or result
     * @param refs where the shape's number goes when the shape is referred to by number (see
     *     {@link ShapeBook}), or {@code null} to write the shape's bytes
     * @return the payload, or {@code null} when {@code value} is not a serializable lambda whose
     *     captured values are all of the kinds written here
     */
    static byte[] write(Object value, ShapeRefs refs) {
        return write(value, refs, true);
    }

    /**
     * @param fromFields false to read the captured values through {@code writeReplace} even when the
     *     class's fields can be read (for tests: both ways must write the same bytes)
     */
    static byte[] write(Object value, ShapeRefs refs, boolean fromFields) {
        Optional<LambdaClass> known = value == null ? Optional.empty() : LAMBDA_CLASSES.get(value.getClass());
        if (known.isEmpty()) {
            return null;
        }
        LambdaClass lambdaClass = known.get();
        CapturedValues values = lambdaClass.values;
        if (fromFields && values != null && values != CapturedValues.VIA_WRITE_REPLACE) {
            return write(values, value, lambdaClass.shape, refs);
        }
        SerializedLambda l = serializedForm(value, lambdaClass.writeReplace);
        if (l == null) {
            return null;
        }
        lambdaClass.written(value, l);
        return write(CapturedValues.VIA_WRITE_REPLACE, l, lambdaClass.shape, refs);
    }

    private static byte[] write(CapturedValues values, Object from, LambdaShape.Encoded shape, ShapeRefs refs) {
        int n = values.count(from);
        int size = 1 + 4 + 4 + 2;
        byte[][] strings = null;
        for (int i = 0; i < n; i++) {
            int kind = values.kind(i);
            if (kind == CapturedValues.INT) {
                size += 5;
                continue;
            }
            if (kind != CapturedValues.OBJECT) {
                size += 9;
                continue;
            }
            Object o = values.object(from, i);
            Class<?> c = o == null ? null : o.getClass();
            if (c == Integer.class) {
                size += 5;
            } else if (c == Long.class || c == Double.class) {
                size += 9;
            } else if (c == String.class && ((String) o).length() <= MAX_STRING_CHARS && wellFormed((String) o)) {
                if (strings == null) {
                    strings = new byte[n][];
                }
                strings[i] = ((String) o).getBytes(StandardCharsets.UTF_8);
                size += 5 + strings[i].length;
            } else {
                return null;
            }
        }
        boolean byNumber = refs != null && shape.id() >= 0;
        if (!byNumber) {
            size += shape.bytes().length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).put(PayloadFormat.LAMBDA).putInt(shape.hash());
        if (byNumber) {
            b.putInt(-1 - shape.id());
            refs.add(shape.id());
        } else {
            b.putInt(shape.bytes().length).put(shape.bytes());
        }
        b.putShort((short) n);
        for (int i = 0; i < n; i++) {
            switch (values.kind(i)) {
                case CapturedValues.INT -> b.put(INT).putInt(values.intValue(from, i));
                case CapturedValues.LONG -> b.put(LONG).putLong(values.longValue(from, i));
                case CapturedValues.DOUBLE -> b.put(DOUBLE).putDouble(values.doubleValue(from, i));
                default -> {
                    Object o = values.object(from, i);
                    if (o instanceof Integer v) {
                        b.put(INT).putInt(v);
                    } else if (o instanceof Long v) {
                        b.put(LONG).putLong(v);
                    } else if (o instanceof Double v) {
                        b.put(DOUBLE).putDouble(v);
                    } else {
                        b.put(STRING).putInt(strings[i].length).put(strings[i]);
                    }
                }
            }
        }
        return b.array();
    }

    /** @return false for a string with an unpaired surrogate, which UTF-8 cannot carry (the stream's encoding can) */
    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(ch)) {
                return false;
            }
        }
        return true;
    }

    private static SerializedLambda serializedForm(Object value, MethodHandle writeReplace) {
        try {
            return (Object) writeReplace.invokeExact(value) instanceof SerializedLambda l ? l : null;
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            return null; // the stream will try, and report what fails
        }
    }

    /**
     * Reads a {@link PayloadFormat#LAMBDA} payload.
     *
     * @param data the payload, its format byte first
     * @param classes the reader's classes and shapes
     * @param book the shapes sent on this connection, or {@code null}
     * @param filter the filter of this read, a steady one (see {@link ReaderClasses#allowedBy}): its
     *     verdicts on the shape's classes and the values' are remembered by {@code classes}
     * @return the lambda
     */
    static Object read(byte[] data, ReaderClasses classes, ShapeBook book, ObjectInputFilter filter)
            throws IOException, ClassNotFoundException {
        try {
            ByteBuffer b = ByteBuffer.wrap(data, 1, data.length - 1);
            int hash = b.getInt();
            int n = b.getInt();
            LambdaShape shape;
            if (n < 0) {
                shape = classes.lambdaShapeSteadily(-1 - (long) n, book, filter);
            } else if (n > CompactLambda.MAX_SHAPE_BYTES || n > b.remaining()) {
                throw new StreamCorruptedException("a lambda description of " + n + " bytes");
            } else {
                shape = classes.lambdaShape(hash, data, b.position(), n, filter);
                b.position(b.position() + n);
            }
            Object[] captured = new Object[b.getShort() & 0xffff];
            for (int i = 0; i < captured.length; i++) {
                captured[i] = value(b);
                classes.allowedBy(captured[i].getClass(), filter);
            }
            if (b.hasRemaining()) {
                throw new StreamCorruptedException(b.remaining() + " bytes after a lambda's values");
            }
            return shape.create(captured);
        } catch (BufferUnderflowException e) {
            throw new StreamCorruptedException("a truncated lambda payload");
        }
    }

    private static Object value(ByteBuffer b) throws StreamCorruptedException {
        byte tag = b.get();
        switch (tag) {
            case INT:
                return b.getInt();
            case LONG:
                return b.getLong();
            case DOUBLE:
                return b.getDouble();
            case STRING:
                int len = b.getInt();
                if (len < 0 || len > b.remaining() || len > 3 * MAX_STRING_CHARS) {
                    throw new StreamCorruptedException("a captured string of " + len + " bytes");
                }
                ByteBuffer utf8 = b.slice().limit(len);
                b.position(b.position() + len);
                try {
                    return StandardCharsets.UTF_8.newDecoder().decode(utf8).toString(); // malformed: an error
                } catch (CharacterCodingException e) {
                    throw new StreamCorruptedException("a captured string that is not UTF-8");
                }
            default:
                throw new StreamCorruptedException("a captured value of unknown kind " + tag);
        }
    }
}
