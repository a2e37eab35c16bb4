package org.jparallel.core.serial;

import java.nio.ByteBuffer;

/**
 * A task as the manager keeps and sends it: its payload (see {@link Payloads#serializeForSending})
 * and the lambda shapes it refers to by number, which a worker must have been sent (a SHAPE message
 * each, see {@link ShapeBook}) before the task.
 *
 * @param bytes the payload, from position 0 to its limit; a direct buffer when big
 * @param shapes the numbers of the shapes the payload refers to, each once
 */
public record SendablePayload(ByteBuffer bytes, int[] shapes) {
    /** No shapes. */
    public static final int[] NO_SHAPES = new int[0];
}
