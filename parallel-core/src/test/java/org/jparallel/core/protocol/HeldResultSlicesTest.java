package org.jparallel.core.protocol;

import static org.jparallel.core.protocol.WireBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.jparallel.core.leaks.NoLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The manager's decoder holding big results as retained slices of the read buffers they arrived in ({@link
 * HeldPayload#slices}), their buffers counted on {@link ReadPins}: no copy until the program takes them, each buffer
 * counted once and freed with its last result, and a copy instead where the pins refuse or the pieces are too many.
 */
@ExtendWith(NoLeaks.class)
class HeldResultSlicesTest {
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeChannels() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private EmbeddedChannel slicingDecoder(ReadPins pins) {
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(1 << 30);
        decoder.holdResultsOffHeap(pins);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        channels.add(ch);
        return ch;
    }

    /** @return a direct buffer holding {@code wire}, as a socket read would, with spare room after it */
    private static ByteBuf read(byte[] wire, int capacity) {
        return read(wire, 0, wire.length, capacity);
    }

    /** @return a direct buffer of {@code capacity} holding {@code wire}'s bytes {@code from} to {@code to}, as a read */
    private static ByteBuf read(byte[] wire, int from, int to, int capacity) {
        return Unpooled.directBuffer(capacity).writeBytes(wire, from, to - from);
    }

    @Test
    void aResultThatArrivedWholeIsHeldAsItsReadBufferNotACopyAndTakenByteForByte() {
        ReadPins pins = new ReadPins(1 << 30);
        byte[] value = bytes(100 * 1024, 21);
        byte[] wire = WireBytes.of(new Message.Result(21L, 5, value, true));
        ByteBuf buffer = read(wire, 256 * 1024);
        buffer.retain(); // the test's own hold, to look at the buffer after the decoder let go of it
        EmbeddedChannel ch = slicingDecoder(pins);
        ch.writeInbound(buffer);
        Message.HeldResult r = assertInstanceOf(Message.HeldResult.class, ch.readInbound());
        assertEquals(21L, r.taskId());
        assertEquals(5, r.workMicros());
        assertEquals(value.length, r.payload().length());
        assertEquals(256 * 1024, pins.pinned(), "the whole read buffer is counted, not only the result's bytes");
        assertEquals(2, buffer.refCnt(), "the test's hold and the result's slice");
        buffer.setByte(wire.length - 1, 99); // the result's last byte, in the read buffer: no copy was made
        byte[] expected = value.clone();
        expected[expected.length - 1] = 99;
        assertArrayEquals(expected, r.payload().take());
        assertEquals(1, buffer.refCnt(), "taking the result released its slice");
        assertEquals(0, pins.pinned());
        assertThrows(IllegalStateException.class, r.payload()::take, "delivered once");
        r.payload().free(); // freed once: a second release would throw on the buffer's count
        assertEquals(1, buffer.refCnt());
        buffer.release();
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MAX_VALUE, 40 * 1024})
    void theManagersDecoderCopiesNoResultItHolds(int piece) {
        byte[] value = bytes(100 * 1024, 22);
        byte[] wire = WireBytes.of(new Message.Result(22L, 0, value, true));
        List<ByteBuf> reads = new ArrayList<>();
        for (int at = 0; at < wire.length; at += piece) {
            int n = Math.min(piece, wire.length - at);
            reads.add(Unpooled.directBuffer(n).writeBytes(wire, at, n).retain()); // the test's own hold too
        }
        EmbeddedChannel ch = slicingDecoder(ReadPins.RESULTS); // the manager's own pins
        reads.forEach(ch::writeInbound);
        Message.HeldResult r = assertInstanceOf(Message.HeldResult.class, ch.readInbound());
        ByteBuf last = reads.get(reads.size() - 1);
        last.setByte(last.writerIndex() - 1, 99); // the result's last byte, in its read buffer
        byte[] expected = value.clone();
        expected[expected.length - 1] = 99;
        assertArrayEquals(expected, r.payload().take(), "held as the read buffers, not a copy");
        for (ByteBuf b : reads) {
            assertEquals(1, b.refCnt(), "taken: only the test's hold is left");
            b.release();
        }
    }

    @Test
    void resultsInTheSameReadBufferCountItOnceUntilTheLastIsTaken() {
        ReadPins pins = new ReadPins(1 << 30);
        byte[] a = bytes(40 * 1024, 1);
        byte[] b = bytes(50 * 1024, 2);
        byte[] wireA = WireBytes.of(new Message.Result(1L, 0, a, true));
        byte[] wireB = WireBytes.of(new Message.Result(2L, 0, b, false));
        ByteBuf buffer = Unpooled.directBuffer(200 * 1024).writeBytes(wireA).writeBytes(wireB);
        EmbeddedChannel ch = slicingDecoder(pins);
        ch.writeInbound(buffer);
        HeldPayload first = assertInstanceOf(Message.HeldResult.class, ch.readInbound()).payload();
        HeldPayload second = assertInstanceOf(Message.HeldResult.class, ch.readInbound()).payload();
        assertEquals(200 * 1024, pins.pinned());
        assertArrayEquals(b, second.take());
        assertEquals(200 * 1024, pins.pinned(), "the first result still keeps the buffer");
        assertEquals(1, buffer.refCnt());
        assertArrayEquals(a, first.take());
        assertEquals(0, pins.pinned());
        assertEquals(0, buffer.refCnt(), "the read buffer is freed with its last result");
    }

    @Test
    void beyondThePinLimitAResultIsCopiedOutAndItsReadBufferFreedAtOnce() {
        ReadPins pins = new ReadPins(100 * 1024); // less than the read buffer
        byte[] value = bytes(64 * 1024, 3);
        ByteBuf buffer = read(WireBytes.of(new Message.Result(3L, 0, value, true)), 128 * 1024);
        EmbeddedChannel ch = slicingDecoder(pins);
        ch.writeInbound(buffer);
        Message.HeldResult r = assertInstanceOf(Message.HeldResult.class, ch.readInbound());
        assertEquals(0, buffer.refCnt(), "copied: nothing keeps the read buffer");
        assertEquals(0, pins.pinned());
        assertArrayEquals(value, r.payload().take());
    }

    @Test
    void aHeldSliceFreedUnreadReleasesItsBufferOnceAndCannotBeTaken() {
        ReadPins pins = new ReadPins(1 << 30);
        byte[] value = bytes(33 * 1024, 4);
        ByteBuf buffer = read(WireBytes.of(new Message.Result(4L, 0, value, true)), 64 * 1024);
        EmbeddedChannel ch = slicingDecoder(pins);
        ch.writeInbound(buffer);
        HeldPayload p = assertInstanceOf(Message.HeldResult.class, ch.readInbound()).payload();
        assertEquals(1, buffer.refCnt());
        p.free();
        assertEquals(0, buffer.refCnt());
        assertEquals(0, pins.pinned());
        p.free();
        assertThrows(IllegalStateException.class, p::take);
    }

    @Test
    void aPinDoneWithItsBufferIsNotReusedForALaterResultInTheSameBufferObject() {
        ReadPins pins = new ReadPins(1 << 30);
        ByteBuf buffer = Unpooled.directBuffer(100 * 1024).writeBytes(new byte[80 * 1024]);
        ReadPins.Pin first = pins.pin(buffer, null);
        first.release();
        assertEquals(0, pins.pinned());
        ReadPins.Pin second = pins.pin(buffer, first);
        assertNotNull(second);
        assertTrue(second != first, "a new pin");
        assertEquals(100 * 1024, pins.pinned());
        assertSame(second, pins.pin(buffer, second), "one more slice of the same buffer: the same pin");
        second.release();
        assertEquals(100 * 1024, pins.pinned());
        second.release();
        assertEquals(0, pins.pinned());
        buffer.release();
    }

    @Test
    void aResultArrivingInPiecesIsHeldAsThemEachBufferCountedOnceAndFreedWithIt() {
        ReadPins pins = new ReadPins(1 << 30);
        byte[] value = bytes(100 * 1024, 23);
        byte[] wire = WireBytes.of(new Message.Result(23L, 0, value, true));
        EmbeddedChannel ch = slicingDecoder(pins);
        ByteBuf first = read(wire, 0, 60 * 1024, 64 * 1024);
        ByteBuf second = read(wire, 60 * 1024, wire.length, 128 * 1024);
        ch.writeInbound(first);
        assertNull(ch.readInbound());
        assertEquals(64 * 1024, pins.pinned());
        ch.writeInbound(second);
        HeldPayload p = assertInstanceOf(Message.HeldResult.class, ch.readInbound()).payload();
        assertEquals(192 * 1024, pins.pinned());
        assertEquals(1, first.refCnt());
        assertEquals(1, second.refCnt());
        assertArrayEquals(value, p.take());
        assertEquals(0, first.refCnt());
        assertEquals(0, second.refCnt());
        assertEquals(0, pins.pinned());
    }

    @Test
    void aSmallPieceInABigBufferIsCopiedNotKeptWithItsBuffer() {
        ReadPins pins = new ReadPins(1 << 30);
        byte[] value = bytes(100 * 1024, 24);
        byte[] wire = WireBytes.of(new Message.Result(24L, 0, value, true));
        int tail = 1000; // under ArrivingBytes.SLICE_FROM and a quarter of its 1 MB buffer
        EmbeddedChannel ch = slicingDecoder(pins);
        ch.writeInbound(read(wire, 0, wire.length - tail, 128 * 1024));
        ByteBuf big = read(wire, wire.length - tail, wire.length, 1 << 20);
        ch.writeInbound(big);
        HeldPayload p = assertInstanceOf(Message.HeldResult.class, ch.readInbound()).payload();
        assertEquals(0, big.refCnt(), "its piece was copied: the big buffer was freed at once");
        assertEquals(128 * 1024, pins.pinned());
        assertArrayEquals(value, p.take());
        assertEquals(0, pins.pinned());
    }

    @Test
    void piecesThePinsRefuseTurnTheResultIntoACopyAndGiveBackWhatWasPinned() {
        ReadPins pins = new ReadPins(100 * 1024); // the first buffer, not the second
        byte[] value = bytes(200 * 1024, 25);
        byte[] wire = WireBytes.of(new Message.Result(25L, 0, value, true));
        EmbeddedChannel ch = slicingDecoder(pins);
        ByteBuf first = read(wire, 0, 90 * 1024, 96 * 1024);
        ByteBuf second = read(wire, 90 * 1024, wire.length, 128 * 1024);
        ch.writeInbound(first);
        assertEquals(96 * 1024, pins.pinned());
        ch.writeInbound(second);
        HeldPayload p = assertInstanceOf(Message.HeldResult.class, ch.readInbound()).payload();
        assertEquals(0, pins.pinned(), "gathered into a copy: nothing pinned");
        assertEquals(0, first.refCnt());
        assertEquals(0, second.refCnt());
        assertArrayEquals(value, p.take());
    }

    @Test
    void aResultInTooManyPiecesIsGatheredIntoACopy() {
        ReadPins pins = new ReadPins(1 << 30);
        byte[] value = bytes(100 * 1024, 26);
        byte[] wire = WireBytes.of(new Message.Result(26L, 0, value, true));
        EmbeddedChannel ch = slicingDecoder(pins);
        List<ByteBuf> reads = new ArrayList<>();
        int piece = 1000; // whole buffers, kept as slices: ArrivingBytes.MAX_PIECES of them at most
        for (int at = 0; at < wire.length; at += piece) {
            ByteBuf b = read(wire, at, Math.min(wire.length, at + piece), piece);
            reads.add(b);
            ch.writeInbound(b);
        }
        HeldPayload p = assertInstanceOf(Message.HeldResult.class, ch.readInbound()).payload();
        assertEquals(0, pins.pinned());
        reads.forEach(b -> assertEquals(0, b.refCnt()));
        assertArrayEquals(value, p.take());
    }

    @Test
    void aConnectionClosedInTheMiddleOfAKeptResultReleasesItsPiecesAndPins() {
        ReadPins pins = new ReadPins(1 << 30);
        byte[] wire = WireBytes.of(new Message.Result(27L, 0, bytes(100 * 1024, 27), true));
        EmbeddedChannel ch = slicingDecoder(pins);
        ByteBuf first = read(wire, 0, 50 * 1024, 64 * 1024);
        ch.writeInbound(first);
        ch.writeInbound(read(wire, 50 * 1024, 50 * 1024 + 500, 64 * 1024));
        assertEquals(64 * 1024, pins.pinned());
        ch.finishAndReleaseAll();
        assertEquals(0, first.refCnt());
        assertEquals(0, pins.pinned());
    }
}
