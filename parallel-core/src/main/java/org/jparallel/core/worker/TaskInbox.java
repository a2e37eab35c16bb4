package org.jparallel.core.worker;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.jparallel.core.protocol.Message;

/**
 * Hands messages from the network thread to the task thread. The network thread queues each
 * message of a read as it is decoded and wakes the task thread once, when the read is done; the
 * task thread takes messages until none is left and only then sleeps. An executor's blocking queue
 * would wake the task thread for every task, and the context switches cost more than small tasks
 * themselves.
 */
final class TaskInbox {
    private final ConcurrentLinkedQueue<Message> queue = new ConcurrentLinkedQueue<>();
    /** The task thread while it sleeps, else {@code null}. */
    private volatile Thread sleeper;

    /** Queues a message; the task thread sees it at once if it is awake, else after {@link #wake}. */
    void add(Message m) {
        queue.add(m);
    }

    /** Wakes the task thread if it sleeps; called once per read by the network thread. */
    void wake() {
        Thread t = sleeper;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** @return the next message, or {@code null} when none is queued; task thread only */
    Message poll() {
        return queue.poll();
    }

    /**
     * Sleeps until {@link #wake} or an interrupt, unless a message is queued already; may return
     * early, so callers poll again. Task thread only.
     */
    void await() {
        sleeper = Thread.currentThread();
        if (queue.isEmpty()) {
            LockSupport.park(this);
        }
        sleeper = null;
    }

    /** @return true unless the task thread sleeps with nothing queued */
    boolean busy() {
        return sleeper == null || !queue.isEmpty();
    }

    /** Drops every queued message. */
    void clear() {
        queue.clear();
    }
}
