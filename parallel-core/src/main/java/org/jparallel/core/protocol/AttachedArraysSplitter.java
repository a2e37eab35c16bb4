package org.jparallel.core.protocol;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import org.jparallel.core.serial.PayloadFormat;

/**
 * Splits a TASK payload in the attached-arrays form ({@link PayloadFormat#WITH_ARRAYS}) as its bytes
 * arrive: each attached array is copied from the socket's buffers straight into the {@code byte[]}
 * the task will hold, and the rest becomes an {@link PayloadFormat#OBJECT} payload. A 100 KB array
 * thus costs the worker one new array and one copy (half of it two, see {@link ArrivingBytes}), where
 * an assembled payload costs two of each.
 * Every length is checked against what is left of the payload, and each array is filled as an
 * {@link ArrivingBytes}, so a peer cannot make it allocate much more than it has sent.
 */
final class AttachedArraysSplitter implements ArrivingPayload {
    private final int length;
    private int consumed;
    private final byte[] intBytes = new byte[4];
    private int intFilled;
    private byte[][] arrays;
    private int next;
    private ArrivingBytes current;
    private ArrivingBytes object;

    private final boolean atOnce;

    /** @param length the payload's length, its format byte included; the format byte has been read */
    AttachedArraysSplitter(int length) {
        this(length, false);
    }

    /**
     * @param length the payload's length, its format byte included; the format byte has been read
     * @param atOnce make each array when its length arrives (see {@link ArrivingBytes})
     */
    AttachedArraysSplitter(int length, boolean atOnce) {
        this.length = length;
        this.consumed = 1;
        this.atOnce = atOnce;
    }

    /**
     * Takes the payload's bytes from {@code in}, never more than the payload has.
     *
     * @return true when the payload is complete
     * @throws ProtocolException when a count or length does not fit the payload
     */
    @Override
    public boolean fill(ByteBuf in) {
        while (true) {
            if (object != null) {
                return copy(in, object);
            }
            if (current != null) { // first: it may have been completed by a direct read, nothing in {@code in}
                if (!finishArrayIfFull(copy(in, current))) {
                    return false;
                }
                continue;
            }
            if (!in.isReadable()) {
                return false;
            }
            if (arrays == null) {
                if (readInt(in)) {
                    int n = takeInt();
                    if (n < 0 || n > (length - consumed) / 4) {
                        throw new ProtocolException("a task payload with " + n + " attached arrays");
                    }
                    arrays = new byte[n][];
                    startObjectIfArraysDone();
                }
            } else {
                if (readInt(in)) {
                    int n = takeInt();
                    if (n < 0 || n > length - consumed) {
                        throw new ProtocolException("an attached array of " + n + " bytes, "
                                + (length - consumed) + " left in the payload");
                    }
                    current = new ArrivingBytes(n, 0, false, atOnce);
                    finishArrayIfFull(n == 0);
                }
            }
        }
    }

    /** @return the payload without its arrays; valid once {@link #fill} returned true */
    byte[] object() {
        byte[] o = object.array();
        o[0] = PayloadFormat.OBJECT;
        return o;
    }

    /** @return the attached arrays, in order; valid once {@link #fill} returned true */
    byte[][] arrays() {
        return arrays;
    }

    /** Releases what the unfinished payload holds (see {@link ArrivingBytes#discard}). */
    @Override
    public void discard() {
        if (current != null) {
            current.discard();
        }
        if (object != null) {
            object.discard();
        }
    }

    /** @return {@code full} */
    private boolean finishArrayIfFull(boolean full) {
        if (full) {
            arrays[next++] = current.array();
            current = null;
            startObjectIfArraysDone();
        }
        return full;
    }

    /** @return how many bytes {@link #readFrom} can take now (see {@link ArrivingBytes#directRoom}) */
    @Override
    public int directRoom() {
        ArrivingBytes to = object != null ? object : current;
        return to != null ? to.directRoom() : 0;
    }

    /**
     * Reads the next bytes from {@code input} straight into the array they belong to (see {@link
     * ArrivingBytes#readFrom}); {@link #directRoom()} must be positive. A following {@link #fill} (with
     * no bytes, if none) completes what these bytes completed.
     *
     * @return how many bytes were read, or -1 at the end of the stream
     */
    @Override
    public int readFrom(InputStream input, int max) throws IOException {
        int n = (object != null ? object : current).readFrom(input, max);
        consumed += Math.max(n, 0);
        return n;
    }

    private void startObjectIfArraysDone() {
        if (next == arrays.length) {
            object = new ArrivingBytes(1 + length - consumed, 1, false, atOnce);
        }
    }

    /** @return true when {@code to} is complete */
    private boolean copy(ByteBuf in, ArrivingBytes to) {
        int before = in.readableBytes();
        boolean complete = to.fill(in);
        consumed += before - in.readableBytes();
        return complete;
    }

    /** @return true when all four bytes of the int have arrived */
    private boolean readInt(ByteBuf in) {
        if (length - consumed < 4 - intFilled) {
            throw new ProtocolException("a task payload with attached arrays is truncated");
        }
        int n = Math.min(in.readableBytes(), 4 - intFilled);
        in.readBytes(intBytes, intFilled, n);
        intFilled += n;
        consumed += n;
        return intFilled == 4;
    }

    private int takeInt() {
        intFilled = 0;
        return (intBytes[0] & 0xff) << 24 | (intBytes[1] & 0xff) << 16 | (intBytes[2] & 0xff) << 8 | intBytes[3] & 0xff;
    }
}
