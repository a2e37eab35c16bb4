package org.jparallel.core.serial;

/**
 * The first byte of every payload says how the rest is written: values of a few common types
 * directly (no Java serialization at all: a {@code byte[]} result is its bytes), a lambda that captures
 * only such values directly too, anything else as a thin-descriptor Java serialization stream.
 */
public final class PayloadFormat {
    /**
     * No attached arrays: the one such value, for a task's message and its reader alike. Here rather than in
     * {@link ThinObjectInputStream}: reading a field of that class initialises {@code ObjectInputStream} (its static
     * set-up bootstraps two method references of the JDK's), which a payload read without a stream (a value, a
     * {@link #LAMBDA}) does not need: a fresh worker's first task.
     */
    public static final byte[][] NO_ARRAYS = new byte[0][];
    static final byte NULL = 1;
    static final byte INTEGER = 2;
    static final byte LONG = 3;
    static final byte DOUBLE = 4;
    static final byte BOOLEAN = 5;
    static final byte STRING = 6;
    public static final byte BYTES = 7;
    /** A headerless {@link ThinObjectOutputStream} fragment: a reset marker, then one object. */
    public static final byte OBJECT = 16;
    /**
     * A task with attached arrays: an int count, then each attached {@code byte[]} as an int length and
     * its bytes, then an {@link #OBJECT} fragment (without its format byte) in which each array is an
     * {@link AttachedArray} naming its place in that list. Written for tasks only (see
     * {@link Payloads#serializeForSending}); a worker's decoder splits it as it arrives.
     */
    public static final byte WITH_ARRAYS = 17;
    /**
     * A serializable lambda whose captured values are all {@code Integer}, {@code Long}, {@code Double}
     * or short {@code String}s, without a serialization stream (see {@link DirectLambda}): an int hash
     * of its shape, an int n ({@code n >= 0}: the shape's n bytes follow; {@code n < 0}: shape number -1-n, sent
     * before in a SHAPE message), an unsigned short count, then each value as a kind byte (1 int,
     * 2 long, 3 double, 4 string) and the value (a string as an int length and UTF-8 bytes).
     */
    public static final byte LAMBDA = 18;

    private PayloadFormat() {
    }

    /** @return true for the formats of one plain value (null to byte[]), read without a stream */
    static boolean isPlainValue(byte format) {
        return format >= NULL && format <= BYTES;
    }
}
