package org.jparallel.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.CleanableDirectBuffer;
import io.netty.util.internal.PlatformDependent;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.List;
import org.jparallel.core.serial.DirectMemory;

/**
 * A big result payload the manager received, waiting outside the Java heap (all of it but a held slice's small
 * pieces, below) until the program reads its result ({@link #take}, once), when it becomes a {@code byte[]} that
 * dies young.
 *
 * <p>Why: a program that adds many tasks before reading their results leaves the results waiting.
 * Decoded straight into arrays, 100 KB results survived every young collection of the manager's heap
 * (hundreds of MB waiting, a young generation of a few MB), so G1 copied each of them to survivor and
 * old space in pauses of 15-950 ms that freed almost nothing, and shrank the young generation further:
 * the manager's CPU per 100 KB task was mostly that. Held here, waiting results cost the collector nothing.
 *
 * <p>Only payloads under {@link #HOLD_BELOW} are held (longer arrays G1 does not copy). At most {@link #BUDGET}
 * bytes wait at once across the JVM (a quarter of the direct memory limit, at most 256 MB); beyond it, or when
 * direct memory is short, {@link #allocate} declines and the decoder makes an array as before. A payload never taken (its task cancelled, its context closed) is freed when
 * it becomes unreachable.
 *
 * <p>While {@link ReadPins} allows, a payload is held as it arrived instead: retained slices of the read buffers
 * its bytes are in ({@link #slices}). The event loop copies nothing, and {@link #take} copies the bytes once,
 * straight into the program's array (held in a buffer of its own, each byte was copied twice: 100 KB results x 4
 * workers, the manager's event loop took ~0.74 of its CPU per task so, docs/benchmarks/2026-12-07-kb100.md).
 * A piece under 8 KB and under a quarter of its read buffer ({@link ArrivingBytes#SLICE_FROM}: usually a frame's
 * first or last bytes, sharing a read with its neighbours) is copied instead, to a heap buffer, so that a few
 * bytes do not keep a big read buffer: those copies wait on the heap. They stay there on purpose: they are a
 * small share of a result (at most two in the usual case, under 16 KB of a result of 32 KB to 512 KB), bounded by
 * the heap as the arrays they replace, whereas a direct copy would take a fresh direct buffer per piece ({@link
 * DirectMemory} recycles from 32 KB only) or a pooled one that keeps its whole chunk, which is what the pins
 * bound, and would need a budget of its own.
 */
public final class HeldPayload {
    /**
     * Payloads this long or longer stay arrays: G1 allocates them as humongous objects, which it never copies,
     * and holding them would only add a copy (and, for megabytes, fresh memory) per result.
     */
    static final int HOLD_BELOW = 512 * 1024;
    /** The most bytes held at once in this JVM. */
    static final long BUDGET = Math.min(256L << 20, Math.max(0, PlatformDependent.maxDirectMemory()) / 4);
    private static final ByteBudget HELD = new ByteBudget(BUDGET);
    private static final Cleaner CLEANER = Cleaner.create();

    private final Memory memory;
    private final int length;
    private final Cleaner.Cleanable cleanable;

    private HeldPayload(Memory memory, int length) {
        this.memory = memory;
        this.length = length;
        this.cleanable = CLEANER.register(this, memory);
    }

    /** Where the bytes are, freed once: by {@link #take}, {@link #free}, or when its holder is unreachable. */
    private abstract static class Memory implements Runnable {
        private boolean freed;

        @Override
        public final synchronized void run() {
            if (!freed) {
                freed = true;
                release();
            }
        }

        /** Frees the memory; called once. */
        abstract void release();

        /** Copies all the bytes into {@code out}, which is as long as they are. */
        abstract void copyTo(byte[] out);
    }

    /** The bytes in a buffer of {@link DirectMemory}'s, counted against a budget. */
    private static final class Direct extends Memory {
        private final CleanableDirectBuffer buffer;
        private final ByteBudget held;

        Direct(CleanableDirectBuffer buffer, ByteBudget held) {
            this.buffer = buffer;
            this.held = held;
        }

        @Override
        void release() {
            held.give(buffer.buffer().capacity());
            buffer.clean();
        }

        @Override
        void copyTo(byte[] out) {
            buffer.buffer().get(0, out);
        }
    }

    /**
     * The bytes as they arrived, in order: retained slices of the read buffers, counted on their pins, and copies
     * of small pieces.
     */
    private static final class Slices extends Memory {
        private final ByteBuf[] parts;
        private final ReadPins.Pin[] pins;

        Slices(ByteBuf[] parts, ReadPins.Pin[] pins) {
            this.parts = parts;
            this.pins = pins;
        }

        @Override
        void release() {
            // the pins first: once a buffer's last slice is released Netty may hand the same ByteBuf object out
            // again as a new read buffer, and a pin still open on it would count that buffer as its own
            for (ReadPins.Pin p : pins) {
                p.release();
            }
            for (ByteBuf p : parts) {
                p.release();
            }
        }

        @Override
        void copyTo(byte[] out) {
            int at = 0;
            for (ByteBuf p : parts) {
                int n = p.readableBytes();
                p.getBytes(p.readerIndex(), out, at, n);
                at += n;
            }
        }
    }

    /**
     * @param parts the payload's bytes in order: retained slices of read buffers and copies; released when the
     *     payload is taken, freed, or unreachable
     * @param pins the pins that count the slices among {@code parts}, one each, or null for none; released with them
     * @return the payload held as those parts, copied only when taken, straight into the program's array
     */
    static HeldPayload slices(List<ByteBuf> parts, List<ReadPins.Pin> pins) {
        int length = 0;
        for (ByteBuf p : parts) {
            length += p.readableBytes();
        }
        return new HeldPayload(new Slices(parts.toArray(new ByteBuf[0]),
                pins == null ? new ReadPins.Pin[0] : pins.toArray(new ReadPins.Pin[0])), length);
    }

    /**
     * @return room for a payload of {@code length} bytes, to fill through {@link #buffer()}; or null when
     *     it is {@link #HOLD_BELOW} or longer, the payloads held would exceed {@link #BUDGET}, or direct
     *     memory is short
     */
    static HeldPayload allocate(int length) {
        return length >= HOLD_BELOW ? null : allocate(length, HELD);
    }

    /** @return as {@link #allocate(int)}, counting against {@code held} */
    static HeldPayload allocate(int length, ByteBudget held) {
        if (!held.take(length)) {
            return null;
        }
        CleanableDirectBuffer b = DirectMemory.allocate(length);
        if (b == null) {
            held.give(length);
            return null;
        }
        return new HeldPayload(new Direct(b, held), length);
    }

    /** @return the bytes held now in this JVM */
    static long heldBytes() {
        return HELD.taken();
    }

    /**
     * @return the payload's buffer, position 0, limit its length, for one made by {@link #allocate}; the decoder
     *     fills it before handing it on
     */
    ByteBuffer buffer() {
        return ((Direct) memory).buffer.buffer();
    }

    /** @return the payload's length in bytes */
    public int length() {
        return length;
    }

    /** Frees the payload without reading it (its result will not be read); again, or after {@link #take}, nothing. */
    public void free() {
        cleanable.clean();
    }

    /**
     * @return the payload as a new array; its memory is freed
     * @throws IllegalStateException when it was taken before
     */
    public byte[] take() {
        try {
            synchronized (memory) {
                if (memory.freed) {
                    throw new IllegalStateException("a held payload was taken twice");
                }
                byte[] out = new byte[length];
                memory.copyTo(out);
                cleanable.clean(); // frees it now, and forgets the registration
                return out;
            }
        } finally {
            Reference.reachabilityFence(this); // its cleaner must not run while the bytes are copied
        }
    }
}
