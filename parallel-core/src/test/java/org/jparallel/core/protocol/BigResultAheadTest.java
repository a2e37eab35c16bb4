package org.jparallel.core.protocol;

import static org.jparallel.core.protocol.WireBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
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

/**
 * The manager's decoder making a big result's array when its frame starts, within a {@link ByteBudget}
 * ({@link ArrivingBytes#RESULTS_AHEAD}, {@link MessageDecoder#bigResultsAhead}), and by the half rule beyond it.
 */
@ExtendWith(NoLeaks.class)
class BigResultAheadTest {
    private static final int MB = 1 << 20;
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeChannels() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    /** @return the frame of a RESULT whose value is {@code value}, in pieces of 64 KB, each a buffer of its own */
    private List<ByteBuf> pieces(byte[] value) {
        EmbeddedChannel enc = new EmbeddedChannel(new MessageEncoder());
        channels.add(enc);
        assertTrue(enc.writeOutbound(new Message.Result(7L, 1, value, true)));
        ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = enc.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        List<ByteBuf> pieces = new ArrayList<>();
        while (all.isReadable()) {
            int n = Math.min(64 * 1024, all.readableBytes());
            pieces.add(Unpooled.directBuffer(n).writeBytes(all, n));
        }
        all.release();
        return pieces;
    }

    private EmbeddedChannel managerDecoder(ByteBudget budget) {
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(1 << 30);
        decoder.bigResultsAhead(budget);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        decoder.holdResultsOffHeap(); // in its pipeline
        channels.add(ch);
        return ch;
    }

    private static void assertResult(byte[] value, Object got) {
        Message.Result r = assertInstanceOf(Message.Result.class, got);
        assertEquals(7L, r.taskId());
        assertTrue(r.rawBytes(), "a byte[] value arrives without its format byte");
        assertArrayEquals(value, r.payload());
    }

    @Test
    void aBigResultWithinTheBudgetHoldsNoReadBufferAndGivesTheBudgetBackWhenComplete() {
        ByteBudget budget = new ByteBudget(4 * MB);
        EmbeddedChannel dec = managerDecoder(budget);
        byte[] value = bytes(MB, 3);
        List<ByteBuf> pieces = pieces(value);
        for (int i = 0; i < pieces.size() - 1; i++) {
            dec.writeInbound(pieces.get(i));
            assertEquals(0, pieces.get(i).refCnt(), "piece " + i + " held: its bytes did not go straight into the array");
            assertTrue(budget.taken() >= value.length, "the array was made without taking the budget");
        }
        assertNull(dec.readInbound(), "the frame is not complete");
        dec.writeInbound(pieces.get(pieces.size() - 1));
        assertResult(value, dec.readInbound());
        assertEquals(0, budget.taken(), "the budget was not given back when the result was complete");
    }

    @Test
    void aResultBeyondTheBudgetIsHeldByTheHalfRuleAsBefore() {
        ByteBudget budget = new ByteBudget(MB / 2);
        EmbeddedChannel dec = managerDecoder(budget);
        byte[] value = bytes(MB, 4);
        List<ByteBuf> pieces = pieces(value);
        dec.writeInbound(pieces.get(0));
        assertTrue(pieces.get(0).refCnt() > 0, "the first piece of a result the budget cannot cover is held");
        assertEquals(0, budget.taken());
        pieces.subList(1, pieces.size()).forEach(dec::writeInbound);
        assertResult(value, dec.readInbound());
        pieces.forEach(p -> assertEquals(0, p.refCnt(), "a piece still held after the result was complete"));
    }

    @Test
    void twoResultsAnnouncedAtOnceTakeTheBudgetInTurnAndAnAbandonedOneGivesItBack() {
        ByteBudget budget = new ByteBudget(MB + MB / 2);
        EmbeddedChannel first = managerDecoder(budget);
        EmbeddedChannel second = managerDecoder(budget);
        List<ByteBuf> a = pieces(bytes(MB, 5));
        List<ByteBuf> b = pieces(bytes(MB, 6));
        first.writeInbound(a.get(0));
        assertTrue(budget.taken() > MB - 64, "the first result took the budget");
        second.writeInbound(b.get(0));
        assertTrue(b.get(0).refCnt() > 0, "the second result, beyond what is left of the budget, is held by the half rule");
        first.finishAndReleaseAll(); // the first worker's connection closes in the middle of its result
        assertEquals(0, budget.taken(), "an abandoned result did not give its budget back");
        a.subList(1, a.size()).forEach(ByteBuf::release);
        b.subList(1, b.size()).forEach(second::writeInbound);
        assertResult(bytes(MB, 6), second.readInbound());
    }

    @Test
    void smallResultsAndOtherFramesNeverTakeTheBudget() {
        ByteBudget budget = new ByteBudget(64 * MB);
        EmbeddedChannel dec = managerDecoder(budget);
        byte[] value = bytes(HeldPayload.HOLD_BELOW - 100, 7); // held outside the heap: not this path
        List<ByteBuf> pieces = pieces(value);
        dec.writeInbound(pieces.get(0));
        assertEquals(0, budget.taken());
        pieces.subList(1, pieces.size()).forEach(dec::writeInbound);
        Message.HeldResult held = assertInstanceOf(Message.HeldResult.class, dec.readInbound());
        held.payload().take();
    }

    @Test
    void aResultAnnouncing512MiBBeyondTheManagersBudgetHoldsAboutWhatArrived() {
        MessageDecoder decoder = new MessageDecoder();
        decoder.authenticated(Integer.MAX_VALUE);
        decoder.bigResultsAhead(); // the manager's own budget: an eighth of the heap, at most 256 MB
        EmbeddedChannel dec = new EmbeddedChannel(decoder);
        decoder.holdResultsOffHeap(); // in its pipeline
        channels.add(dec);
        ByteBuf first = Unpooled.buffer().writeInt(512 << 20).writeByte(MessageType.RESULT.code()).writeLong(1).writeInt(0)
                .writeByte(Message.Result.BYTES_FORMAT).writeBytes(bytes(40 * 1024, 1));
        int sent = first.readableBytes();
        long takenBefore = ArrivingBytes.RESULTS_AHEAD.taken(); // the JVM's budget: other tests' managers may use it
        com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = bean.getCurrentThreadAllocatedBytes();
        dec.writeInbound(first);
        long allocated = bean.getCurrentThreadAllocatedBytes() - before;
        assertNull(dec.readInbound(), "the frame is not complete");
        assertTrue(allocated < 4L * sent + (256 << 10), "allocated " + allocated + " bytes for " + sent
                + " bytes received, of a frame announcing 512 MiB");
        assertEquals(takenBefore, ArrivingBytes.RESULTS_AHEAD.taken(), "a frame beyond the budget took some of it");
    }

    @Test
    void aResultWhoseArrayCannotBeMadeGivesItsBudgetBack() {
        ByteBudget budget = new ByteBudget(Long.MAX_VALUE);
        // no JVM makes a byte[] this long ("Requested array size exceeds VM limit"), as a full heap would refuse one
        assertThrows(OutOfMemoryError.class, () -> new ArrivingBytes(Integer.MAX_VALUE, 0, false, false, budget));
        assertEquals(0, budget.taken(), "the budget of a payload that never existed stays taken for the JVM's life");
    }
}
