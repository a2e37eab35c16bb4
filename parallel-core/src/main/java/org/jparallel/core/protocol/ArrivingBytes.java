package org.jparallel.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One payload array filled as its bytes arrive, with memory in proportion to what has arrived, not
 * to the length the frame announced, so that a peer announcing a huge frame and sending a few bytes
 * cannot make the decoder allocate it all. A payload up to {@link #AT_ONCE_UP_TO} gets its array at
 * once. A longer one is held as it arrives until half of it is there; then its array is made, what was
 * held is copied into it, and the rest is copied straight in as it arrives. So the decoder holds at most
 * about four times the bytes received, plus {@code AT_ONCE_UP_TO}, and every byte is copied once.
 *
 * <p>What is held is, for a piece that fills at least a quarter of the buffer it was read into, a
 * retained slice of that buffer (no copy: the copy into chunks and again into the array was half a copy
 * more of every big payload and a third of the manager's garbage with 100 KB results), and for a smaller
 * piece a copy into a chunk (each chunk at most as long as what came before it): a trickle of tiny reads
 * cannot pin a big read buffer per byte. The slices are released when the array takes their bytes, or
 * by {@link #discard} when the frame is abandoned.
 *
 * <p>Asked to, it fills a {@link HeldPayload} outside the heap instead of the array, by the same rules
 * (the manager's results, which may wait long for the program to read them). Given {@link ReadPins}, such a
 * result is not filled at all: it is kept as it arrives, each piece a retained slice of its read buffer (a small
 * piece a copy on the heap, see {@link HeldPayload} for why), and held so ({@link HeldPayload#slices}), no copy
 * until the program takes it; the pins bound the read buffers kept so, and a piece they refuse (or a 65th) turns
 * the payload back to the rules above. A decoder whose peer may make it allocate anyway (a worker's, whose
 * manager sends it the tasks it runs) has its arrays made at once instead ({@code atOnce}): nothing is held, so
 * the read buffers stay reusable, and a reader that can ({@link #readFrom}) puts the bytes straight into the
 * array from the socket. The manager's decoders make a big result's array at once too, while {@link
 * #RESULTS_AHEAD}, shared by its connections, covers it.
 */
final class ArrivingBytes implements ArrivingPayload {
    /** A payload up to this long gets its whole array when it starts arriving. */
    static final int AT_ONCE_UP_TO = 64 * 1024;
    private static final int FIRST_CHUNK = 16 * 1024;
    /** Chunks stay below the size a G1 region treats as humongous, whatever the heap. */
    private static final int MAX_CHUNK = 256 * 1024;
    /** A held result's piece this long is kept as a slice of its read buffer whatever the buffer's size. */
    static final int SLICE_FROM = 8 * 1024;
    /** A held result that arrives in more pieces than this is gathered as any payload is. */
    static final int MAX_PIECES = 64;
    /**
     * How many bytes of payload arrays the manager's decoders may make before those bytes have arrived, across all
     * their connections: an eighth of the heap, at most 256 MB. A big result's array made when its frame starts
     * (instead of when half of it has arrived) is read into as it comes, so none of it waits in the read buffers
     * or in heap chunks (8 MB for a 16 MB result) and nothing is gathered at half-time: a 16 MB round trip cost
     * the manager about a fifth less CPU so (docs/benchmarks/2026-12-06-big2.md). The budget keeps the defence the
     * half rule was for: an authenticated peer that announces huge frames and sends little can make the decoders
     * hold at most this many bytes beyond what peers sent; a frame the budget cannot cover falls back to the rule.
     */
    static final ByteBudget RESULTS_AHEAD =
            new ByteBudget(Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8));

    private final int length;
    private final int from;
    private final boolean offHeap;
    private byte[] array;
    /** The payload outside the heap instead of {@link #array}, when asked for and the budget allows. */
    private HeldPayload direct;
    /** What arrived before the array was made, in order: retained slices and chunks, heap buffers. */
    private List<ByteBuf> held;
    private ByteBuf chunk;
    private int filled;
    /** The budget this payload's array was made ahead on, until it is complete or discarded; else null. */
    private ByteBudget ahead;
    /** Pins the read buffers of a held result's slices; null for other payloads. */
    private final ReadPins.Pinner pins;
    /** A held result kept as it arrived, until complete ({@link #keepPiece}); false once a piece could not be. */
    private boolean slicing;
    /** The pins of {@link #held}'s slices that are pinned (one per slice, in no order); null when none is. */
    private List<ReadPins.Pin> heldPins;

    /**
     * @param length the length of the array to fill
     * @param from the index the arriving bytes start at (the caller fills the ones before it)
     */
    ArrivingBytes(int length, int from) {
        this(length, from, false, false);
    }

    /**
     * @param length the length of the payload to fill
     * @param from the index the arriving bytes start at (the caller fills the ones before it)
     * @param offHeap fill a {@link HeldPayload} rather than an array when its budget allows
     * @param atOnce make the target now, whatever its length (the peer is trusted with the memory)
     */
    ArrivingBytes(int length, int from, boolean offHeap, boolean atOnce) {
        this(length, from, offHeap, atOnce, null);
    }

    /**
     * @param ahead when not null, make the target now if this budget covers it (see {@link #RESULTS_AHEAD}),
     *     until the payload is complete or discarded; else by the half rule
     */
    ArrivingBytes(int length, int from, boolean offHeap, boolean atOnce, ByteBudget ahead) {
        this(length, from, offHeap, atOnce, ahead, null);
    }

    /**
     * @param pins when not null (a held result's payload, {@code offHeap}), the payload is kept as it arrives,
     *     as retained slices of its read buffers pinned here (small pieces copied), and held so ({@link
     *     HeldPayload#slices}): no copy until the program takes it; while the pins' limit allows, else as before
     */
    ArrivingBytes(int length, int from, boolean offHeap, boolean atOnce, ByteBudget ahead, ReadPins.Pinner pins) {
        this.length = length;
        this.from = from;
        this.offHeap = offHeap;
        this.pins = pins;
        this.slicing = pins != null && offHeap && !atOnce && ahead == null;
        if (slicing) {
            return; // no target: the pieces are the payload
        }
        if (atOnce || length <= AT_ONCE_UP_TO) {
            makeTarget();
        } else if (ahead != null && ahead.take(length)) {
            try {
                makeTarget();
            } catch (RuntimeException | Error e) { // no payload holds the budget: give it back now
                ahead.give(length);
                throw e;
            }
            this.ahead = ahead;
        }
    }

    /** Gives back the ahead budget this payload took, once: when it is complete or discarded. */
    private void giveAhead() {
        if (ahead != null) {
            ahead.give(length);
            ahead = null;
        }
    }

    private void makeTarget() {
        direct = offHeap ? HeldPayload.allocate(length) : null;
        if (direct == null) {
            array = new byte[length];
        }
    }

    private boolean hasTarget() {
        return array != null || direct != null;
    }

    /** Copies {@code n} bytes from {@code in} to the target at {@code at}. */
    private void put(ByteBuf in, int at, int n) {
        if (array != null) {
            in.readBytes(array, at, n);
        } else {
            ByteBuffer dst = direct.buffer().duplicate();
            dst.limit(at + n).position(at);
            in.readBytes(dst);
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
    @Override
    public boolean fill(ByteBuf in) {
        int n = Math.min(in.readableBytes(), missing());
        if (slicing && !keepPiece(in, n)) {
            slicing = false; // this piece and the rest as any payload's; what was kept is gathered at half-time
        }
        if (slicing) {
            if (missing() > 0) {
                return false;
            }
            direct = HeldPayload.slices(held, heldPins);
            held = null;
            heldPins = null;
            return true;
        }
        if (!hasTarget() && 2L * (filled + n) >= length - from) {
            // half of it is here: the peer has paid for the array with bytes sent
            makeTarget();
            gatherHeld();
        }
        if (hasTarget()) {
            put(in, from + filled, n);
            filled += n;
        } else {
            hold(in, n);
        }
        if (missing() > 0) {
            return false;
        }
        giveAhead();
        return true;
    }

    /** @return how many of the missing bytes {@link #readFrom} can take now: 0 until the array is made */
    @Override
    public int directRoom() {
        return array != null ? missing() : 0;
    }

    /**
     * Reads the next of the missing bytes from {@code input} straight into the array, no buffer between
     * (the caller has no bytes of this payload left in its own buffer); at most {@code max} and {@link
     * #directRoom()}, which must be positive.
     *
     * @return how many bytes were read, or -1 at the end of the stream
     */
    @Override
    public int readFrom(InputStream input, int max) throws IOException {
        int n = input.read(array, from + filled, Math.min(max, directRoom()));
        if (n > 0) {
            filled += n;
        }
        if (missing() == 0) {
            giveAhead();
        }
        return n;
    }

    /** @return the filled array; valid once {@link #fill} returned true, null when {@link #offHeapPayload} is the payload */
    byte[] array() {
        return array;
    }

    /** @return the filled payload outside the heap, once {@link #fill} returned true; null when {@link #array} is */
    HeldPayload offHeapPayload() {
        return direct;
    }

    /** Releases what is held of an unfinished payload; the decoder calls it when the frame is abandoned. */
    @Override
    public void discard() {
        giveAhead();
        if (held != null) {
            held.forEach(ByteBuf::release);
            releasePins();
            held = null;
            chunk = null;
        }
    }

    /** Releases the pins of what was held, once its slices were released. */
    private void releasePins() {
        if (heldPins != null) {
            heldPins.forEach(ReadPins.Pin::release);
            heldPins = null;
        }
    }

    /**
     * Keeps the next {@code n} bytes of {@code in} as they are, for a held result: as a retained slice pinned on
     * {@link #pins}, or, a piece shorter than {@link #SLICE_FROM} and than a quarter of its buffer, as a copy.
     *
     * @return false when it cannot (the pins' limit, or too many pieces): nothing was taken
     */
    private boolean keepPiece(ByteBuf in, int n) {
        if (n == 0) {
            return true;
        }
        if (held != null && held.size() >= MAX_PIECES) {
            return false;
        }
        if (!asSlice(in, n)) {
            held().add(Unpooled.buffer(n, n).writeBytes(in, n));
            filled += n;
            return true;
        }
        ReadPins.Pin pin = pins.pin(in);
        if (pin == null) {
            return false;
        }
        if (heldPins == null) {
            heldPins = new ArrayList<>(4);
        }
        heldPins.add(pin);
        held().add(in.readRetainedSlice(n));
        filled += n;
        return true;
    }

    /**
     * @return whether the next {@code n} bytes of {@code in} are held as a retained slice of it rather than copied:
     *     when they fill at least a quarter of it (a trickle of tiny reads cannot pin a big read buffer per byte),
     *     or, for a held result kept as it arrives, are {@link #SLICE_FROM} long
     */
    private boolean asSlice(ByteBuf in, int n) {
        return 4L * n >= in.capacity() || slicing && n >= SLICE_FROM;
    }

    /** @return {@link #held}, made if need be */
    private List<ByteBuf> held() {
        if (held == null) {
            held = new ArrayList<>(4);
        }
        return held;
    }

    private void hold(ByteBuf in, int n) {
        if (n == 0) {
            return;
        }
        if (asSlice(in, n)) {
            held().add(in.readRetainedSlice(n));
            filled += n;
            chunk = null; // the next small piece starts a chunk after this slice, to keep the order
            return;
        }
        while (n > 0) {
            if (chunk == null || !chunk.isWritable()) {
                chunk = Unpooled.buffer(Math.min(missing(), Math.min(MAX_CHUNK, Math.max(FIRST_CHUNK, filled))));
                held().add(chunk);
            }
            int take = Math.min(n, chunk.writableBytes());
            chunk.writeBytes(in, take);
            filled += take;
            n -= take;
        }
    }

    private void gatherHeld() {
        if (held == null) {
            return;
        }
        int at = from;
        for (ByteBuf b : held) {
            int n = b.readableBytes();
            put(b, at, n);
            at += n;
            b.release();
        }
        releasePins();
        held = null;
        chunk = null;
    }
}
