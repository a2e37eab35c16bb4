package org.jparallel.core.protocol;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;

/**
 * What {@link MessageDecoder} keeps of a payload frame that is still arriving: its fields (an id, and
 * the int after it: a context id or a work time) and its payload so far, filled as bytes come, from the
 * decoder's buffer ({@link #fill}) or straight from a stream ({@link #readFrom}).
 */
final class PartialPayload {
    private final MessageType type;
    private final long id;
    private final int number;
    private final ArrivingPayload payload;
    private final boolean rawBytes;

    /**
     * @param payload the payload arriving: an {@link ArrivingBytes}, or for a TASK whose payload has attached
     *     arrays an {@link AttachedArraysSplitter}
     * @param rawBytes a RESULT whose value is a byte[], its format byte already read (see {@link Message.Result})
     */
    PartialPayload(MessageType type, long id, int number, ArrivingPayload payload, boolean rawBytes) {
        this.type = type;
        this.id = id;
        this.number = number;
        this.payload = payload;
        this.rawBytes = rawBytes;
    }

    /** @return true when the payload is complete */
    boolean fill(ByteBuf in) {
        return payload.fill(in);
    }

    int directRoom() {
        return payload.directRoom();
    }

    int readFrom(InputStream input, int max) throws IOException {
        return payload.readFrom(input, max);
    }

    /** Releases what the unfinished payload holds. */
    void discard() {
        payload.discard();
    }

    /** @return the message the payload completed; valid once {@link #fill} returned true */
    Message message() {
        if (payload instanceof AttachedArraysSplitter splitter) {
            return new Message.Task(id, number, splitter.object(), splitter.arrays());
        }
        ArrivingBytes bytes = (ArrivingBytes) payload;
        if (bytes.offHeapPayload() != null) {
            return new Message.HeldResult(id, number, bytes.offHeapPayload(), rawBytes);
        }
        byte[] array = bytes.array();
        return switch (type) {
            case SETUP -> new Message.Setup(number, array);
            case TASK -> new Message.Task(id, number, array);
            case RESULT -> new Message.Result(id, number, array, rawBytes);
            default -> new Message.Failure(id, array);
        };
    }
}
