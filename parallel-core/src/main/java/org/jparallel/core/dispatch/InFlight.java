package org.jparallel.core.dispatch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The tasks a worker holds, in the order they were sent, which is the order it runs and answers them.
 * An answer is nearly always for the oldest, so it is removed from the front in O(1), with no boxed
 * key or map entry per task (a linked hash map cost both, a few percent of the manager's loop with
 * tiny tasks); any other is found by a scan of at most the worker's prefetch depth. Touched only on
 * the dispatcher thread.
 */
final class InFlight implements Iterable<QueuedTask> {
    private final ArrayDeque<QueuedTask> tasks = new ArrayDeque<>();

    void add(QueuedTask t) {
        tasks.addLast(t);
    }

    /** @return the task with this id, now removed, or {@code null} when this worker does not hold it */
    QueuedTask remove(long taskId) {
        QueuedTask first = tasks.peekFirst();
        if (first != null && first.id() == taskId) {
            return tasks.pollFirst();
        }
        for (Iterator<QueuedTask> it = tasks.iterator(); it.hasNext(); ) {
            QueuedTask t = it.next();
            if (t.id() == taskId) {
                it.remove();
                return t;
            }
        }
        return null;
    }

    /** @return the task with this id, or {@code null} when this worker does not hold it */
    QueuedTask get(long taskId) {
        for (QueuedTask t : tasks) {
            if (t.id() == taskId) {
                return t;
            }
        }
        return null;
    }

    /** @return the oldest task held, the one the worker runs now or next, or {@code null} */
    QueuedTask first() {
        return tasks.peekFirst();
    }

    int size() {
        return tasks.size();
    }

    /** @return every task held, oldest first, now removed */
    List<QueuedTask> drain() {
        List<QueuedTask> all = new ArrayList<>(tasks);
        tasks.clear();
        return all;
    }

    @Override
    public Iterator<QueuedTask> iterator() {
        return tasks.iterator();
    }
}
