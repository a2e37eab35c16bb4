package org.jparallel.core.protocol;

import static org.jparallel.core.protocol.WireBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.jparallel.core.leaks.NoLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The wire format, with no sockets: MessageEncoder and MessageDecoder on EmbeddedChannels. */
@ExtendWith(NoLeaks.class)
class MessageCodecTest {
    private static final int BIG = 1 << 30;
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeChannels() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** @return the buffers the encoder wrote for these messages, in order */
    private List<ByteBuf> encodeToBuffers(Message... messages) {
        EmbeddedChannel enc = new EmbeddedChannel(new MessageEncoder());
        channels.add(enc);
        for (Message m : messages) {
            assertTrue(enc.writeOutbound(m));
        }
        List<ByteBuf> out = new ArrayList<>();
        ByteBuf b;
        while ((b = enc.readOutbound()) != null) {
            out.add(b);
        }
        return out;
    }

    /** @return the bytes the encoder wrote for these messages, as one buffer */
    private ByteBuf encode(Message... messages) {
        List<ByteBuf> parts = encodeToBuffers(messages);
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf p : parts) {
            all.writeBytes(p);
            p.release();
        }
        return all;
    }

    private static byte[] toArray(ByteBuf b) {
        byte[] a = new byte[b.readableBytes()];
        b.readBytes(a);
        b.release();
        return a;
    }

    private EmbeddedChannel decoderChannel(MessageDecoder decoder) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        channels.add(ch);
        return ch;
    }

    private static List<Message> drain(EmbeddedChannel ch) {
        List<Message> out = new ArrayList<>();
        Message m;
        while ((m = ch.readInbound()) != null) {
            out.add(m);
        }
        return out;
    }

    /** A frame header: 4-byte length (type byte + body) and the type byte, with an optional body. */
    private static ByteBuf frame(int length, int type, byte... body) {
        return Unpooled.buffer().writeInt(length).writeByte(type).writeBytes(body);
    }

    /** Compares two messages component by component, byte arrays by content. */
    static void assertSameMessage(Message expected, Message actual) {
        assertEquals(expected.type(), actual.type());
        assertSame(expected.getClass(), actual.getClass());
        if (expected instanceof Message.Result e && actual instanceof Message.Result a) {
            // a byte[] value may arrive without its format byte (rawBytes): the same bytes on the wire
            assertEquals(e.taskId(), a.taskId(), "taskId");
            assertEquals(e.workMicros(), a.workMicros(), "workMicros");
            assertArrayEquals(e.taggedPayload(), a.taggedPayload(), "payload");
            return;
        }
        if (!expected.getClass().isRecord()) {
            assertSame(expected, actual);
            return;
        }
        for (RecordComponent c : expected.getClass().getRecordComponents()) {
            try {
                Object e = c.getAccessor().invoke(expected);
                Object a = c.getAccessor().invoke(actual);
                if (e instanceof byte[] eb) {
                    assertArrayEquals(eb, (byte[]) a, c.getName());
                } else {
                    assertEquals(e, a, c.getName());
                }
            } catch (ReflectiveOperationException x) {
                throw new AssertionError(x);
            }
        }
    }

    @Test
    void aBufferedTaskGoesOutAsTheTaskWithTheSameBytesAndItsBufferStaysWhole() {
        byte[] payload = bytes(100_000, 3);
        java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(payload.length).put(payload).flip();
        ByteBuf wire = encode(new Message.BufferedTask(42, 7, direct));
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(BIG);
        EmbeddedChannel dec = decoderChannel(decoder);
        dec.writeInbound(wire);
        List<Message> got = drain(dec);
        assertEquals(1, got.size());
        assertSameMessage(new Message.Task(42, 7, payload), got.get(0));
        assertEquals(0, direct.position(), "sending reads a duplicate: the kept payload can be sent again");
        assertEquals(payload.length, direct.remaining());
    }

    @Test
    void aBufferedResultGoesOutAsARawBytesResultAndItsBufferIsReleased() {
        byte[] value = bytes(50_000, 5);
        ByteBuf buf = Unpooled.directBuffer(value.length).writeBytes(value);
        ByteBuf wire = encode(new Message.BufferedResult(9, 123, buf));
        assertEquals(0, buf.refCnt(), "the encoder hands the buffer on; written, it is released");
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(BIG);
        EmbeddedChannel dec = decoderChannel(decoder);
        dec.writeInbound(wire);
        Message.Result r = assertInstanceOf(Message.Result.class, drain(dec).get(0));
        assertEquals(9, r.taskId());
        assertEquals(123, r.workMicros());
        assertTrue(r.rawBytes());
        assertArrayEquals(value, r.payload());
    }

    @Test
    void aBufferedResultWithRoomInFrontGoesOutAsOneBufferWithTheSameBytes() {
        byte[] value = bytes(50_000, 6);
        ByteBuf plain = Unpooled.directBuffer(value.length).writeBytes(value);
        byte[] twoParts = toArray(encode(new Message.BufferedResult(9, 123, plain)));
        ByteBuf roomy = Unpooled.buffer(MessageEncoder.RESULT_HEAD + value.length)
                .writerIndex(MessageEncoder.RESULT_HEAD).readerIndex(MessageEncoder.RESULT_HEAD).writeBytes(value);
        List<ByteBuf> parts = encodeToBuffers(new Message.BufferedResult(9, 123, roomy));
        assertEquals(1, parts.size(), "the head written into the room: one buffer, one socket write");
        assertArrayEquals(twoParts, toArray(parts.get(0))); // and released, as a written buffer is
        assertEquals(0, roomy.refCnt(), "the buffer handed on was the result's own");
    }

    /** A format-17 payload: arrays {@code a} and {@code b}, then the given stream bytes. */
    private static byte[] withArrays(byte[] a, byte[] b, byte[] stream) {
        return java.nio.ByteBuffer.allocate(1 + 4 + 4 + a.length + 4 + b.length + stream.length)
                .put(org.jparallel.core.serial.PayloadFormat.WITH_ARRAYS).putInt(2)
                .putInt(a.length).put(a).putInt(b.length).put(b).put(stream).array();
    }

    private static void assertSplit(Message m, byte[] a, byte[] b, byte[] stream) {
        Message.Task t = assertInstanceOf(Message.Task.class, m);
        assertEquals(11, t.taskId());
        assertEquals(3, t.contextId());
        assertEquals(2, t.arrays().length);
        assertArrayEquals(a, t.arrays()[0]);
        assertArrayEquals(b, t.arrays()[1]);
        byte[] object = new byte[stream.length + 1];
        object[0] = org.jparallel.core.serial.PayloadFormat.OBJECT;
        System.arraycopy(stream, 0, object, 1, stream.length);
        assertArrayEquals(object, t.payload(), "the rest, as an object payload");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 7, 4096, 1 << 20})
    void aTaskWithAttachedArraysIsSplitAsItArrivesInPiecesOfAnySize(int piece) {
        byte[] a = bytes(40_000, 1);
        byte[] b = bytes(0, 2);
        byte[] stream = bytes(300, 3);
        ByteBuf wire = encode(new Message.Task(11, 3, withArrays(a, b, stream)), Message.Heartbeat.INSTANCE);
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(BIG);
        EmbeddedChannel dec = decoderChannel(decoder);
        while (wire.isReadable()) {
            dec.writeInbound(wire.readRetainedSlice(Math.min(piece, wire.readableBytes())));
        }
        wire.release();
        List<Message> got = drain(dec);
        assertEquals(2, got.size(), got.toString());
        assertSplit(got.get(0), a, b, stream);
        assertSame(Message.Heartbeat.INSTANCE, got.get(1), "the next frame is read as usual");
    }

    @Test
    void aSmallTaskWithAttachedArraysThatArrivesWholeIsSplitToo() {
        byte[] a = bytes(10, 4);
        byte[] b = bytes(5, 5);
        byte[] stream = bytes(20, 6);
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(BIG);
        EmbeddedChannel dec = decoderChannel(decoder);
        dec.writeInbound(encode(new Message.Task(11, 3, withArrays(a, b, stream))));
        assertSplit(drain(dec).get(0), a, b, stream);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {10, 100_000})
    void anAttachedArrayLongerThanItsPayloadBreaksTheConnection(int payloadPadding) {
        byte[] payload = java.nio.ByteBuffer.allocate(1 + 4 + 4 + payloadPadding)
                .put(org.jparallel.core.serial.PayloadFormat.WITH_ARRAYS).putInt(1).putInt(payloadPadding + 1).array();
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(BIG);
        EmbeddedChannel dec = decoderChannel(decoder);
        DecoderException e = assertThrows(DecoderException.class,
                () -> dec.writeInbound(encode(new Message.Task(1, 1, payload))));
        assertInstanceOf(ProtocolException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("attached array"), e.getCause().getMessage());
    }

    static Stream<Message> everyMessage() {
        return Stream.of(
                new Message.Hello(MessageEncoder.VERSION, 7, 4711L, "node7.example.org", "17.0.9", bytes(32, 1)),
                new Message.Hello(MessageEncoder.VERSION, 0, -1L, "", "", bytes(32, 2)),
                new Message.Hello(MessageEncoder.VERSION, 5, 12L, "n", "21", bytes(32, 2), 7_200_000L),
                new Message.Hello(MessageEncoder.VERSION, 6, 13L, "n", "21", bytes(32, 2), -1, 64),
                new Message.Challenge(bytes(32, 3), bytes(32, 4)),
                new Message.Proof(bytes(32, 5)),
                new Message.Welcome(2000, 60000, BIG),
                new Message.Welcome(2000, 60000, BIG, "!*", false),
                new Message.Reject("authentication failed: Grüße, \u4e16\u754c"),
                new Message.Reject(""),
                new Message.Setup(3, bytes(100, 6)),
                new Message.Setup(Integer.MAX_VALUE, new byte[0]),
                new Message.Setup(4, bytes(5000, 7)),
                new Message.Task(Long.MAX_VALUE, 3, bytes(256, 8)),
                new Message.Task(1L, 3, bytes(257, 9)),
                new Message.Task(2L, 0, new byte[0]),
                new Message.Result(99L, 1234, bytes(40, 10)),
                new Message.Result(-1L, bytes(70_000, 11)),
                new Message.Failure(99L, bytes(300, 12)),
                new Message.Failure(98L, new byte[0]),
                new Message.Release(3),
                new Message.Shape(5, bytes(120, 9)),
                new Message.Cancel(42L),
                new Message.Cancel(43L, false),
                Message.Heartbeat.INSTANCE,
                Message.Shutdown.INSTANCE);
    }

    // ---- round trips ----------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("everyMessage")
    void everyMessageTypeRoundTripsThroughEncoderAndDecoder(Message m) {
        MessageDecoder decoder = new MessageDecoder();
        if (!m.type().isHandshake()) {
            decoder.authenticated(BIG);
        }
        EmbeddedChannel dec = decoderChannel(decoder);
        for (ByteBuf b : encodeToBuffers(m)) {
            dec.writeInbound(b);
        }
        List<Message> got = drain(dec);
        assertEquals(1, got.size());
        assertSameMessage(m, got.get(0));
    }

    @Test
    void theWelcomeEndsWithWhetherTheManagerCanBeResumedAsOneByte() {
        for (boolean resumable : new boolean[] {true, false}) {
            byte[] wire = toArray(encode(new Message.Welcome(1000, 5000, 1 << 20, "ab", resumable)));
            // length, type, three ints, the filter (2-byte length and its bytes), the flag
            assertEquals(4 + 1 + 12 + 2 + 2 + 1, wire.length);
            assertEquals(resumable ? 1 : 0, wire[wire.length - 1]);
            MessageDecoder decoder = new MessageDecoder();
            EmbeddedChannel dec = decoderChannel(decoder);
            dec.writeInbound(Unpooled.wrappedBuffer(wire));
            assertEquals(resumable, assertInstanceOf(Message.Welcome.class, dec.readInbound()).resumable());
        }
    }

    @Test
    void aWelcomeWhoseResumableFlagIsNeitherZeroNorOneIsRejected() {
        for (int flag : new int[] {2, 0x80, 0xff}) {
            byte[] wire = toArray(encode(new Message.Welcome(1000, 5000, 1 << 20, "", true)));
            wire[wire.length - 1] = (byte) flag;
            ProtocolException e = rejected(decoderChannel(new MessageDecoder()), Unpooled.wrappedBuffer(wire));
            assertTrue(e.getMessage().contains("bad resumable flag " + flag + " in WELCOME"), e.getMessage());
        }
    }

    @Test
    void aCancelWhoseInterruptFlagIsNeitherZeroNorOneIsRejected() {
        for (int flag : new int[] {2, 0x80, 0xff}) {
            byte[] wire = toArray(encode(new Message.Cancel(7, false)));
            wire[wire.length - 1] = (byte) flag;
            MessageDecoder decoder = new MessageDecoder();
            decoder.authenticated(BIG);
            ProtocolException e = rejected(decoderChannel(decoder), Unpooled.wrappedBuffer(wire));
            assertTrue(e.getMessage().contains("bad interrupt flag " + flag + " in CANCEL"), e.getMessage());
        }
    }

    @Test
    void aWelcomeWithoutTheResumableFlagIsTruncated() {
        byte[] whole = toArray(encode(new Message.Welcome(1000, 5000, 1 << 20, "", false)));
        ByteBuf cut = Unpooled.buffer().writeInt(whole.length - 5).writeBytes(whole, 4, whole.length - 5);
        EmbeddedChannel dec = decoderChannel(new MessageDecoder());
        DecoderException e = assertThrows(DecoderException.class, () -> dec.writeInbound(cut));
        assertTrue(e.getCause().getMessage().contains("WELCOME frame is truncated"), e.getCause().getMessage());
    }

    @Test
    void everyMessageTypeIsCoveredByTheRoundTrip() {
        assertEquals(Arrays.asList(MessageType.values()), everyMessage().map(Message::type).distinct().sorted().toList());
    }

    @Test
    void aFrameSplitIntoOneByteChunksDecodes() {
        Message.Task task = new Message.Task(42L, 5, bytes(600, 13));
        byte[] wire = toArray(encode(task));
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(BIG);
        EmbeddedChannel dec = decoderChannel(decoder);
        for (int i = 0; i < wire.length - 1; i++) {
            dec.writeInbound(Unpooled.wrappedBuffer(new byte[] {wire[i]}));
            assertNull(dec.readInbound(), "nothing decodes before the last byte (byte " + i + ")");
        }
        dec.writeInbound(Unpooled.wrappedBuffer(new byte[] {wire[wire.length - 1]}));
        List<Message> got = drain(dec);
        assertEquals(1, got.size());
        assertSameMessage(task, got.get(0));
    }

    @Test
    void bigPayloadFramesArrivingInPiecesDecodeIntactAndInOrder() {
        int big = MessageDecoder.STREAM_FROM + 70_001;
        Message[] sent = {
            new Message.Task(42L, 5, bytes(big, 3)),
            new Message.Result(43L, 77, bytes(big + 1, 4)),
            new Message.Failure(44L, bytes(big + 2, 5)),
            new Message.Setup(6, bytes(big + 3, 6)),
            new Message.Result(45L, bytes(10, 7)),
        };
        byte[] wire = toArray(encode(sent));
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(BIG);
        EmbeddedChannel dec = decoderChannel(decoder);
        List<Message> got = new ArrayList<>();
        // pieces of odd sizes, so frame edges and fixed fields fall inside pieces
        for (int at = 0, piece = 1; at < wire.length; at += piece, piece = piece * 3 % 9_973 + 1) {
            int n = Math.min(piece, wire.length - at);
            dec.writeInbound(Unpooled.wrappedBuffer(wire, at, n));
            got.addAll(drain(dec));
        }
        assertEquals(sent.length, got.size());
        for (int i = 0; i < sent.length; i++) {
            assertSameMessage(sent[i], got.get(i));
        }
    }

    // ---- what a frame in progress may hold --------------------------------------------------------

    private static final int ANNOUNCED = 512 << 20;

    /** @return the heap this thread allocated while {@code r} ran */
    private static long allocatedBy(Runnable r) {
        com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = bean.getCurrentThreadAllocatedBytes();
        r.run();
        return bean.getCurrentThreadAllocatedBytes() - before;
    }

    static Stream<ByteBuf> headersAnnouncing512MiB() {
        return Stream.of(
                frame(ANNOUNCED, MessageType.RESULT.code()).writeLong(1).writeInt(0).writeByte(16),
                frame(ANNOUNCED, MessageType.RESULT.code()).writeLong(1).writeInt(0).writeByte(Message.Result.BYTES_FORMAT),
                frame(ANNOUNCED, MessageType.FAILURE.code()).writeLong(1).writeByte(16),
                frame(ANNOUNCED, MessageType.TASK.code()).writeLong(1).writeInt(1).writeByte(16),
                frame(ANNOUNCED, MessageType.SETUP.code()).writeInt(1).writeByte(16),
                // an attached array that claims nearly all of the frame
                frame(ANNOUNCED, MessageType.TASK.code()).writeLong(1).writeInt(1)
                        .writeByte(org.jparallel.core.serial.PayloadFormat.WITH_ARRAYS).writeInt(1).writeInt(ANNOUNCED - 40));
    }

    @ParameterizedTest
    @MethodSource("headersAnnouncing512MiB")
    void aFrameAnnouncing512MiBHoldsAboutWhatArrivedNotWhatItAnnounced(ByteBuf header) {
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(Integer.MAX_VALUE);
        EmbeddedChannel dec = decoderChannel(decoder);
        int sent = header.readableBytes() + 40 * 1024;
        ByteBuf first = header.writeBytes(bytes(40 * 1024, 1));
        long allocated = allocatedBy(() -> {
            dec.writeInbound(first);
            for (int i = 0; i < 8; i++) {
                dec.writeInbound(Unpooled.wrappedBuffer(bytes(1, i))); // a trickle of one-byte reads
            }
        });
        assertNull(dec.readInbound(), "the frame is not complete");
        assertTrue(allocated < 4L * sent + (256 << 10), "allocated " + allocated + " bytes for " + (sent + 8)
                + " bytes received, of a frame announcing " + ANNOUNCED);
    }

    /** @return {@code wire} in pieces of {@code piece} bytes, each in a buffer of its own, as socket reads are */
    private static List<ByteBuf> pieces(byte[] wire, int piece) {
        List<ByteBuf> pieces = new ArrayList<>();
        for (int at = 0; at < wire.length; at += piece) {
            int n = Math.min(piece, wire.length - at);
            pieces.add(Unpooled.directBuffer(n).writeBytes(wire, at, n));
        }
        return pieces;
    }

    @Test
    void aBigPayloadArrivingInReadSizedPiecesIsCopiedOnceIntoItsArray() {
        byte[] value = bytes(1 << 20, 9);
        byte[] wire = toArray(encode(new Message.Result(7L, 1, value, true)));
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(BIG);
        EmbeddedChannel dec = decoderChannel(decoder);
        pieces(wire, 64 * 1024).forEach(dec::writeInbound); // unmeasured: loads the classes on the way
        assertSameMessage(new Message.Result(7L, 1, value, true), dec.readInbound());
        List<ByteBuf> pieces = pieces(wire, 64 * 1024);
        long allocated = allocatedBy(() -> pieces.forEach(dec::writeInbound));
        assertSameMessage(new Message.Result(7L, 1, value, true), dec.readInbound());
        // the array itself, and no chunks the first half was copied into before it (half as much again: 1.77 MB
        // in all when the tests' paranoid leak detector records every access to a piece, 1.28 MB without the chunks)
        assertTrue(allocated < value.length + value.length * 3 / 8, "allocated " + allocated + " bytes to decode "
                + value.length);
        pieces.forEach(p -> assertEquals(0, p.refCnt(), "a piece still held after the payload was complete"));
    }

    static Stream<Message> bigMessages() {
        return Stream.of(new Message.Result(7L, 1, bytes(1 << 20, 9), true),
                new Message.Task(8L, 1, withArrays(bytes(1 << 20, 5), bytes(10, 6), bytes(100, 7))));
    }

    @ParameterizedTest
    @MethodSource("bigMessages")
    void aFrameAbandonedHalfwayReleasesTheBuffersItHeld(Message m) {
        byte[] wire = toArray(encode(m));
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(BIG);
        EmbeddedChannel dec = new EmbeddedChannel(decoder);
        List<ByteBuf> all = pieces(wire, 64 * 1024);
        all.subList(6, all.size()).forEach(ByteBuf::release); // never sent
        List<ByteBuf> pieces = all.subList(0, 6); // under half of the payload
        pieces.forEach(dec::writeInbound);
        assertNull(dec.readInbound(), "the frame is not complete");
        assertTrue(pieces.stream().anyMatch(p -> p.refCnt() > 0), "the decoder holds what arrived");
        dec.finishAndReleaseAll(); // the connection closes in the middle of the frame
        pieces.forEach(p -> assertEquals(0, p.refCnt(), "a piece of an abandoned frame was never released"));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1 << 16, 100_003})
    void aPayloadOfSeveralMegabytesArrivingInPiecesDecodesIntact(int piece) {
        byte[] payload = bytes(5 << 20, 3);
        payload[0] = 16;
        byte[] raw = bytes(3 << 20, 4);
        byte[][] arrays = {bytes(2 << 20, 5), bytes(300_000, 6)};
        byte[] stream = bytes(100, 7);
        Message[] sent = {
            new Message.Result(1L, 2, payload),
            new Message.Result(2L, 3, raw, true),
            new Message.Task(3L, 4, withArrays(arrays[0], arrays[1], stream)),
            new Message.Failure(4L, payload),
        };
        byte[] wire = toArray(encode(sent));
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(BIG);
        EmbeddedChannel dec = decoderChannel(decoder);
        List<Message> got = new ArrayList<>();
        for (int at = 0; at < wire.length; at += piece) {
            dec.writeInbound(Unpooled.wrappedBuffer(wire, at, Math.min(piece, wire.length - at)));
            got.addAll(drain(dec));
        }
        assertEquals(4, got.size());
        assertSameMessage(sent[0], got.get(0));
        assertSameMessage(sent[1], got.get(1));
        Message.Task t = assertInstanceOf(Message.Task.class, got.get(2));
        assertArrayEquals(arrays[0], t.arrays()[0]);
        assertArrayEquals(arrays[1], t.arrays()[1]);
        assertSameMessage(sent[3], got.get(3));
    }

    @Test
    void aByteArrayResultArrivesAsTheValueItselfWithoutItsFormatByte() {
        int big = MessageDecoder.STREAM_FROM + 1_000;
        byte[] small = {Message.Result.BYTES_FORMAT, 1, 2, 3};
        byte[] large = bytes(big, 9);
        large[0] = Message.Result.BYTES_FORMAT;
        byte[] wire = toArray(encode(new Message.Result(1L, 5, small), new Message.Result(2L, 6, large),
                new Message.Result(3L, 7, java.util.Arrays.copyOfRange(large, 1, large.length), true)));
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(BIG);
        EmbeddedChannel dec = decoderChannel(decoder);
        for (int at = 0; at < wire.length; at += 1_000) {
            dec.writeInbound(Unpooled.wrappedBuffer(wire, at, Math.min(1_000, wire.length - at)));
        }
        List<Message> got = drain(dec);
        assertEquals(3, got.size());
        Message.Result r1 = (Message.Result) got.get(0);
        assertTrue(r1.rawBytes());
        assertArrayEquals(new byte[] {1, 2, 3}, r1.payload());
        Message.Result r2 = (Message.Result) got.get(1);
        assertTrue(r2.rawBytes(), "a big one too, while it streams in");
        assertArrayEquals(java.util.Arrays.copyOfRange(large, 1, large.length), r2.payload());
        Message.Result r3 = (Message.Result) got.get(2);
        assertTrue(r3.rawBytes());
        assertArrayEquals(r2.payload(), r3.payload(), "a raw result encodes to the same bytes as the tagged form");
        assertEquals(7, r3.workMicros());
    }

    @Test
    void aHandshakeFrameSplitIntoOneByteChunksDecodes() {
        Message.Hello hello = new Message.Hello(MessageEncoder.VERSION, 3, 99L, "h", "17", bytes(32, 14));
        byte[] wire = toArray(encode(hello));
        EmbeddedChannel dec = decoderChannel(new MessageDecoder());
        for (byte b : wire) {
            dec.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        List<Message> got = drain(dec);
        assertEquals(1, got.size());
        assertSameMessage(hello, got.get(0));
    }

    @Test
    void twoFramesInOneBufferBothDecode() {
        Message.Result r = new Message.Result(5L, bytes(10, 15));
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(BIG);
        EmbeddedChannel dec = decoderChannel(decoder);
        dec.writeInbound(encode(r, Message.Heartbeat.INSTANCE));
        List<Message> got = drain(dec);
        assertEquals(2, got.size());
        assertSameMessage(r, got.get(0));
        assertSame(Message.Heartbeat.INSTANCE, got.get(1));
    }

    @Test
    void twoHandshakeFramesInOneBufferBothDecode() {
        Message.Hello hello = new Message.Hello(MessageEncoder.VERSION, 3, 99L, "h", "17", bytes(32, 16));
        Message.Proof proof = new Message.Proof(bytes(32, 17));
        EmbeddedChannel dec = decoderChannel(new MessageDecoder());
        dec.writeInbound(encode(hello, proof));
        List<Message> got = drain(dec);
        assertEquals(2, got.size());
        assertSameMessage(hello, got.get(0));
        assertSameMessage(proof, got.get(1));
    }

    @Test
    void aPayloadOverTheInlineMaximumIsWrittenAsASeparateWrappedBufferAndArrivesIntact() {
        byte[] payload = bytes(MessageEncoder.INLINE_PAYLOAD_MAX + 1, 18);
        List<ByteBuf> parts = encodeToBuffers(new Message.Task(7L, 2, payload));
        assertEquals(2, parts.size(), "header and payload go out as two buffers");
        assertEquals(5 + 8 + 4, parts.get(0).readableBytes(), "the first buffer is only the header");
        ByteBuf body = parts.get(1);
        assertTrue(body.hasArray() && body.array() == payload, "the payload is wrapped, not copied");
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(BIG);
        EmbeddedChannel dec = decoderChannel(decoder);
        parts.forEach(dec::writeInbound);
        Message.Task got = (Message.Task) dec.readInbound();
        assertArrayEquals(payload, got.payload());
        assertEquals(7L, got.taskId());
        assertEquals(2, got.contextId());
    }

    @Test
    void aPayloadUpToTheInlineMaximumIsWrittenInOneBuffer() {
        int n = MessageEncoder.INLINE_PAYLOAD_MAX;
        List<ByteBuf> parts = encodeToBuffers(new Message.Result(7L, bytes(n, 19)));
        assertEquals(1, parts.size());
        assertEquals(5 + 8 + 4 + n, parts.get(0).readableBytes());
        parts.forEach(ByteBuf::release);
    }

    // ---- rejections -----------------------------------------------------------------------------

    private static ProtocolException rejected(EmbeddedChannel dec, ByteBuf in) {
        DecoderException e = assertThrows(DecoderException.class, () -> dec.writeInbound(in));
        return assertInstanceOf(ProtocolException.class, e.getCause());
    }

    @Test
    void inHandshakeModeASetupFrameIsRejectedWithoutItsBodyBeingRead() {
        EmbeddedChannel dec = decoderChannel(new MessageDecoder());
        // Only the header of a 1000-byte frame: rejected at once, the decoder does not wait for the body.
        ProtocolException e = rejected(dec, frame(1000, MessageType.SETUP.code()));
        assertTrue(e.getMessage().contains("SETUP before authentication"), e.getMessage());
    }

    @Test
    void inHandshakeModeATaskFrameIsRejectedWithoutItsBodyBeingRead() {
        EmbeddedChannel dec = decoderChannel(new MessageDecoder());
        ProtocolException e = rejected(dec, frame(13, MessageType.TASK.code()));
        assertTrue(e.getMessage().contains("TASK before authentication"), e.getMessage());
        assertNull(dec.readInbound());
    }

    @Test
    void inHandshakeModeAFullyEncodedTaskIsRejected() {
        EmbeddedChannel dec = decoderChannel(new MessageDecoder());
        rejected(dec, encode(new Message.Task(1L, 1, bytes(20, 20))));
        assertNull(dec.readInbound());
    }

    @Test
    void inHandshakeModeALengthOverHandshakeMaxFrameIsRejected() {
        EmbeddedChannel dec = decoderChannel(new MessageDecoder());
        ProtocolException e = rejected(dec, frame(MessageDecoder.HANDSHAKE_MAX_FRAME + 1, MessageType.HELLO.code()));
        assertTrue(e.getMessage().contains("before authentication"), e.getMessage());
    }

    @Test
    void aNegativeOrZeroLengthIsRejected() {
        rejected(decoderChannel(new MessageDecoder()), frame(-1, MessageType.HELLO.code()));
        MessageDecoder authenticated = new MessageDecoder();
        authenticated.authenticated(BIG);
        rejected(decoderChannel(authenticated), frame(0, MessageType.HEARTBEAT.code()));
    }

    @Test
    void anUnknownTypeByteIsRejected() {
        EmbeddedChannel dec = decoderChannel(new MessageDecoder());
        ProtocolException e = rejected(dec, frame(1, 99));
        assertTrue(e.getMessage().contains("unknown message type 99"), e.getMessage());
    }

    @Test
    void anUnknownTypeByteIsRejectedAfterAuthenticationToo() {
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(BIG);
        rejected(decoderChannel(decoder), frame(1, 255));
    }

    @Test
    void aHelloWithoutASlotIsRejected() {
        Message.Hello hello = new Message.Hello(MessageEncoder.VERSION, 1, 1L, "h", "17", bytes(32, 21), -1, 0);
        ProtocolException e = rejected(decoderChannel(new MessageDecoder()), encode(hello));
        assertTrue(e.getMessage().contains("bad slot count 0"), e.getMessage());
    }

    @Test
    void aTruncatedHelloIsRejected() {
        EmbeddedChannel dec = decoderChannel(new MessageDecoder());
        ByteBuf in = Unpooled.buffer().writeInt(1 + 4 + 2).writeByte(MessageType.HELLO.code())
                .writeInt(MessageEncoder.MAGIC).writeShort(MessageEncoder.VERSION);
        ProtocolException e = rejected(dec, in);
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertNull(dec.readInbound());
    }

    @Test
    void aHelloWithABadMagicIsRejected() {
        byte[] wire = toArray(encode(new Message.Hello(MessageEncoder.VERSION, 1, 1L, "h", "17", bytes(32, 21))));
        wire[5] = 'G';
        wire[6] = 'E';
        wire[7] = 'T';
        wire[8] = ' ';
        EmbeddedChannel dec = decoderChannel(new MessageDecoder());
        ProtocolException e = rejected(dec, Unpooled.wrappedBuffer(wire));
        assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
        assertNull(dec.readInbound());
    }

    @Test
    void aHelloWithAnOverlongStringIsRejected() {
        ByteBuf in = Unpooled.buffer().writeInt(1 + 4 + 2 + 4 + 8 + 2).writeByte(MessageType.HELLO.code())
                .writeInt(MessageEncoder.MAGIC).writeShort(MessageEncoder.VERSION).writeInt(1).writeLong(1L)
                .writeShort(600);
        rejected(decoderChannel(new MessageDecoder()), in);
    }

    @Test
    void aFrameWithBytesBeyondItsFieldsIsRejectedAndNotDelivered() {
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(BIG);
        EmbeddedChannel dec = decoderChannel(decoder);
        ProtocolException e = rejected(dec, frame(1 + 4 + 3, MessageType.RELEASE.code(), new byte[] {0, 0, 0, 1, 9, 9, 9}));
        assertTrue(e.getMessage().contains("3 bytes too many"), e.getMessage());
        assertNull(dec.readInbound(), "the malformed frame's message must not reach the next handler");
    }

    static Stream<ByteBuf> badHandshakeInputs() {
        byte[] badMagic = new byte[] {0, 0, 0, 9, 1, 'G', 'E', 'T', ' ', 0, 1, 0, 0};
        return Stream.of(
                frame(100, MessageType.SETUP.code()),
                frame(MessageDecoder.HANDSHAKE_MAX_FRAME + 1, MessageType.HELLO.code()),
                frame(1, 99),
                Unpooled.buffer().writeInt(3).writeByte(MessageType.HELLO.code()).writeShort(0x4A50),
                Unpooled.wrappedBuffer(badMagic),
                frame(1 + 33, MessageType.PROOF.code(), bytes(33, 22)));
    }

    @ParameterizedTest
    @MethodSource("badHandshakeInputs")
    void afterARejectionFurtherBytesAreDiscarded(ByteBuf bad) {
        EmbeddedChannel dec = decoderChannel(new MessageDecoder());
        Message.Hello hello = new Message.Hello(MessageEncoder.VERSION, 1, 1L, "h", "17", bytes(32, 23));
        ByteBuf in = Unpooled.buffer().writeBytes(bad).writeBytes(encode(hello));
        bad.release();
        rejected(dec, in);
        assertNull(dec.readInbound(), "nothing after the bad frame is decoded");
        dec.writeInbound(encode(hello, new Message.Proof(bytes(32, 24))));
        assertNull(dec.readInbound(), "nothing arriving later is decoded either");
    }

    @Test
    void afterAuthenticatedNAFrameOfNPlusOneIsRejectedAndOneOfNIsAccepted() {
        int n = 100;
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(n);
        EmbeddedChannel dec = decoderChannel(decoder);
        Message.Result fits = new Message.Result(1L, bytes(n - 1 - 12, 25));
        dec.writeInbound(encode(fits));
        assertSameMessage(fits, dec.readInbound());

        ProtocolException e = rejected(dec, frame(n + 1, MessageType.RESULT.code()));
        assertTrue(e.getMessage().contains("outside 1.." + n), e.getMessage());
        dec.writeInbound(encode(fits));
        assertNull(dec.readInbound(), "after the rejection nothing decodes");
    }

    @Test
    void anEncodedOversizeFrameIsRejectedAfterAuthentication() {
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(100);
        EmbeddedChannel dec = decoderChannel(decoder);
        rejected(dec, encode(new Message.Result(1L, bytes(92, 26))));
    }

    @Test
    void anOverlongRejectReasonIsCutTo512Bytes() {
        String reason = "x".repeat(2000);
        EmbeddedChannel dec = decoderChannel(new MessageDecoder());
        dec.writeInbound(encode(new Message.Reject(reason)));
        Message.Reject got = dec.readInbound();
        assertEquals("x".repeat(512), got.reason());
        assertEquals(512, got.reason().getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void typeCodesAreUniqueAndLookedUpByCode() {
        for (MessageType t : MessageType.values()) {
            assertSame(t, MessageType.of(t.code()));
        }
        assertNull(MessageType.of(0));
        assertNull(MessageType.of(256));
        assertNull(MessageType.of(-1));
    }
}
