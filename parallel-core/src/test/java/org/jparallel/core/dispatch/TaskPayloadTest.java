package org.jparallel.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.jparallel.core.protocol.Message;
import org.junit.jupiter.api.Test;

class TaskPayloadTest {
    @Test
    void aSmallPayloadStaysOnTheHeapAndGoesOutAsItIs() {
        byte[] small = new byte[TaskPayload.DIRECT_FROM - 1];
        TaskPayload p = TaskPayload.of(small);
        assertFalse(p.isDirect());
        Message.Task t = assertInstanceOf(Message.Task.class, p.message(5, 2));
        assertSame(small, t.payload());
    }

    @Test
    void aBigPayloadMovesOutsideTheHeapWithTheSameBytes() {
        byte[] big = new byte[TaskPayload.DIRECT_FROM];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 7);
        }
        TaskPayload p = TaskPayload.of(big);
        assertTrue(p.isDirect());
        Message.BufferedTask t = assertInstanceOf(Message.BufferedTask.class, p.message(5, 2));
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
        TaskPayload p = TaskPayload.of(new byte[TaskPayload.DIRECT_FROM]);
        p.free();
        p.free(); // twice is harmless
        assertThrows(IllegalStateException.class, () -> p.message(1, 1));
    }
}
