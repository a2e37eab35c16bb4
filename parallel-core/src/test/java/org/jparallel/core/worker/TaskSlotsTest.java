package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.serial.PayloadFormat;
import org.junit.jupiter.api.Test;

/** The slots of a worker whose loop stopped: its refused sends end no slot thread. */
class TaskSlotsTest {
    @Test
    void aSendTheStoppedLoopRefusesEndsNoSlotThread() throws Exception {
        CompletableFuture<Thread> refusedOn = new CompletableFuture<>();
        ReplyBatch replies = new ReplyBatch(batch -> {
            refusedOn.complete(Thread.currentThread());
            throw new RejectedExecutionException("event executor terminated");
        }, Long.MAX_VALUE, Long.MAX_VALUE); // every reply held until the slots are idle
        TaskSlots slots = new TaskSlots(1, replies);
        try {
            Message.Task task = new Message.Task(1, 0, new byte[0], PayloadFormat.NO_ARRAYS);
            slots.run(task, t -> replies.add(new Message.Release(0), 0, System.nanoTime()));
            Thread first = refusedOn.get(10, TimeUnit.SECONDS); // the first task's slot, idle, sent: refused
            CompletableFuture<Thread> second = new CompletableFuture<>();
            slots.run(task, t -> second.complete(Thread.currentThread()));
            assertEquals(first, second.get(10, TimeUnit.SECONDS), "the same slot thread ran both tasks");
            assertEquals(0, TaskSlots.slotOf(second.get()), "slot 0, not a replacement thread's slot 1");
        } finally {
            slots.shutdown();
        }
    }
}
