package org.jparallel.core.dispatch;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Tasks set aside because the worker they were offered to will not live long enough to finish them
 * (by their declared expected duration), in the order they were set aside. They wait here for a worker
 * that can, while the tasks behind them go on to the workers they fit; the dispatcher offers them to
 * each ready worker before its queues. Empty, and never looked at, unless tasks declare expected
 * durations and workers have lifetimes. Used on the dispatcher thread only.
 */
final class LongTasks {
    private final List<QueuedTask> tasks = new ArrayList<>();

    boolean isEmpty() {
        return tasks.isEmpty();
    }

    /** @return how many tasks wait here (dropping those that are over: cancelled while they waited) */
    int size() {
        tasks.removeIf(QueuedTask::isOver);
        return tasks.size();
    }

    void add(QueuedTask t) {
        tasks.add(t);
    }

    /**
     * @return the oldest task that fits {@code slot} now, taken out, or {@code null}; tasks that are over
     *     (cancelled) are dropped on the way
     */
    QueuedTask takeFitting(WorkerSlot slot, long now) {
        for (Iterator<QueuedTask> it = tasks.iterator(); it.hasNext(); ) {
            QueuedTask t = it.next();
            if (t.isOver()) {
                it.remove();
            } else if (Placement.fits(slot, t) && WorkerLifetimes.fits(slot, t, now)) { // its cpus, and running alone
                it.remove();
                return t;
            }
        }
        return null;
    }

    /** @return the tasks of a closed context, taken out */
    List<QueuedTask> removeContext(int contextId) {
        List<QueuedTask> out = new ArrayList<>();
        tasks.removeIf(t -> t.contextId == contextId && out.add(t));
        return out;
    }

    /** @return every task, taken out */
    List<QueuedTask> drainAll() {
        List<QueuedTask> out = new ArrayList<>(tasks);
        tasks.clear();
        return out;
    }
}
