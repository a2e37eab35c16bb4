package org.jparallel.core.protocol;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;

/**
 * A payload still arriving: filled from the decoder's buffer ({@link #fill}) or, when its target is made,
 * straight from a stream ({@link #readFrom}). One interface for {@link PartialPayload} to hold either kind
 * ({@link ArrivingBytes}, one array; {@link AttachedArraysSplitter}, a task's attached arrays and the rest)
 * without asking which it holds at each step.
 */
interface ArrivingPayload {
    /**
     * Takes the payload's next bytes from {@code in}, never more than it still misses.
     *
     * @return true when the payload is complete
     * @throws ProtocolException when the bytes do not fit the payload's format
     */
    boolean fill(ByteBuf in);

    /** @return how many of the missing bytes {@link #readFrom} can take now: 0 until a target is made */
    int directRoom();

    /**
     * Reads the next missing bytes from {@code input} straight into the payload's target, at most {@code max}
     * and {@link #directRoom()}, which must be positive. A following {@link #fill} (with an empty buffer if
     * need be) completes what these bytes completed.
     *
     * @return how many bytes were read, or -1 at the end of the stream
     */
    int readFrom(InputStream input, int max) throws IOException;

    /** Releases what the unfinished payload holds; the decoder calls it when the frame is abandoned. */
    void discard();
}
