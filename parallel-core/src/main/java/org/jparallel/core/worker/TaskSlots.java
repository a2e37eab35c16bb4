package org.jparallel.core.worker;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jparallel.core.protocol.Message;

/**
 * The task slots of a worker that runs several tasks at once: a fixed pool of slot threads taking the
 * tasks in the order they arrived. When the last task handed to it is answered, the replies held back
 * for a batch go out at once (the task thread does this for a worker with one slot before it sleeps).
 */
final class TaskSlots {
    private final ExecutorService pool;
    private final ReplyBatch replies;
    /** Tasks handed to the slots and not answered yet. */
    private final AtomicInteger outstanding = new AtomicInteger();

    /** A thread of a slot, which knows its slot's number (per-slot setups are kept by it). */
    private static final class SlotThread extends Thread {
        final int slot;

        SlotThread(Runnable r, int slot) {
            super(r, "jparallel-task-slot-" + slot);
            this.slot = slot;
            setDaemon(true);
        }
    }

    TaskSlots(int count, ReplyBatch replies) {
        this.replies = replies;
        AtomicInteger next = new AtomicInteger();
        // classes, not lambdas, here and below: a fresh worker's path to its first result (see BlockingSession.serve)
        this.pool = new ThreadPoolExecutor(count, count, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                new ThreadFactory() {
                    @Override
                    public Thread newThread(Runnable r) {
                        return new SlotThread(r, next.getAndIncrement());
                    }
                });
    }

    /** @return the slot {@code t} runs tasks for: its number on a slot thread, 0 on any other (a worker with one slot) */
    static int slotOf(Thread t) {
        return t instanceof SlotThread s ? s.slot : 0;
    }

    /** Hands a task to the next free slot; {@code run} runs it and adds its reply to the batch. */
    void run(Message.Task task, Consumer<Message.Task> run) {
        outstanding.incrementAndGet();
        pool.execute(new Runnable() {
            @Override
            public void run() {
                try {
                    run.accept(task);
                } finally {
                    if (outstanding.decrementAndGet() == 0) {
                        replies.sendAll();
                    }
                }
            }
        });
    }

    /** @return true while a slot runs a task or tasks wait for one */
    boolean busy() {
        return outstanding.get() > 0;
    }

    /** Interrupts the running tasks and drops the waiting ones. */
    void shutdown() {
        pool.shutdownNow();
    }
}
