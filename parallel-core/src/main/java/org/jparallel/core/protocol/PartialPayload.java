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
    private final ArrivingBytes payload;
    private final boolean rawBytes;
    private final AttachedArraysSplitter splitter;

    PartialPayload(MessageType type, long id, int number, ArrivingBytes payload, boolean rawBytes) {
        this.type = type;
        this.id = id;
        this.number = number;
        this.payload = payload;
        this.rawBytes = rawBytes;
        this.splitter = null;
    }

    /** A TASK whose payload has attached arrays. */
    PartialPayload(MessageType type, long id, int number, AttachedArraysSplitter splitter) {
        this.type = type;
        this.id = id;
        this.number = number;
        this.payload = null;
        this.rawBytes = false;
        this.splitter = splitter;
    }

    /** @return true when the payload is complete */
    boolean fill(ByteBuf in) {
        if (splitter != null) {
            return splitter.fill(in);
        }
        return payload.fill(in);
    }

    int directRoom() {
        return splitter != null ? splitter.directRoom() : payload.directRoom();
    }

    int readFrom(InputStream input, int max) throws IOException {
        return splitter != null ? splitter.readFrom(input, max) : payload.readFrom(input, max);
    }

    /** Releases what the unfinished payload holds. */
    void discard() {
        if (splitter != null) {
            splitter.discard();
        } else {
            payload.discard();
        }
    }

    Message message() {
        if (splitter != null) {
            return new Message.Task(id, number, splitter.object(), splitter.arrays());
        }
        if (payload.offHeapPayload() != null) {
            return new Message.HeldResult(id, number, payload.offHeapPayload(), rawBytes);
        }
        byte[] bytes = payload.array();
        return switch (type) {
            case SETUP -> new Message.Setup(number, bytes);
            case TASK -> new Message.Task(id, number, bytes);
            case RESULT -> new Message.Result(id, number, bytes, rawBytes);
            default -> new Message.Failure(id, bytes);
        };
    }
}
