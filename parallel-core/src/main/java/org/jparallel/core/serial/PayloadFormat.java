package org.jparallel.core.serial;

/**
 * The first byte of every payload says how the rest is written: values of a few common types
 * directly (no Java serialization at all: a {@code byte[]} result is its bytes), anything else as a
 * thin-descriptor Java serialization stream.
 */
final class PayloadFormat {
    static final byte NULL = 1;
    static final byte INTEGER = 2;
    static final byte LONG = 3;
    static final byte DOUBLE = 4;
    static final byte BOOLEAN = 5;
    static final byte STRING = 6;
    static final byte BYTES = 7;
    /** A headerless {@link ThinObjectOutputStream} fragment: a reset marker, then one object. */
    static final byte OBJECT = 16;

    private PayloadFormat() {
    }
}
