package org.jparallel.core.serial;

import java.nio.ByteBuffer;

/**
 * A task as the manager keeps and sends it: its payload (see {@link Payloads#serializeForSending})
 * and the lambda shapes it refers to by number, which a worker must have been sent (a SHAPE message
 * each, see {@link ShapeBook}) before the task. A small payload is a whole {@code byte[]}, kept
 * without a buffer around it (one object less per task); a big one a buffer, direct when memory allows.
 */
public final class SendablePayload {
    /** No shapes. */
    public static final int[] NO_SHAPES = new int[0];

    private final Object bytes;
    private final int[] shapes;

    private SendablePayload(Object bytes, int[] shapes) {
        this.bytes = bytes;
        this.shapes = shapes;
    }

    /** @return a payload that is all of {@code bytes} */
    static SendablePayload of(byte[] bytes, int[] shapes) {
        return new SendablePayload(bytes, shapes);
    }

    /** @return a payload from position 0 to the limit of {@code bytes} */
    static SendablePayload of(ByteBuffer bytes, int[] shapes) {
        return new SendablePayload(bytes, shapes);
    }

    /** @return the payload: a {@code byte[]}, all of it, or a {@link ByteBuffer}, from position 0 to its limit */
    public Object kept() {
        return bytes;
    }

    /** @return the payload from position 0 to its limit, a view that is never written to */
    public ByteBuffer bytes() {
        return bytes instanceof byte[] a ? ByteBuffer.wrap(a).asReadOnlyBuffer() : ((ByteBuffer) bytes).duplicate();
    }

    /** @return the numbers of the shapes the payload refers to, each once */
    public int[] shapes() {
        return shapes;
    }
}
