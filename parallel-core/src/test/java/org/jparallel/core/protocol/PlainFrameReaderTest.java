package org.jparallel.core.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link PlainFrameReader}: MessageDecoder's checks and texts on a plain array, frames in pieces, the stop at a frame
 * it leaves to MessageDecoder with exactly the bytes from that frame on; and {@link PlainFrames}' arrays, and
 * MessageEncoder's and FrameBatch's buffers (which copy them), the layout written out field by field. (The property
 * over random messages and reads, with the hand-over: {@code BlockingReadsPropertyTest}.)
 */
class PlainFrameReaderTest {
    private static final Message.Welcome WELCOME = new Message.Welcome(1000, 5000, 1 << 20, "!*");

    /** An input that hands out one byte per read. */
    private static InputStream byteByByte(byte[] bytes) {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        return new InputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, Math.min(len, 1));
            }
        };
    }

    @Test
    void aFrameArrivingByteByByteIsDecodedOnceWhole() throws IOException {
        Message.Challenge c = new Message.Challenge(WireBytes.bytes(32, 1), WireBytes.bytes(32, 2));
        byte[] wire = WireBytes.of(c, WELCOME);
        InputStream in = byteByByte(wire);
        PlainFrameReader r = new PlainFrameReader(16);
        List<Message> got = new ArrayList<>();
        int reads = 0;
        while (got.size() < 2) {
            Message m = r.next();
            if (m != null) {
                got.add(m);
                continue;
            }
            assertTrue(r.read(in, 16) == 1, "a read of one byte");
            reads++;
        }
        assertEquals(wire.length, reads);
        assertArrayEquals(c.nonce(), assertInstanceOf(Message.Challenge.class, got.get(0)).nonce());
        assertArrayEquals(c.mac(), ((Message.Challenge) got.get(0)).mac());
        assertEquals(WELCOME, got.get(1));
        assertEquals(-1, r.read(in, 16));
    }

    @Test
    void aWelcomeFromAManagerThatCannotBeResumedSaysSo() throws IOException {
        Message.Welcome w = new Message.Welcome(1000, 5000, 1 << 20, "", false);
        PlainFrameReader r = reader(WireBytes.of(w));
        assertEquals(w, r.next());
        assertNull(r.next());
    }

    @Test
    void aWelcomeWhoseResumableFlagIsNeitherZeroNorOneIsRejectedAsMessageDecoderRejectsIt() throws IOException {
        for (int flag : new int[] {2, 0x80, 0xff}) {
            byte[] frame = WireBytes.of(new Message.Welcome(1000, 5000, 1 << 20, "", true));
            frame[frame.length - 1] = (byte) flag;
            PlainFrameReader r = reader(frame);
            ProtocolException plain = assertThrows(ProtocolException.class, r::next);
            assertEquals(decoderError(frame, false), plain.getMessage());
            assertTrue(plain.getMessage().contains("bad resumable flag " + flag + " in WELCOME"), plain.getMessage());
            assertNull(r.next(), "nothing after a broken frame");
        }
    }

    @Test
    void aCancelWhoseInterruptFlagIsNeitherZeroNorOneIsRejectedAsMessageDecoderRejectsIt() throws IOException {
        for (int flag : new int[] {2, 0x80, 0xff}) {
            byte[] frame = WireBytes.of(new Message.Cancel(7, true));
            frame[frame.length - 1] = (byte) flag;
            PlainFrameReader r = reader(frame);
            r.authenticated(1 << 20);
            ProtocolException plain = assertThrows(ProtocolException.class, r::next);
            assertEquals(decoderError(frame, true), plain.getMessage());
            assertTrue(plain.getMessage().contains("bad interrupt flag " + flag + " in CANCEL"), plain.getMessage());
            assertNull(r.next(), "nothing after a broken frame");
        }
    }

    @Test
    void aRejectIsDecoded() throws IOException {
        PlainFrameReader r = reader(WireBytes.of(new Message.Reject("no: \u00e9t\u00e9 \u2603")));
        assertEquals(new Message.Reject("no: \u00e9t\u00e9 \u2603"), r.next());
        assertNull(r.next());
        assertFalse(r.stopped());
    }

    @Test
    void aBadLengthBeforeAuthenticationIsRefusedAsMessageDecoderRefusesIt() throws IOException {
        for (int length : new int[] {MessageDecoder.HANDSHAKE_MAX_FRAME + 1, 0, -1, Integer.MAX_VALUE}) {
            byte[] frame = exact(Unpooled.buffer().writeInt(length).writeByte(MessageType.CHALLENGE.code()));
            ProtocolException plain = assertThrows(ProtocolException.class, () -> reader(frame).next());
            assertEquals(decoderError(frame, false), plain.getMessage());
            assertTrue(plain.getMessage().endsWith("(before authentication)"), plain.getMessage());
        }
    }

    @Test
    void theOtherChecksHaveMessageDecodersTexts() throws IOException {
        List<byte[]> bad = List.of(
                WireBytes.of(new Message.Task(1, 2, new byte[3])), // a payload before authentication
                exact(Unpooled.buffer().writeInt(1).writeByte(99)), // an unknown type
                exact(Unpooled.buffer().writeInt(2).writeByte(MessageType.HEARTBEAT.code()).writeByte(0)),
                exact(Unpooled.buffer().writeInt(3).writeByte(MessageType.RELEASE.code()).writeShort(7)),
                exact(Unpooled.buffer().writeInt(12).writeByte(MessageType.CANCEL.code()).writeLong(5).writeShort(1)
                        .writeByte(0)),
                exact(Unpooled.buffer().writeInt(9).writeByte(MessageType.TASK.code()).writeLong(5)));
        for (int i = 0; i < bad.size(); i++) {
            byte[] frame = bad.get(i);
            boolean authenticated = i >= 2;
            PlainFrameReader r = reader(frame);
            if (authenticated) {
                r.authenticated(1 << 20);
            }
            ProtocolException plain = assertThrows(ProtocolException.class, r::next, "case " + i);
            assertEquals(decoderError(frame, authenticated), plain.getMessage(), "case " + i);
            assertNull(r.next(), "nothing after a broken frame");
        }
    }

    @Test
    void itStopsAtAFrameItLeavesToMessageDecoderWithExactlyTheBytesFromThatFrameOn() throws IOException {
        Message.Task small = new Message.Task(1, 2, WireBytes.bytes(100, 3));
        Message.Task big = new Message.Task(2, 2, WireBytes.bytes(MessageDecoder.STREAM_FROM, 4));
        byte[] head = WireBytes.of(WELCOME, small);
        byte[] rest = WireBytes.of(big, Message.Heartbeat.INSTANCE, new Message.Release(3));
        byte[] wire = concat(head, rest);
        PlainFrameReader r = new PlainFrameReader(64);
        r.read(new ByteArrayInputStream(wire), wire.length); // all of it, and a partial frame is no different
        assertEquals(WELCOME, r.next());
        r.authenticated(1 << 20);
        Message.Task t = assertInstanceOf(Message.Task.class, r.next());
        assertEquals(1, t.taskId());
        assertArrayEquals(small.payload(), t.payload());
        assertNull(r.next());
        assertTrue(r.stopped());
        assertNull(r.next(), "stopped: it decodes no more");
        assertEquals(ByteBuffer.wrap(rest), r.unread());
        // a task with attached arrays, its frame small: left to MessageDecoder too, which splits its arrays
        byte[] arrays = exact(Unpooled.buffer().writeByte(org.jparallel.core.serial.PayloadFormat.WITH_ARRAYS)
                .writeInt(1).writeInt(3).writeBytes(new byte[] {7, 8, 9}).writeBytes(new byte[] {1, 2}));
        byte[] withArrays = WireBytes.of(new Message.Task(5, 1, arrays));
        PlainFrameReader a = reader(withArrays);
        a.authenticated(1 << 20);
        assertNull(a.next());
        assertTrue(a.stopped());
        assertEquals(ByteBuffer.wrap(withArrays), a.unread());
    }

    @Test
    void aFrameOfATypeAManagerDoesNotSendAWorkerIsLeftToMessageDecoder() throws IOException {
        byte[] hello = WireBytes.of(new Message.Hello(MessageEncoder.VERSION, 1, 2, "h", "17", new byte[32]));
        PlainFrameReader r = reader(hello);
        assertNull(r.next());
        assertTrue(r.stopped());
        assertEquals(ByteBuffer.wrap(hello), r.unread());
    }

    @Test
    void plainFramesAreTheLayoutWrittenOutFieldByFieldAsMessageEncoderAndFrameBatchWriteIt() {
        Message.Hello hello = new Message.Hello(MessageEncoder.VERSION, 3, 1234, "h\u00f6st".repeat(200), "17.0.15",
                WireBytes.bytes(32, 5), 60_000, 4);
        Message.Proof proof = new Message.Proof(WireBytes.bytes(32, 6));
        // the layout written out with a ByteBuf, as MessageEncoder wrote HELLO before PlainFrames (the host cut at 512 bytes)
        byte[] host = Arrays.copyOf(hello.host().getBytes(java.nio.charset.StandardCharsets.UTF_8), 512);
        byte[] version = hello.javaVersion().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int body = 4 + 2 + 4 + 8 + 2 + host.length + 2 + version.length + 32 + 8 + 4;
        byte[] helloFrame = exact(Unpooled.buffer().writeInt(body + 1).writeByte(MessageType.HELLO.code())
                .writeInt(MessageEncoder.MAGIC).writeShort(hello.version()).writeInt(3).writeLong(1234)
                .writeShort(host.length).writeBytes(host).writeShort(version.length).writeBytes(version)
                .writeBytes(hello.nonce()).writeLong(60_000).writeInt(4));
        assertArrayEquals(helloFrame, array(PlainFrames.of(List.of(hello))));
        assertArrayEquals(helloFrame, WireBytes.of(hello), "MessageEncoder's HELLO");
        // the others on a plain ByteBuffer, big-endian, field by field as docs/protocol.md has them (length of type
        // and body, type, ids, payload), not with the code under test (MessageEncoder and FrameBatch use PlainFrames)
        byte[] proofFrame = array(ByteBuffer.allocate(5 + 32).putInt(1 + 32).put((byte) MessageType.PROOF.code())
                .put(proof.mac()).flip());
        assertArrayEquals(proofFrame, array(PlainFrames.of(List.of(proof))));
        assertArrayEquals(proofFrame, WireBytes.of(proof), "MessageEncoder's PROOF");
        Message.Result object = new Message.Result(1, 10, WireBytes.bytes(40, 1));
        Message.Result raw = new Message.Result(2, 20, WireBytes.bytes(300, 2), true);
        Message.Failure failure = new Message.Failure(3, WireBytes.bytes(MessageEncoder.INLINE_PAYLOAD_MAX, 3));
        List<Message> batch = List.of(object, raw, Message.Heartbeat.INSTANCE, failure,
                new Message.Result(4, 0, new byte[0]));
        ByteBuffer layout = ByteBuffer.allocate(4096);
        layout.putInt(1 + 8 + 4 + 40).put((byte) MessageType.RESULT.code()).putLong(1).putInt(10).put(object.payload());
        // a byte[] value held raw: on the wire its format byte (7, docs/protocol.md "Payload format"), then the array
        layout.putInt(1 + 8 + 4 + 1 + 300).put((byte) MessageType.RESULT.code()).putLong(2).putInt(20).put((byte) 7)
                .put(raw.payload());
        int twoResults = layout.position();
        layout.putInt(1).put((byte) MessageType.HEARTBEAT.code());
        layout.putInt(1 + 8 + failure.payload().length).put((byte) MessageType.FAILURE.code()).putLong(3)
                .put(failure.payload());
        layout.putInt(1 + 8 + 4).put((byte) MessageType.RESULT.code()).putLong(4).putInt(0);
        byte[] expected = array(layout.flip());
        assertArrayEquals(expected, array(PlainFrames.of(batch)));
        assertArrayEquals(expected, WireBytes.of(batch.toArray(Message[]::new)), "MessageEncoder's frames");
        List<Object> framed = new ArrayList<>();
        FrameBatch.write(UnpooledByteBufAllocator.DEFAULT, batch.subList(0, 2), framed::add);
        ByteBuf b = (ByteBuf) framed.get(0);
        byte[] fromBatch = new byte[b.readableBytes()];
        b.readBytes(fromBatch);
        b.release();
        assertArrayEquals(Arrays.copyOf(expected, twoResults), fromBatch, "FrameBatch's frames");
        // a longer payload is its own piece, the array itself (wrapped, as MessageEncoder wraps it), between the heads
        byte[] longer = WireBytes.bytes(MessageEncoder.INLINE_PAYLOAD_MAX + 1, 8);
        Message.Result big = new Message.Result(5, 50, longer);
        List<Message> mixed = List.of(object, big, Message.Heartbeat.INSTANCE, big, raw);
        ByteBuffer[] pieces = PlainFrames.of(mixed);
        assertEquals(5, pieces.length, "heads and small frames, the payload, heartbeat and head, the payload, the rest");
        assertSame(longer, pieces[1].array());
        assertSame(longer, pieces[3].array());
        assertArrayEquals(WireBytes.of(mixed.toArray(Message[]::new)), array(pieces), "MessageEncoder's frames");
        assertArrayEquals(WireBytes.of(big), array(PlainFrames.of(List.of(big))));
        assertEquals(2, PlainFrames.of(List.of(big)).length, "a head and its payload: nothing after");
        // a long raw byte[] value (its format byte in the head's piece) and a long failure, first in their batch
        Message.Result longRaw = new Message.Result(6, 60, WireBytes.bytes(5000, 9), true);
        Message.Failure longFailure = new Message.Failure(7, WireBytes.bytes(4000, 10));
        List<Message> longFirst = List.of(longRaw, longFailure, object, Message.Heartbeat.INSTANCE);
        ByteBuffer[] longPieces = PlainFrames.of(longFirst);
        assertEquals(5, longPieces.length);
        assertSame(longRaw.payload(), longPieces[1].array());
        assertSame(longFailure.payload(), longPieces[3].array());
        assertArrayEquals(WireBytes.of(longFirst.toArray(Message[]::new)), array(longPieces), "MessageEncoder's frames");
        assertNull(PlainFrames.of(List.of(hello, proof)), "a HELLO goes alone");
        assertSame(null, PlainFrames.of(List.of(Message.Shutdown.INSTANCE)));
    }

    private static PlainFrameReader reader(byte[] bytes) throws IOException {
        PlainFrameReader r = new PlainFrameReader(64);
        r.read(new ByteArrayInputStream(bytes), bytes.length);
        return r;
    }

    /** @return what MessageDecoder says of {@code frame} */
    private static String decoderError(byte[] frame, boolean authenticated) {
        MessageDecoder d = new MessageDecoder();
        if (authenticated) {
            d.authenticated(1 << 20);
        }
        ByteBuf in = Unpooled.wrappedBuffer(frame);
        return assertThrows(ProtocolException.class, () -> d.decodeFrames(in, new ArrayList<>())).getMessage();
    }

    /** @return {@code b}'s readable bytes, released */
    private static byte[] exact(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    private static byte[] array(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** @return the bytes of {@code pieces}, in order */
    private static byte[] array(ByteBuffer[] pieces) {
        byte[] out = new byte[0];
        for (ByteBuffer b : pieces) {
            out = concat(out, array(b));
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
