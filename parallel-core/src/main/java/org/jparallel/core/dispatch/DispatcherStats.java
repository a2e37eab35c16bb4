package org.jparallel.core.dispatch;

import java.util.List;
import org.jparallel.WorkerInfo;

/**
 * What the {@link Dispatcher} has done and what it holds, for the manager's stats and status: the
 * setups sent and the tasks that succeeded or failed for good (counted by the dispatcher), the workers
 * and the waiting tasks. Like the dispatcher, read and written only on the dispatcher thread.
 */
public final class DispatcherStats {
    private final WorkerRoster roster;
    private final TaskQueues queues;
    private final LongTasks longTasks;
    long setupsSent;
    long succeeded;
    long failed;

    DispatcherStats(WorkerRoster roster, TaskQueues queues, LongTasks longTasks) {
        this.roster = roster;
        this.queues = queues;
        this.longTasks = longTasks;
    }

    /** @return a snapshot of every worker, in id order */
    public List<WorkerInfo> workers() {
        return roster.snapshot();
    }

    /** @return how many setups were sent to workers */
    public long setupsSent() {
        return setupsSent;
    }

    /** @return how many tasks delivered a value */
    public long succeeded() {
        return succeeded;
    }

    /** @return how many tasks failed for good */
    public long failed() {
        return failed;
    }

    /** @return how many workers connected over the manager's life */
    public int connectedEver() {
        return roster.connectedEver();
    }

    /** @return how many tasks a connected worker holds, or -1 when it is not connected */
    public int holding(int workerId) {
        return roster.holding(workerId);
    }

    /** @return how many tasks wait for a worker (those waiting for one that lives long enough included) */
    public long waiting() {
        return queues.waiting() + (longTasks.isEmpty() ? 0 : longTasks.size());
    }

    /** @return how many tasks wait for a worker that lives long enough to finish them */
    public long waitingForLongerLife() {
        return longTasks.isEmpty() ? 0 : longTasks.size();
    }
}
