package org.jparallel.core.manager;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jparallel.NoMoreWorkersException;

/**
 * The completed tasks of one context, waiting to be read, and the bookkeeping that delivers each
 * once: in completion order to unordered iterators, in submission order to ordered ones. Tasks
 * completed out of order wait in a {@link SequenceWindow} by sequence number, which makes the
 * ordered form O(1) per result.
 *
 * <p>A reader that would wait while no worker is left gets {@link NoMoreWorkersException} instead.
 *
 * @param <R> the result type
 */
final class ResultInbox<R> {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<TaskRecord<R>> arrived = new ArrayDeque<>();
    private final SequenceWindow<TaskRecord<R>> bySequence = new SequenceWindow<>();
    private final Supplier<String> noWorkersReason;
    private final ReaderWakeups wakeups;
    /** Touched only by {@link ReaderWakeups} on the event loop. */
    boolean wakeQueued;
    private int waiting;
    private long submitted;
    private long delivered;
    private String closedReason;

    /**
     * @param noWorkersReason says why no worker is left, or returns {@code null} while some are
     * @param wakeups wakes waiting readers when results arrive
     */
    ResultInbox(Supplier<String> noWorkersReason, ReaderWakeups wakeups) {
        this.noWorkersReason = noWorkersReason;
        this.wakeups = wakeups;
    }

    /** @return the sequence number of a new task */
    long nextSequence() {
        lock.lock();
        try {
            if (closedReason != null) {
                throw new IllegalStateException(closedReason);
            }
            return submitted++;
        } finally {
            lock.unlock();
        }
    }

    void arrived(TaskRecord<R> r) {
        boolean readerWaits;
        lock.lock();
        try {
            arrived.addLast(r);
            bySequence.put(r.sequence(), r);
            readerWaits = waiting > 0;
        } finally {
            lock.unlock();
        }
        if (readerWaits) {
            wakeups.wakeSoon(this);
        }
    }

    /** Wakes readers so they look again (a worker was lost, the manager closed). */
    void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void close(String reason) {
        lock.lock();
        try {
            if (closedReason == null) {
                closedReason = reason;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long outstanding() {
        lock.lock();
        try {
            return submitted - delivered;
        } finally {
            lock.unlock();
        }
    }

    /** @return an iterator over results; {@code ordered} picks submission order */
    Iterator<R> iterator(boolean ordered) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return outstanding() > 0;
            }

            @Override
            public R next() {
                return take(ordered).valueOrThrow();
            }
        };
    }

    private TaskRecord<R> take(boolean ordered) {
        lock.lock();
        try {
            while (true) {
                TaskRecord<R> r = ordered ? bySequence.get(bySequence.lowWater()) : pollUndelivered();
                if (r != null) {
                    markDelivered(r);
                    trimDelivered();
                    if (!r.isCancelled()) {
                        return r;
                    }
                    continue;
                }
                if (submitted == delivered) {
                    throw new NoSuchElementException("every result has been delivered");
                }
                if (closedReason != null) {
                    throw new IllegalStateException(closedReason);
                }
                String none = noWorkersReason.get();
                if (none != null) {
                    throw new NoMoreWorkersException(none);
                }
                waiting++;
                try {
                    changed.await(1, TimeUnit.SECONDS);
                } finally {
                    waiting--;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for results", e);
        } finally {
            lock.unlock();
        }
    }

    private TaskRecord<R> pollUndelivered() {
        TaskRecord<R> r;
        while ((r = arrived.pollFirst()) != null) {
            if (!r.delivered) {
                return r;
            }
        }
        return null;
    }

    private void trimDelivered() {
        while (!arrived.isEmpty() && arrived.peekFirst().delivered) {
            arrived.pollFirst();
        }
    }

    private void markDelivered(TaskRecord<R> r) {
        r.delivered = true;
        bySequence.delivered(r.sequence());
        delivered++;
    }
}
