package org.jparallel.core.manager;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>A task is outstanding from its {@link #nextSequence} until an iterator takes it or it is
 * cancelled: a cancelled task yields nothing. An iterator's {@code hasNext()} waits until it has taken
 * a result or knows it can take none, so what it promises its {@code next()} keeps, whatever other
 * threads cancel or read meanwhile; a reader that would wait while no worker is left is promised
 * {@link NoMoreWorkersException} instead. Once closed, the counts no longer change, and while tasks
 * were outstanding at the close, every read gets the closed error, whenever it comes.
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
    /** Tasks taken by an iterator or cancelled. */
    private long ended;
    private String closedReason;
    /**
     * Journaled results an iterator's {@code next()} returned and the program may still be using: each is marked
     * delivered when its iterator is asked for more, or when the inbox closes (the program closed the context or
     * the manager), whichever comes first. One leaves only once its mark is made: a mark that threw is made by
     * the next close (or read) instead.
     */
    private final Map<TaskRecord<R>, Boolean> held = new ConcurrentHashMap<>();

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

    /** A task completed, failed or was cancelled; after the close, nothing changes. */
    void arrived(TaskRecord<R> r) {
        boolean readerWaits = false;
        lock.lock();
        try {
            if (closedReason == null) {
                if (r.isCancelled()) {
                    bySequence.delivered(r.sequence()); // an ordered reader passes over it
                    ended++;
                } else {
                    arrived.addLast(r);
                    bySequence.put(r.sequence(), r);
                }
                readerWaits = waiting > 0;
            }
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
        // the program closed the context: it is done with what it holds (each marked, whatever one threw)
        CloseSteps.each(held.keySet(), this::release);
    }

    /**
     * Marks a held result delivered, once, whether its iterator or the close comes first; it stays held when the
     * mark throws, so that a close tried again makes it (the map keeps the mapping when the function throws).
     */
    private void release(TaskRecord<R> r) {
        held.computeIfPresent(r, (k, v) -> {
            k.journalDelivered();
            return null;
        });
    }

    long outstanding() {
        lock.lock();
        try {
            return submitted - ended;
        } finally {
            lock.unlock();
        }
    }

    /** @return an iterator over results; {@code ordered} picks submission order */
    Iterator<R> iterator(boolean ordered) {
        return new Iterator<>() {
            /** What {@link #hasNext} took for {@link #next}: a record, the exception to throw, or {@code null}. */
            private Object taken;
            /** A journaled result {@link #next} handed out, whose delivery is journaled at the next read (or close). */
            private TaskRecord<R> handed;

            @Override
            public boolean hasNext() {
                if (handed != null) { // the program came back for more: it is done with the last result
                    TaskRecord<R> h = handed;
                    handed = null; // a mark that throws is thrown once: it stays held for the close, reading goes on
                    release(h);
                }
                if (taken == null) {
                    taken = take(ordered);
                }
                return taken != null;
            }

            @Override
            @SuppressWarnings("unchecked")
            public R next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("every result has been delivered");
                }
                Object t = taken;
                taken = null;
                if (t instanceof RuntimeException e) {
                    throw e;
                }
                TaskRecord<R> r = (TaskRecord<R>) t;
                R value = r.valueOrThrow();
                if (r.journaled()) {
                    handed = r;
                    held.put(r, Boolean.TRUE);
                }
                return value;
            }
        };
    }

    /**
     * Takes the next result, waiting for it if need be.
     *
     * @return the record taken, the exception the reader is to get instead, or {@code null} when
     *     nothing is outstanding
     */
    private Object take(boolean ordered) {
        lock.lock();
        try {
            while (true) {
                if (closedReason != null) {
                    return submitted == ended ? null : new IllegalStateException(closedReason);
                }
                TaskRecord<R> r = ordered ? bySequence.get(bySequence.lowWater()) : pollUndelivered();
                if (r != null) {
                    markDelivered(r);
                    trimDelivered();
                    return r;
                }
                if (submitted == ended) {
                    return null;
                }
                String none = noWorkersReason.get();
                if (none != null) {
                    return new NoMoreWorkersException(none);
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
            return new IllegalStateException("interrupted while waiting for results", e);
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
        ended++;
    }
}
