package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.jparallel.NoMoreWorkersException;
import org.jparallel.core.leaks.NoLeaks;
import org.jparallel.core.protocol.HeldPayload;
import org.jparallel.core.protocol.HeldPayloads;
import org.jparallel.core.serial.SerialFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The result iterators keep {@link Iterator}'s contract in every state: after a cancel, beside another
 * reader, after the close, with no worker left. Records are completed by hand on the test thread.
 */
@ExtendWith(NoLeaks.class)
class ResultInboxTest {
    private String noWorkers;
    private final ResultInbox<byte[]> inbox = new ResultInbox<>(() -> noWorkers,
            new ReaderWakeups(GlobalEventExecutor.INSTANCE));
    private final TaskRecord.Owner<byte[]> owner = new TaskRecord.Owner<>(inbox, getClass().getClassLoader(),
            SerialFilter.of(null), (task, interrupt) -> { });
    private long nextTaskId = 1;

    private TaskRecord<byte[]> add() {
        return new TaskRecord<>(nextTaskId++, inbox.nextSequence(), owner);
    }

    private static void succeed(TaskRecord<byte[]> r, int value) {
        r.succeededWithBytes(new byte[] {(byte) value});
    }

    private static void assertEnded(Iterator<byte[]> it) {
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    void aHeldResultOfATaskCancelledMeanwhileIsFreedAtOnceAndAReadOneOnce() {
        TaskRecord<byte[]> cancelled = add();
        assertTrue(cancelled.cancel(false));
        HeldPayload late = HeldPayloads.of(new byte[] {1, 2, 3});
        cancelled.succeededHeld(late, true);
        assertThrows(IllegalStateException.class, late::take, "nothing will read it: freed, not left to a GC");

        TaskRecord<byte[]> read = add();
        HeldPayload held = HeldPayloads.of(new byte[] {4, 5});
        read.succeededHeld(held, true);
        Iterator<byte[]> it = inbox.iterator(false);
        assertArrayEquals(new byte[] {4, 5}, it.next());
        assertThrows(IllegalStateException.class, held::take, "taken once, by the read");
        assertEnded(it);
    }

    @Test
    void aCancelledTaskIsNotOutstandingAndYieldsNothingInEitherOrder() {
        TaskRecord<byte[]> cancelled = add();
        assertTrue(cancelled.cancel(false));
        assertEquals(0, inbox.outstanding());
        assertEnded(inbox.iterator(false));
        assertEnded(inbox.iterator(true));
    }

    @Test
    void anOrderedReaderPassesOverACancelledTaskToTheNextOne() {
        TaskRecord<byte[]> first = add();
        TaskRecord<byte[]> second = add();
        succeed(second, 2);
        first.cancel(false);
        Iterator<byte[]> it = inbox.iterator(true);
        assertTrue(it.hasNext());
        assertArrayEquals(new byte[] {2}, it.next());
        assertEnded(it);
    }

    @Test
    void whatHasNextPromisedNextDeliversThoughAnotherReaderTookTheRestMeanwhile() {
        succeed(add(), 1);
        succeed(add(), 2);
        Iterator<byte[]> one = inbox.iterator(false);
        Iterator<byte[]> other = inbox.iterator(false);
        assertTrue(one.hasNext());
        assertArrayEquals(new byte[] {2}, other.next());
        assertEnded(other);
        assertArrayEquals(new byte[] {1}, one.next());
        assertEnded(one);
        assertEquals(0, inbox.outstanding());
    }

    @Test
    void afterTheCloseEveryReadGetsTheClosedErrorWhateverArrivesLater() {
        TaskRecord<byte[]> running = add();
        succeed(add(), 2); // arrived, not read
        Iterator<byte[]> before = inbox.iterator(false);
        inbox.close("context 1 is closed");
        running.abandoned("its context was closed"); // the dispatcher's answer comes after the close
        for (Iterator<byte[]> it : java.util.List.of(before, inbox.iterator(false), inbox.iterator(true))) {
            for (int i = 0; i < 3; i++) {
                assertTrue(it.hasNext());
                IllegalStateException e = assertThrows(IllegalStateException.class, it::next);
                assertEquals("context 1 is closed", e.getMessage());
            }
        }
        assertEquals(2, inbox.outstanding(), "the count as it was at the close");
    }

    @Test
    void aCloseWithNothingOutstandingEndsTheIterationQuietly() {
        succeed(add(), 1);
        Iterator<byte[]> it = inbox.iterator(false);
        it.next();
        inbox.close("context 1 is closed");
        assertEnded(it);
    }

    @Test
    void withNoWorkerLeftHasNextPromisesNoMoreWorkersException() {
        add();
        noWorkers = "2 of 2 worker(s) are gone";
        Iterator<byte[]> it = inbox.iterator(false);
        assertTrue(it.hasNext());
        NoMoreWorkersException e = assertThrows(NoMoreWorkersException.class, it::next);
        assertTrue(e.getMessage().contains("2 of 2"), e.getMessage());
        assertEquals(1, inbox.outstanding(), "the task is still outstanding");
    }

    /** @return a result payload as the manager's decoder holds it outside the heap */
    private static org.jparallel.core.protocol.HeldPayload held(byte[] value) {
        io.netty.channel.embedded.EmbeddedChannel enc =
                new io.netty.channel.embedded.EmbeddedChannel(new org.jparallel.core.protocol.MessageEncoder());
        enc.writeOutbound(new org.jparallel.core.protocol.Message.Result(1L, 0, value, true));
        org.jparallel.core.protocol.MessageDecoder decoder = new org.jparallel.core.protocol.MessageDecoder();
        decoder.authenticated(1 << 30);
        io.netty.channel.embedded.EmbeddedChannel dec = new io.netty.channel.embedded.EmbeddedChannel(decoder);
        decoder.holdResultsOffHeap(); // in its pipeline
        Object b;
        while ((b = enc.readOutbound()) != null) {
            dec.writeInbound(b);
        }
        org.jparallel.core.protocol.Message.HeldResult r = dec.readInbound();
        enc.finishAndReleaseAll();
        dec.finishAndReleaseAll();
        return r.payload();
    }

    @Test
    void aResultHeldOutsideTheHeapIsReadAsItsBytesOnceAndThenKeptAsTheValue() throws Exception {
        byte[] value = new byte[100 * 1024];
        java.util.Arrays.fill(value, (byte) 3);
        TaskRecord<byte[]> r = add();
        r.succeededHeld(held(value), true);
        Iterator<byte[]> it = inbox.iterator(false);
        byte[] read = it.next();
        assertArrayEquals(value, read);
        org.junit.jupiter.api.Assertions.assertSame(read, r.get(), "the record keeps the value it read, not the held payload");
        assertEnded(it);
    }
}
