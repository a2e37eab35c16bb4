package org.jparallel.core.protocol;

import static org.jparallel.core.protocol.WireBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.jparallel.core.leaks.NoLeaks;
import org.jparallel.core.serial.PayloadFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A worker's decoder ({@link MessageDecoder#payloadsAtOnce}): a big payload's array made when its frame
 * starts, so no read buffer is held, and its bytes read straight from the stream into it ({@link
 * MessageDecoder#readPayloadInto}), as the blocking worker transport reads them.
 */
@ExtendWith(NoLeaks.class)
class DirectPayloadReadTest {
    private static final int BIG = 1 << 30;

    private static MessageDecoder workerDecoder() {
        MessageDecoder d = new MessageDecoder();
        d.authenticated(BIG);
        d.payloadsAtOnce();
        return d;
    }

    /**
     * Reads {@code wire} as BlockingSession does: {@code head} bytes through a buffer, then, whenever the
     * buffer is empty, straight into the payload if the decoder can take them, else through the buffer.
     *
     * @return the messages and how many bytes went straight into payloads
     */
    private static List<Object> readLikeTheWorker(MessageDecoder d, byte[] wire, int head, int readMax,
            long[] directBytes) throws IOException {
        InputStream input = new ByteArrayInputStream(wire, head, wire.length - head);
        List<Object> out = new ArrayList<>();
        ByteBuf in = Unpooled.buffer(head).writeBytes(wire, 0, head);
        d.decodeFrames(in, out);
        while (true) {
            int direct = in.isReadable() ? 0 : d.readPayloadInto(input, readMax);
            if (direct < 0) {
                break;
            }
            if (direct > 0) {
                directBytes[0] += direct;
            } else {
                in.discardReadBytes();
                in.ensureWritable(readMax);
                if (in.writeBytes(input, readMax) < 0) {
                    break;
                }
            }
            d.decodeFrames(in, out);
        }
        assertEquals(0, in.readableBytes(), "bytes left undecoded");
        in.release();
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1000, 64 * 1024, 1 << 20})
    void aRawResultIsReadStraightIntoItsArrayAndTheNextFrameAsUsual(int readMax) throws IOException {
        byte[] value = bytes(300_000, 4);
        byte[] wire = WireBytes.of(new Message.Result(7L, 1, value, true), Message.Heartbeat.INSTANCE);
        long[] direct = {0};
        List<Object> got = readLikeTheWorker(workerDecoder(), wire, 100, readMax, direct);
        assertEquals(2, got.size(), got.toString());
        Message.Result r = assertInstanceOf(Message.Result.class, got.get(0));
        assertArrayEquals(value, r.payload());
        assertSame(Message.Heartbeat.INSTANCE, got.get(1));
        assertTrue(direct[0] >= value.length - 100, direct[0] + " of " + value.length + " bytes read straight in");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4096, 1 << 20})
    void aTaskWithAttachedArraysIsSplitWithItsArraysReadStraightIn(int readMax) throws IOException {
        byte[] a = bytes(200_000, 1);
        byte[] b = bytes(70_000, 2);
        byte[] stream = bytes(50_000, 3);
        byte[] payload = java.nio.ByteBuffer.allocate(1 + 4 + 4 + a.length + 4 + b.length + stream.length)
                .put(PayloadFormat.WITH_ARRAYS).putInt(2).putInt(a.length).put(a).putInt(b.length).put(b)
                .put(stream).array();
        byte[] wire = WireBytes.of(new Message.Task(11, 3, payload), Message.Heartbeat.INSTANCE);
        long[] direct = {0};
        List<Object> got = readLikeTheWorker(workerDecoder(), wire, 30, readMax, direct);
        assertEquals(2, got.size(), got.toString());
        Message.Task t = assertInstanceOf(Message.Task.class, got.get(0));
        assertEquals(11, t.taskId());
        assertArrayEquals(a, t.arrays()[0]);
        assertArrayEquals(b, t.arrays()[1]);
        byte[] object = new byte[stream.length + 1];
        object[0] = PayloadFormat.OBJECT;
        System.arraycopy(stream, 0, object, 1, stream.length);
        assertArrayEquals(object, t.payload(), "the rest, as an object payload");
        assertSame(Message.Heartbeat.INSTANCE, got.get(1));
        assertTrue(direct[0] >= a.length - 30, direct[0] + " bytes read straight in"); // the first array, at least
    }

    @Test
    void aWorkersDecoderHoldsNoPartOfTheReadBufferWhileABigPayloadArrives() {
        byte[] wire = WireBytes.of(new Message.Result(7L, 1, bytes(1 << 20, 9), true));
        MessageDecoder d = workerDecoder();
        List<Object> out = new ArrayList<>();
        ByteBuf read = Unpooled.wrappedBuffer(wire, 0, 600_000); // most of it, in one buffer: a slice would be held
        d.decodeFrames(read, out);
        assertEquals(1, read.refCnt(), "the decoder kept a slice of the read buffer");
        assertEquals(0, read.readableBytes());
        read.release();
        d.decodeFrames(Unpooled.wrappedBuffer(wire, 600_000, wire.length - 600_000), out);
        assertEquals(1, out.size());
    }

    @Test
    void withoutPayloadsAtOnceTheDecoderReadsNothingDirectly() throws IOException {
        byte[] wire = WireBytes.of(new Message.Result(7L, 1, bytes(1 << 20, 9), true));
        MessageDecoder d = new MessageDecoder();
        d.authenticated(BIG);
        d.decodeFrames(Unpooled.wrappedBuffer(wire, 0, 100), new ArrayList<>());
        assertEquals(0, d.readPayloadInto(new ByteArrayInputStream(wire, 100, wire.length - 100), 1 << 20),
                "a manager's decoder makes a big array only when half of it arrived");
    }
}
