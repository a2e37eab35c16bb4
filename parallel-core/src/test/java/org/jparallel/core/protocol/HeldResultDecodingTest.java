package org.jparallel.core.protocol;

import static org.jparallel.core.protocol.WireBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** The manager's decoder holding big results outside the heap ({@link MessageDecoder#holdResultsOffHeap}, {@link HeldPayload}). */
@ExtendWith(NoLeaks.class)
class HeldResultDecodingTest {
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeChannels() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private EmbeddedChannel managerDecoder() {
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(1 << 30);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        decoder.holdResultsOffHeap(); // in its pipeline
        channels.add(ch);
        return ch;
    }

    /** Feeds {@code wire} in pieces of {@code piece} bytes, each in a buffer of its own, as socket reads are. */
    private static void feed(EmbeddedChannel ch, byte[] wire, int piece) {
        for (int at = 0; at < wire.length; at += piece) {
            int n = Math.min(piece, wire.length - at);
            ch.writeInbound(Unpooled.directBuffer(n).writeBytes(wire, at, n));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MAX_VALUE, 64 * 1024, 1000})
    void aBigRawBytesResultIsHeldOffHeapAndTakenAsTheSameBytes(int piece) {
        byte[] value = bytes(300 * 1024, 3);
        EmbeddedChannel ch = managerDecoder();
        feed(ch, WireBytes.of(new Message.Result(7L, 12, value, true)), piece);
        Message.HeldResult r = assertInstanceOf(Message.HeldResult.class, ch.readInbound());
        assertEquals(7L, r.taskId());
        assertEquals(12, r.workMicros());
        assertTrue(r.rawBytes());
        assertEquals(value.length, r.payload().length());
        assertArrayEquals(value, r.payload().take());
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MAX_VALUE, 4096})
    void aBigSerializedResultIsHeldWithItsFormatByte(int piece) {
        byte[] payload = bytes(100 * 1024, 4);
        payload[0] = 16; // any format but BYTES
        EmbeddedChannel ch = managerDecoder();
        feed(ch, WireBytes.of(new Message.Result(8L, 0, payload, false)), piece);
        Message.HeldResult r = assertInstanceOf(Message.HeldResult.class, ch.readInbound());
        assertFalse(r.rawBytes());
        assertArrayEquals(payload, r.payload().take());
    }

    @Test
    void aSmallResultStaysAnArray() {
        byte[] value = bytes(MessageDecoder.STREAM_FROM - 100, 5);
        EmbeddedChannel ch = managerDecoder();
        feed(ch, WireBytes.of(new Message.Result(9L, 0, value, true)), Integer.MAX_VALUE);
        Message.Result r = assertInstanceOf(Message.Result.class, ch.readInbound());
        assertArrayEquals(value, r.payload());
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MAX_VALUE, 64 * 1024})
    void aResultOfHalfAMegabyteOrMoreStaysAnArrayThatG1DoesNotCopy(int piece) {
        byte[] value = bytes(HeldPayload.HOLD_BELOW, 8);
        EmbeddedChannel ch = managerDecoder();
        feed(ch, WireBytes.of(new Message.Result(12L, 0, value, true)), piece);
        assertArrayEquals(value, assertInstanceOf(Message.Result.class, ch.readInbound()).payload());
    }

    @Test
    void aDecoderNotAskedToHoldResultsMakesArraysAsBefore() {
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(1 << 30);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        channels.add(ch);
        byte[] value = bytes(200 * 1024, 6);
        feed(ch, WireBytes.of(new Message.Result(10L, 0, value, true)), 64 * 1024);
        assertArrayEquals(value, assertInstanceOf(Message.Result.class, ch.readInbound()).payload());
    }

    @Test
    void aHeldResultTakesLittleHeapUntilItIsTaken() {
        byte[] value = bytes(HeldPayload.HOLD_BELOW - 1, 7);
        byte[] wire = WireBytes.of(new Message.Result(11L, 0, value, true));
        EmbeddedChannel ch = managerDecoder();
        feed(ch, wire, 64 * 1024); // unmeasured: loads the classes on the way
        assertInstanceOf(Message.HeldResult.class, ch.readInbound()).payload().take();
        com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = bean.getCurrentThreadAllocatedBytes();
        feed(ch, wire, 64 * 1024);
        Message.HeldResult r = assertInstanceOf(Message.HeldResult.class, ch.readInbound());
        long allocated = bean.getCurrentThreadAllocatedBytes() - before;
        // an array would be the whole 1 MB; what remains are the first half's chunks of small pieces (none
        // here) and the objects around the pieces
        assertTrue(allocated < value.length / 2, "allocated " + allocated + " bytes of heap to hold " + value.length);
        assertArrayEquals(value, r.payload().take());
    }

    @Test
    void aPayloadIsTakenOnceAndFreesItsShareOfTheBudget() {
        ByteBudget held = new ByteBudget(10_000);
        HeldPayload p = HeldPayload.allocate(1000, held);
        assertNotNull(p);
        assertEquals(1000, held.taken());
        p.buffer().put(0, (byte) 42);
        assertEquals(42, p.take()[0]);
        assertEquals(0, held.taken());
        IllegalStateException e = assertThrows(IllegalStateException.class, p::take);
        assertTrue(e.getMessage().contains("taken twice"), e.getMessage());
    }

    @Test
    void beyondTheBudgetNoPayloadIsHeld() {
        ByteBudget held = new ByteBudget(10_000);
        HeldPayload first = HeldPayload.allocate(6000, held);
        assertNotNull(first);
        assertNull(HeldPayload.allocate(6000, held));
        assertEquals(6000, held.taken(), "a declined payload counts for nothing");
        first.take();
        assertNotNull(HeldPayload.allocate(6000, held));
    }

    @Test
    void theEncoderRefusesAHeldResult() {
        HeldPayload p = HeldPayload.allocate(10, new ByteBudget(100));
        EmbeddedChannel enc = new EmbeddedChannel(new MessageEncoder());
        channels.add(enc);
        Exception e = assertThrows(Exception.class, () -> enc.writeOutbound(new Message.HeldResult(1L, 0, p, true)));
        assertTrue(String.valueOf(e.getMessage()).contains("never sent"), String.valueOf(e.getMessage()));
    }
}
