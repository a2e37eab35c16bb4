package org.jparallel.core.protocol;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * One payload array filled as its bytes arrive, with memory in proportion to what has arrived, not
 * to the length the frame announced, so that a peer announcing a huge frame and sending a few bytes
 * cannot make the decoder allocate it all. A payload up to {@link #AT_ONCE_UP_TO} gets its array at
 * once. A longer one is gathered in chunks (each at most as long as what came before it) until half
 * of it is there; then its array is made, the chunks are copied into it, and the rest is copied
 * straight in as it arrives. So the decoder holds at most about twice the bytes received, plus
 * {@code AT_ONCE_UP_TO}, and half of a big payload's bytes are copied once, the other half twice.
 */
final class ArrivingBytes {
    /** A payload up to this long gets its whole array when it starts arriving. */
    static final int AT_ONCE_UP_TO = 64 * 1024;
    private static final int FIRST_CHUNK = 16 * 1024;
    /** Chunks stay below the size a G1 region treats as humongous, whatever the heap. */
    private static final int MAX_CHUNK = 256 * 1024;

    private final int length;
    private final int from;
    private byte[] array;
    private List<byte[]> chunks;
    private byte[] chunk;
    private int chunkFilled;
    private int filled;

    /**
     * @param length the length of the array to fill
     * @param from the index the arriving bytes start at (the caller fills the ones before it)
     */
    ArrivingBytes(int length, int from) {
        this.length = length;
        this.from = from;
        if (length <= AT_ONCE_UP_TO) {
            array = new byte[length];
        }
    }

    /** @return how many bytes are still to come */
    int missing() {
        return length - from - filled;
    }

    /**
     * Takes at most {@link #missing()} bytes from {@code in}.
     *
     * @return true when the array is complete
     */
    boolean fill(ByteBuf in) {
        int n = Math.min(in.readableBytes(), missing());
        if (array == null && 2L * (filled + n) >= length - from) {
            // half of it is here: the peer has paid for the array with bytes sent
            array = new byte[length];
            gatherChunks();
        }
        if (array != null) {
            in.readBytes(array, from + filled, n);
            filled += n;
        } else {
            hold(in, n);
        }
        return missing() == 0;
    }

    /** @return the filled array; valid once {@link #fill} returned true */
    byte[] array() {
        return array;
    }

    private void hold(ByteBuf in, int n) {
        while (n > 0) {
            if (chunk == null || chunkFilled == chunk.length) {
                if (chunks == null) {
                    chunks = new ArrayList<>();
                }
                chunk = new byte[Math.min(missing(), Math.min(MAX_CHUNK, Math.max(FIRST_CHUNK, filled)))];
                chunks.add(chunk);
                chunkFilled = 0;
            }
            int take = Math.min(n, chunk.length - chunkFilled);
            in.readBytes(chunk, chunkFilled, take);
            chunkFilled += take;
            filled += take;
            n -= take;
        }
    }

    private void gatherChunks() {
        if (chunks == null) {
            return;
        }
        int at = from;
        for (byte[] c : chunks) {
            int used = c == chunk ? chunkFilled : c.length;
            System.arraycopy(c, 0, array, at, used);
            at += used;
        }
        chunks = null;
        chunk = null;
    }
}
