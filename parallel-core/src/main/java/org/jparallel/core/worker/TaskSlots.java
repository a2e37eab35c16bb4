package org.jparallel.core.worker;

import io.netty.util.internal.logging.InternalLogger;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.worker.startup.WorkerLogs;

/**
 * The task slots of a worker that runs several tasks at once: a fixed pool of slot threads taking the
 * tasks in the order they arrived. When the last task handed to it is answered, the replies held back
 * for a batch go out at once (the task thread does this for a worker with one slot before it sleeps).
 */
final class TaskSlots {
    private static final InternalLogger LOG = WorkerLogs.logger(TaskSlots.class);
    private final ExecutorService pool;
    private final ReplyBatch replies;
    /** Tasks handed to the slots and not answered yet. */
    private final AtomicInteger outstanding = new AtomicInteger();
    /** Whether a send refused by the stopped loop was logged (once: a dying worker refuses every one). */
    private final AtomicBoolean refusalLogged = new AtomicBoolean();

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
                        sendAll();
                    }
                }
            }
        });
    }

    /**
     * Sends the held replies; a worker whose loop stopped (it is going: the connection closed) refuses them, which
     * is logged once at debug: thrown, it would end the slot thread with a stack trace at every send, and the pool's
     * new thread would have another slot number.
     */
    private void sendAll() {
        try {
            replies.sendAll();
        } catch (RejectedExecutionException stopped) {
            if (refusalLogged.compareAndSet(false, true)) {
                LOG.debug("replies not sent: the worker's loop is stopped ({})", stopped.getMessage());
            }
        }
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
