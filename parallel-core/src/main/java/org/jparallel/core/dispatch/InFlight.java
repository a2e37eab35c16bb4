package org.jparallel.core.dispatch;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The tasks a worker holds, in the order they were sent, which is the order it runs and answers them.
 * An answer is nearly always for the oldest, so it is removed from the front in O(1), with no boxed
 * key or map entry per task (a linked hash map would cost both on the manager's loop). Any other task
 * is found by a scan of the ids, kept in an array of their own beside the
 * tasks so that a scan reads one contiguous array (a cancel looks at every worker). A ring buffer
 * that grows by doubling. Touched only on the dispatcher thread.
 */
final class InFlight implements Iterable<QueuedTask> {
    private QueuedTask[] tasks = new QueuedTask[8];
    private long[] ids = new long[8];
    private int head;
    private int size;

    void add(QueuedTask t) {
        if (size == tasks.length) {
            grow();
        }
        int i = slot(size);
        tasks[i] = t;
        ids[i] = t.id();
        size++;
    }

    /** @return the task with this id, now removed, or {@code null} when this worker does not hold it */
    QueuedTask remove(long taskId) {
        if (size > 0 && ids[head] == taskId) {
            QueuedTask t = tasks[head];
            tasks[head] = null;
            head = slot(1);
            size--;
            return t;
        }
        int k = indexOf(taskId);
        if (k < 0) {
            return null;
        }
        QueuedTask t = tasks[slot(k)];
        for (int j = k; j < size - 1; j++) { // close the gap: the order of the rest is kept
            tasks[slot(j)] = tasks[slot(j + 1)];
            ids[slot(j)] = ids[slot(j + 1)];
        }
        tasks[slot(size - 1)] = null;
        size--;
        return t;
    }

    /** @return the task with this id, or {@code null} when this worker does not hold it */
    QueuedTask get(long taskId) {
        int k = indexOf(taskId);
        return k < 0 ? null : tasks[slot(k)];
    }

    /** @return the position, counted from the oldest, of the task with this id, or -1 when it is not held */
    int position(long taskId) {
        return size > 0 && ids[head] == taskId ? 0 : indexOf(taskId);
    }

    /** @return the {@code k}th task from the oldest, or {@code null} when fewer are held */
    QueuedTask at(int k) {
        return k < size ? tasks[slot(k)] : null;
    }

    /** @return the oldest task held, the one the worker runs now or next, or {@code null} */
    QueuedTask first() {
        return size == 0 ? null : tasks[head];
    }

    int size() {
        return size;
    }

    /** @return every task held, oldest first, now removed */
    List<QueuedTask> drain() {
        List<QueuedTask> all = new ArrayList<>(size);
        for (int k = 0; k < size; k++) {
            all.add(tasks[slot(k)]);
            tasks[slot(k)] = null;
        }
        head = 0;
        size = 0;
        return all;
    }

    /** Oldest first; the tasks must not be added or removed while it is used. */
    @Override
    public Iterator<QueuedTask> iterator() {
        return new Iterator<>() {
            private int k;

            @Override
            public boolean hasNext() {
                return k < size;
            }

            @Override
            public QueuedTask next() {
                if (k >= size) {
                    throw new NoSuchElementException();
                }
                return tasks[slot(k++)];
            }
        };
    }

    /** @return the position, counted from the oldest, of the task with this id, or -1 */
    private int indexOf(long taskId) {
        for (int k = 0; k < size; k++) {
            if (ids[slot(k)] == taskId) {
                return k;
            }
        }
        return -1;
    }

    /** @return the array index of the {@code k}th task from the oldest */
    private int slot(int k) {
        return (head + k) & (tasks.length - 1);
    }

    private void grow() {
        QueuedTask[] t = new QueuedTask[tasks.length * 2];
        long[] d = new long[t.length];
        for (int k = 0; k < size; k++) {
            t[k] = tasks[slot(k)];
            d[k] = ids[slot(k)];
        }
        tasks = t;
        ids = d;
        head = 0;
    }
}
