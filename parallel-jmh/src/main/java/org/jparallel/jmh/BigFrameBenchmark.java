package org.jparallel.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.MessageDecoder;
import org.jparallel.core.protocol.MessageEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The decoder on a big RESULT frame that arrives in 64 KiB pieces, as socket reads deliver one: the
 * path where a payload is taken into its array as it comes (see {@code ArrivingBytes}) rather than
 * read in place from a whole frame ({@link CodecBenchmark}). The pieces are direct buffers, as the
 * socket's are; the time is the decoder's copying and allocation plus the embedded pipeline's work.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class BigFrameBenchmark {
    private static final int PIECE = 64 * 1024;

    /** The payload size in bytes. */
    @Param({"1048576", "16777216"})
    public int payloadBytes;

    private EmbeddedChannel decoder;
    private ByteBuf frame;

    /** Builds the frame and the decoder's channel. */
    @Setup(Level.Trial)
    public void open() {
        byte[] payload = new byte[payloadBytes];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31 + 7);
        }
        payload[0] = 16; // a serialized object's format byte
        EmbeddedChannel encoder = new EmbeddedChannel(new MessageEncoder());
        encoder.writeOutbound(new Message.Result(123_456_789L, 77, payload));
        frame = Unpooled.directBuffer(payloadBytes + 64);
        ByteBuf b;
        while ((b = encoder.readOutbound()) != null) {
            frame.writeBytes(b);
            b.release();
        }
        encoder.finishAndReleaseAll();
        MessageDecoder codec = new MessageDecoder();
        codec.authenticated(1 << 30);
        decoder = new EmbeddedChannel(codec);
        Object m = decode();
        if (!(m instanceof Message.Result r) || r.payload().length != payloadBytes) {
            throw new IllegalStateException("decoded " + m + ", expected a RESULT of " + payloadBytes + " bytes");
        }
    }

    /** Closes the channel and fails the trial if a buffer was left unreleased. */
    @TearDown(Level.Trial)
    public void close() {
        boolean left = decoder.finishAndReleaseAll();
        int refs = frame.refCnt();
        frame.release();
        if (left || refs != 1) {
            throw new IllegalStateException("buffers leaked: decoder output left " + left + ", frame references " + refs);
        }
    }

    /** @return the decoded RESULT */
    @Benchmark
    public Object decodeInPieces() {
        return decode();
    }

    private Object decode() {
        int length = frame.readableBytes();
        for (int at = 0; at < length; at += PIECE) {
            decoder.writeInbound(frame.retainedSlice(at, Math.min(PIECE, length - at)));
        }
        return decoder.readInbound();
    }
}
