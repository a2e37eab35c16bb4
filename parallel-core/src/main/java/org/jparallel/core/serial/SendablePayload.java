package org.jparallel.core.serial;

import io.netty.util.internal.CleanableDirectBuffer;
import java.nio.ByteBuffer;

/**
 * A task as the manager keeps and sends it: its payload (see {@link Payloads#serializeForSending}),
 * and the numbers of the lambda shapes it refers to, which a worker must have been sent (a SHAPE
 * message each, see {@link ShapeBook}) before the task. A small payload is a whole {@code byte[]},
 * kept without a buffer around it (one object less per task); a big one a buffer, direct when memory
 * allows ({@link DirectMemory}). Neither is ever written to once made.
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

    /**
     * @param bytes a heap {@link ByteBuffer} or a {@link CleanableDirectBuffer}, the payload from position 0
     *     to its limit
     */
    static SendablePayload written(Object bytes, int[] shapes) {
        return new SendablePayload(bytes, shapes);
    }

    /**
     * @return the payload itself, for the manager to keep without a copy: a {@code byte[]}, all of it,
     *     a heap {@link ByteBuffer}, or a {@link CleanableDirectBuffer} the keeper releases once the payload
     *     is no longer sent, each from position 0 to its limit; never to be written to
     */
    public Object kept() {
        return bytes;
    }

    /** @return the payload's length in bytes */
    public int length() {
        return bytes instanceof byte[] a ? a.length
                : bytes instanceof CleanableDirectBuffer d ? d.buffer().limit() : ((ByteBuffer) bytes).limit();
    }

    /** @return a read-only view of the payload, from position 0 to its limit */
    public ByteBuffer bytes() {
        ByteBuffer b = bytes instanceof byte[] a ? ByteBuffer.wrap(a)
                : bytes instanceof CleanableDirectBuffer d ? d.buffer() : (ByteBuffer) bytes;
        return b.asReadOnlyBuffer();
    }

    /** @return the numbers of the shapes the payload refers to, each once */
    public int[] shapes() {
        return shapes;
    }
}
