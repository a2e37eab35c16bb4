package org.jparallel.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.jparallel.core.leaks.NoLeaks;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.serial.Payloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class TaskPayloadTest {
    @Test
    void aSmallPayloadStaysOnTheHeapAndGoesOutAsItIs() {
        byte[] small = new byte[TaskPayload.DIRECT_FROM - 1];
        Object p = TaskPayload.keep(small);
        assertFalse(TaskPayload.isDirect(p));
        Message.Task t = assertInstanceOf(Message.Task.class, TaskPayload.message(p, 5, 2));
        assertSame(small, t.payload());
    }

    @Test
    void aBigPayloadMovesOutsideTheHeapWithTheSameBytes() {
        byte[] big = new byte[TaskPayload.DIRECT_FROM];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 7);
        }
        Object p = TaskPayload.keep(big);
        assertTrue(TaskPayload.isDirect(p));
        Message.BufferedTask t = assertInstanceOf(Message.BufferedTask.class, TaskPayload.message(p, 5, 2));
        ByteBuffer b = t.payload().duplicate();
        assertTrue(b.isDirect());
        byte[] back = new byte[b.remaining()];
        b.get(back);
        assertArrayEquals(big, back);
        big[0] = 99;
        assertTrue(t.payload().get(0) != 99, "a copy: the caller's array may change after queueing");
    }

    @Test
    void aFreedPayloadIsNeverSentAgain() {
        Object p = TaskPayload.free(TaskPayload.keep(new byte[TaskPayload.DIRECT_FROM]));
        assertSame(TaskPayload.FREED, p);
        assertSame(TaskPayload.FREED, TaskPayload.free(p), "twice is harmless");
        assertThrows(IllegalStateException.class, () -> TaskPayload.message(p, 1, 1));
    }

    @Test
    void aBigPayloadWrittenForSendingIsSentFromDirectMemoryAndFreedToo() {
        byte[] data = new byte[TaskPayload.DIRECT_FROM];
        data[7] = 7;
        org.jparallel.Task<Void, byte[]> task = s -> data;
        Object p = TaskPayload.keep(Payloads.serializeForSending(task, TaskPayload.DIRECT_FROM));
        assertTrue(TaskPayload.isDirect(p));
        Message.BufferedTask t = assertInstanceOf(Message.BufferedTask.class, TaskPayload.message(p, 5, 2));
        assertTrue(t.payload().isDirect());
        assertTrue(t.payload().remaining() > data.length, "the task with its array");
        assertSame(TaskPayload.FREED, TaskPayload.free(p), "freed on every JDK (Java 25 refuses to free a buffer it did not make)");
    }

    @Test
    void aFreedBigPayloadsMemoryServesTheNextBigPayload() {
        byte[] first = new byte[2 << 20];
        java.util.Arrays.fill(first, (byte) 7);
        Object kept = TaskPayload.keep(first);
        ByteBuffer a = ((io.netty.util.internal.CleanableDirectBuffer) kept).buffer();
        TaskPayload.free(kept);
        byte[] second = new byte[(2 << 20) - 100];
        second[0] = 1;
        Object p = TaskPayload.keep(second);
        ByteBuffer b = ((io.netty.util.internal.CleanableDirectBuffer) p).buffer();
        assertEquals(second.length, b.remaining(), "the payload is as long as its array, not as the memory it reuses");
        assertEquals(1, b.get(0));
        assertEquals(0, b.get(1));
        if (io.netty.util.internal.PlatformDependent.hasUnsafe()) { // where a buffer's address can be read
            assertEquals(io.netty.util.internal.PlatformDependent.directBufferAddress(a),
                    io.netty.util.internal.PlatformDependent.directBufferAddress(b),
                    "not the first payload's memory (DirectMemory's pool): a fresh buffer");
        }
        TaskPayload.free(p);
    }

    @Test
    void aBigPayloadWrittenForSendingKnowsItsLength() {
        byte[] data = new byte[TaskPayload.DIRECT_FROM];
        org.jparallel.Task<Void, byte[]> task = s -> data;
        org.jparallel.core.serial.SendablePayload sent = Payloads.serializeForSending(task, TaskPayload.DIRECT_FROM);
        // addTask checks this length against maxFrameBytes before it keeps the payload
        assertEquals(sent.bytes().remaining(), sent.length());
        assertTrue(sent.length() > data.length, "the task with its array");
    }
}
