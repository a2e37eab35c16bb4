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
import org.jparallel.core.serial.SerialFilter;
import org.junit.jupiter.api.Test;

/**
 * The result iterators keep {@link Iterator}'s contract in every state: after a cancel, beside another
 * reader, after the close, with no worker left. Records are completed by hand on the test thread.
 */
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
}
