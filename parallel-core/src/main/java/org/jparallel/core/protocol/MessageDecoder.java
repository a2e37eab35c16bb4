package org.jparallel.core.protocol;

import static org.jparallel.core.protocol.FrameBodies.bytes;
import static org.jparallel.core.protocol.FrameBodies.rest;
import static org.jparallel.core.protocol.FrameBodies.string;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.jparallel.core.serial.PayloadFormat;

/**
 * Turns the byte stream into {@link Message}s: frames of a 4-byte length, a type byte and a body.
 *
 * <p>It starts in handshake mode: frames are limited to {@link #HANDSHAKE_MAX_FRAME} bytes and only
 * handshake types are accepted, so an unauthenticated peer can make the manager buffer at most a
 * few kilobytes and can never reach a payload. {@link #authenticated(int)} lifts both limits. A
 * frame that breaks the format raises {@link ProtocolException}; everything after it is discarded.
 */
public final class MessageDecoder extends ByteToMessageDecoder {
    /** The largest frame accepted before authentication. */
    public static final int HANDSHAKE_MAX_FRAME = 2048;
    /** The nonce and MAC length of the handshake, in bytes. */
    public static final int NONCE_BYTES = 32;
    /** The most task slots a worker may report. */
    public static final int MAX_SLOTS = 4096;

    /** A payload frame's body at least this long is copied straight into its payload as it arrives. */
    static final int STREAM_FROM = 32 * 1024;

    private int maxFrameBytes = HANDSHAKE_MAX_FRAME;
    private boolean handshakeOnly = true;
    private boolean broken;
    private boolean holdResults;
    /** Whether the decoder is in a pipeline, whose read buffers are released, never reused, by who hands them in. */
    private boolean inPipeline;
    private boolean payloadsAtOnce;
    private ByteBudget resultsAhead;
    /** Counts the read buffers that held results' slices keep; null until results are held. */
    private ReadPins.Pinner pins;
    private PartialPayload partial;

    /**
     * Not sharable: one per channel. Said here rather than found by Netty, which reads the class's
     * annotations for {@code @Sharable} and in a fresh JVM spins proxy classes for them and theirs.
     */
    @Override
    public boolean isSharable() {
        return false;
    }

    /** @return true until {@link #authenticated(int)} lifts the handshake limits */
    public boolean inHandshake() {
        return handshakeOnly;
    }

    /**
     * @return the bytes received but not yet decoded: before authentication never more than {@link
     *     #HANDSHAKE_MAX_FRAME} plus the 4-byte length once a read has been handled
     */
    public int bufferedBytes() {
        return actualReadableBytes();
    }

    /**
     * Leaves handshake mode.
     *
     * @param maxFrame the largest frame now accepted, in bytes
     */
    public void authenticated(int maxFrame) {
        this.maxFrameBytes = maxFrame;
        this.handshakeOnly = false;
    }

    /**
     * From now on, a RESULT whose payload is {@link #STREAM_FROM} bytes or more (and under {@link
     * HeldPayload#HOLD_BELOW}) is decoded into a {@link
     * Message.HeldResult}, its payload outside the heap (see {@link HeldPayload} for why), while {@link
     * HeldPayload#BUDGET} allows; the manager's decoders do this once the worker is authenticated. Such a result is
     * held as retained slices of the buffers it arrived in, while {@link ReadPins#RESULTS} allows: so only for a
     * decoder in a pipeline, whose buffers are released, never reused, by whoever hands them in; such a decoder
     * then refuses {@link #decodeFrames}, whose caller (the worker's blocking transport) reuses its buffer.
     *
     * @throws IllegalStateException when the decoder is not in a pipeline
     */
    public void holdResultsOffHeap() {
        if (!inPipeline) {
            throw new IllegalStateException("a decoder holds results only in a pipeline: add it to its channel first");
        }
        holdResultsOffHeap(ReadPins.RESULTS);
    }

    /** As {@link #holdResultsOffHeap()}, the read buffers its results keep counted on {@code pins}; for tests. */
    void holdResultsOffHeap(ReadPins pins) {
        this.holdResults = true;
        this.pins = pins.pinner();
    }

    /**
     * From now on, a big payload's array is made when its frame starts, not when half of it has arrived
     * ({@link ArrivingBytes}), so that none of it is held in the read buffers and {@link #readPayloadInto}
     * can read it straight from the socket. For a worker's decoder: its manager sends it the tasks it runs
     * and could make it allocate as much anyway; the frame limit still bounds each array.
     */
    public void payloadsAtOnce() {
        this.payloadsAtOnce = true;
    }

    /**
     * From now on, a RESULT whose payload is {@link HeldPayload#HOLD_BELOW} bytes or more gets its array when
     * its frame starts, while {@link ArrivingBytes#RESULTS_AHEAD} covers it, so that its bytes go straight into it as
     * they arrive (none held in the read buffers, no copy later); beyond the budget, when half of it has
     * arrived, as before. The manager's decoders do this once the worker is authenticated.
     */
    public void bigResultsAhead() {
        bigResultsAhead(ArrivingBytes.RESULTS_AHEAD);
    }

    /** As {@link #bigResultsAhead()}, on {@code budget}; for tests. */
    void bigResultsAhead(ByteBudget budget) {
        this.resultsAhead = budget;
    }

    /**
     * Reads the next bytes of the payload arriving, if any and if its array is made, straight from {@code
     * input} into that array, for a blocking reader that has decoded all it had ({@link #decodeFrames}
     * left nothing readable): one copy less per byte, and no read buffer between. A {@link #decodeFrames}
     * call (with an empty buffer if need be) then yields the message these bytes completed.
     *
     * @param max the most bytes to read in one call
     * @return how many bytes were read, -1 at the end of the stream, or 0 when there is no such payload
     *     (the caller reads into its buffer as usual)
     */
    public int readPayloadInto(InputStream input, int max) throws IOException {
        if (partial == null || broken) {
            return 0;
        }
        return partial.directRoom() > 0 ? partial.readFrom(input, max) : 0;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        inPipeline = true;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        frames(in, out);
    }

    /**
     * Decodes the whole frames in {@code in} as the pipeline would, for a transport without one (the
     * worker's blocking connection), which keeps the bytes not yet decoded in {@code in} itself.
     *
     * @throws ProtocolException when the bytes break the protocol; the decoder then drops what follows
     * @throws IllegalStateException when the decoder holds results ({@link #holdResultsOffHeap}): it would keep
     *     slices of {@code in}, which the caller reuses
     */
    public void decodeFrames(ByteBuf in, List<Object> out) {
        if (holdResults) {
            throw new IllegalStateException("a decoder that holds results decodes only in its pipeline");
        }
        frames(in, out);
    }

    private void frames(ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (partial != null) {
            boolean complete;
            try {
                complete = partial.fill(in);
            } catch (ProtocolException e) {
                fail(in, e.getMessage());
                return;
            }
            if (!complete) {
                return;
            }
            out.add(partial.message());
            partial = null;
        }
        while (in.readableBytes() >= 5) {
            int start = in.readerIndex();
            int length = in.getInt(start);
            if (length < 1 || length > maxFrameBytes) {
                fail(in, "frame length " + Integer.toUnsignedString(length) + " outside 1.." + maxFrameBytes
                        + (handshakeOnly ? " (before authentication)" : ""));
            }
            MessageType type = MessageType.of(in.getUnsignedByte(start + 4));
            if (type == null) {
                fail(in, "unknown message type " + in.getUnsignedByte(start + 4));
            }
            if (handshakeOnly && !type.isHandshake()) {
                fail(in, type + " before authentication");
            }
            if (in.readableBytes() < 4 + length) {
                startPartial(in, type, length - 1);
                return;
            }
            in.skipBytes(5);
            int end = in.readerIndex() + length - 1; // read in place: a slice a frame was 9% of the manager's garbage
            Message m;
            try {
                m = read(type, in, end);
            } catch (ProtocolException e) {
                fail(in, e.getMessage());
                return;
            }
            if (in.readerIndex() > end) {
                fail(in, type + " frame is truncated");
            }
            if (in.readerIndex() < end) {
                fail(in, type + " frame has " + (end - in.readerIndex()) + " bytes too many");
            }
            out.add(m);
            if (handshakeOnly) {
                // One message at a time: its handler may lift the limits before the next is read.
                return;
            }
        }
    }

    /**
     * A big payload frame whose fixed fields have arrived: read them, and from now on take its bytes
     * into the payload as they come ({@link ArrivingBytes}: memory in proportion to what arrived),
     * instead of gathering the whole frame in a growing buffer first (which copied a 16 MB frame
     * several times over) and copying it out after.
     */
    private void startPartial(ByteBuf in, MessageType type, int bodyLength) {
        int fixed = switch (type) {
            case SETUP -> 4;
            case TASK, RESULT -> 12;
            case FAILURE -> 8;
            default -> -1;
        };
        if (handshakeOnly || fixed < 0 || bodyLength < STREAM_FROM || in.readableBytes() < 5 + fixed + 1) {
            return;
        }
        in.skipBytes(5);
        long id = fixed == 4 ? 0 : in.readLong();
        int number = fixed == 8 ? 0 : in.readInt();
        byte format = in.getByte(in.readerIndex());
        if (type == MessageType.TASK && format == PayloadFormat.WITH_ARRAYS) {
            in.skipBytes(1);
            partial = new PartialPayload(type, id, number, new AttachedArraysSplitter(bodyLength - fixed,
                    payloadsAtOnce), false);
        } else {
            boolean raw = type == MessageType.RESULT && format == Message.Result.BYTES_FORMAT;
            if (raw) {
                in.skipBytes(1);
            }
            int length = bodyLength - fixed - (raw ? 1 : 0);
            boolean result = type == MessageType.RESULT;
            boolean held = holdResults && result && length < HeldPayload.HOLD_BELOW;
            partial = new PartialPayload(type, id, number, new ArrivingBytes(length, 0, holdResults && result,
                    payloadsAtOnce, result && length >= HeldPayload.HOLD_BELOW ? resultsAhead : null,
                    held ? pins : null), raw);
        }
        try {
            partial.fill(in);
        } catch (ProtocolException e) {
            fail(in, e.getMessage());
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        inPipeline = false;
        discardPartial(); // the channel closed, or the decoder was removed, in the middle of a frame
    }

    private void discardPartial() {
        if (partial != null) {
            partial.discard();
            partial = null;
        }
    }

    private void fail(ByteBuf in, String why) {
        broken = true;
        discardPartial();
        in.skipBytes(in.readableBytes());
        throw new ProtocolException(why);
    }

    /**
     * Reads a frame's body from {@code b}'s reader index up to {@code end}. A field that would read past
     * {@code end} either throws here or leaves the reader index past it, which the caller reports.
     */
    private Message read(MessageType type, ByteBuf b, int end) {
        try {
            return switch (type) {
                case HELLO -> FrameBodies.hello(b, end);
                case CHALLENGE -> new Message.Challenge(bytes(b, NONCE_BYTES), bytes(b, NONCE_BYTES));
                case PROOF -> new Message.Proof(bytes(b, NONCE_BYTES));
                case WELCOME -> FrameBodies.welcome(b, end);
                case REJECT -> new Message.Reject(string(b));
                case SETUP -> new Message.Setup(b.readInt(), rest(b, end));
                case TASK -> FrameBodies.task(b, end);
                case RESULT -> readResult(b, end);
                case FAILURE -> new Message.Failure(b.readLong(), rest(b, end));
                case RELEASE -> new Message.Release(b.readInt());
                case SHAPE -> new Message.Shape(b.readInt(), rest(b, end));
                case CANCEL -> FrameBodies.cancel(b, end);
                case HEARTBEAT -> Message.Heartbeat.INSTANCE;
                case SHUTDOWN -> Message.Shutdown.INSTANCE;
            };
        } catch (IndexOutOfBoundsException e) {
            throw new ProtocolException(type + " frame is truncated");
        }
    }

    /** A RESULT whose value is a byte[] is read without its format byte (see {@link Message.Result}). */
    private Message readResult(ByteBuf b, int end) {
        long id = b.readLong();
        int micros = b.readInt();
        boolean raw = b.readerIndex() < end && b.getByte(b.readerIndex()) == Message.Result.BYTES_FORMAT;
        if (raw) {
            b.skipBytes(1);
        }
        int n = end - b.readerIndex();
        if (holdResults && n >= STREAM_FROM && n <= b.readableBytes() && n < HeldPayload.HOLD_BELOW) {
            Message held = readHeld(id, micros, b, n, raw);
            if (held != null) {
                return held;
            }
        }
        return new Message.Result(id, micros, rest(b, end), raw);
    }

    /**
     * @return a RESULT whose {@code n} bytes of payload are all in {@code b}, held: as a slice of {@code b} while
     *     {@link ReadPins} allows, else copied into a {@link HeldPayload} of its own; or null when neither can be
     */
    private Message readHeld(long id, int micros, ByteBuf b, int n, boolean raw) {
        ReadPins.Pin pin = pins.pin(b);
        if (pin != null) {
            HeldPayload slice = HeldPayload.slices(List.of(b.readRetainedSlice(n)), List.of(pin));
            return new Message.HeldResult(id, micros, slice, raw);
        }
        HeldPayload held = HeldPayload.allocate(n);
        if (held == null) {
            return null;
        }
        b.readBytes(held.buffer().duplicate());
        return new Message.HeldResult(id, micros, held, raw);
    }
}
