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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of the wire codec alone, without sockets: {@link MessageEncoder} and an authenticated
 * {@link MessageDecoder} on Netty {@link EmbeddedChannel}s, for a TASK and a RESULT frame of 64 B,
 * 1 KB and 100 KB payloads. It exists to tell the codec's share of the per-task cost apart from
 * the network's and the dispatcher's in the end-to-end figures of {@code scripts/bench.sh}, and to
 * show that encoding does not copy large payloads (its time should not grow with the size) while
 * decoding copies each payload once. The times include the embedded channel's own pipeline work
 * (a write promise, a flush), which is the same in every case.
 *
 * <p>Every buffer the encoder writes is released, and the decoder's input is a retained duplicate
 * of one frame that the decoder releases; {@link #close()} fails the run if a buffer was leaked.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 3, time = 1)
public class CodecBenchmark {
    /** The largest frame the decoder accepts once authenticated (the manager's default is 1 GiB). */
    private static final int MAX_FRAME = 1 << 30;

    /** The payload size in bytes. */
    @Param({"64", "1024", "102400"})
    public int payloadBytes;

    private EmbeddedChannel encoder;
    private EmbeddedChannel decoder;
    private Message.Task task;
    private Message.Result result;
    private ByteBuf taskFrame;
    private ByteBuf resultFrame;

    /** Builds the messages, their frames and the two channels. */
    @Setup(Level.Trial)
    public void open() {
        byte[] payload = new byte[payloadBytes];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31 + 7);
        }
        payload[0] = 16; // the format byte of a serialized object (a byte[] value, 7, is read without it)
        task = new Message.Task(123_456_789L, 3, payload);
        result = new Message.Result(123_456_789L, payload.clone());
        encoder = new EmbeddedChannel(new MessageEncoder());
        MessageDecoder codec = new MessageDecoder();
        codec.authenticated(MAX_FRAME);
        decoder = new EmbeddedChannel(codec);
        taskFrame = frame(task);
        resultFrame = frame(result);
        check(decode(taskFrame), Message.Task.class);
        check(decode(resultFrame), Message.Result.class);
    }

    /** Closes the channels and fails the trial if any buffer was left unreleased. */
    @TearDown(Level.Trial)
    public void close() {
        boolean leftEncoded = encoder.finishAndReleaseAll();
        boolean leftDecoded = decoder.finishAndReleaseAll();
        int taskRefs = taskFrame.refCnt();
        int resultRefs = resultFrame.refCnt();
        taskFrame.release();
        resultFrame.release();
        if (leftEncoded || leftDecoded || taskRefs != 1 || resultRefs != 1) {
            throw new IllegalStateException("buffers leaked: encoder output left " + leftEncoded
                    + ", decoder output left " + leftDecoded + ", frame references " + taskRefs + "/" + resultRefs
                    + " (expected 1/1)");
        }
    }

    /**
     * @param bh sink
     * @return the number of bytes written
     */
    @Benchmark
    public int encodeTask(Blackhole bh) {
        return encode(task, bh);
    }

    /**
     * @param bh sink
     * @return the number of bytes written
     */
    @Benchmark
    public int encodeResult(Blackhole bh) {
        return encode(result, bh);
    }

    /** @return the decoded TASK message */
    @Benchmark
    public Object decodeTask() {
        return decode(taskFrame);
    }

    /** @return the decoded RESULT message */
    @Benchmark
    public Object decodeResult() {
        return decode(resultFrame);
    }

    private int encode(Message m, Blackhole bh) {
        encoder.writeOutbound(m);
        int written = 0;
        ByteBuf b;
        while ((b = encoder.readOutbound()) != null) {
            written += b.readableBytes();
            bh.consume(b);
            b.release();
        }
        return written;
    }

    private Object decode(ByteBuf frame) {
        // the decoder takes ownership of the duplicate and releases it once every byte is read
        decoder.writeInbound(frame.retainedDuplicate());
        return decoder.readInbound();
    }

    /** @return one direct buffer holding the whole frame, as a socket read would deliver it */
    private ByteBuf frame(Message m) {
        encoder.writeOutbound(m);
        ByteBuf all = Unpooled.directBuffer();
        ByteBuf b;
        while ((b = encoder.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        return all;
    }

    private void check(Object decoded, Class<?> type) {
        int length = decoded instanceof Message.Task t ? t.payload().length
                : decoded instanceof Message.Result r ? r.wireLength() : -1;
        if (!type.isInstance(decoded) || length != payloadBytes) {
            throw new IllegalStateException("decoded " + decoded + ", expected a " + type.getSimpleName()
                    + " of " + payloadBytes + " payload bytes");
        }
    }
}
