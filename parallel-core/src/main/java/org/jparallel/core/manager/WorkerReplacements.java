package org.jparallel.core.manager;

import java.util.IdentityHashMap;
import java.util.Map;
import org.jparallel.spi.WorkerGroup;

/**
 * Decides whether a worker that is gone is replaced by a new one of its group, within the manager's
 * {@code replaceLostWorkers} budget; one place for the rule, so that the manager only starts what it
 * is told. A worker lost after it connected is replaced while the budget lasts. A worker that failed
 * to start (it exited, was killed, or did not connect in time) is replaced too, but only
 * <ul>
 * <li>once a worker of its group has connected: a group none of whose workers ever connected is taken
 *     to be unable to start (a bad java command or JVM option), and replacing its failures would only
 *     spend the budget on starts that fail one after another; and</li>
 * <li>for at most {@link #FAILED_STARTS_PER_WORKER} times the group's size failed starts in a row, with
 *     no worker of the group connecting between them: a group that could start workers but no longer
 *     can (a full disk, a broken node) stops there too.</li>
 * </ul>
 * Used on the manager's event loop only.
 */
final class WorkerReplacements {
    /** How many failed starts in a row, per worker of the group, are replaced. */
    static final int FAILED_STARTS_PER_WORKER = 3;

    private final int budget;
    private final Map<WorkerGroup, Starts> groups = new IdentityHashMap<>();
    private int used;

    /** What is known of a group's starts. */
    private static final class Starts {
        boolean everConnected;
        int failedInARow;
    }

    /** @param budget how many workers may be replaced over the manager's life ({@code replaceLostWorkers}) */
    WorkerReplacements(int budget) {
        this.budget = budget;
    }

    /** A worker of {@code group} connected: the group can start workers. */
    void connected(WorkerGroup group) {
        Starts s = starts(group);
        s.everConnected = true;
        s.failedInARow = 0;
    }

    /** @return true when a worker lost after it connected is to be replaced (the budget is then used) */
    boolean replaceLost() {
        return take();
    }

    /**
     * A worker of {@code group} failed to start.
     *
     * @return {@code null} when it is to be replaced (the budget is then used); otherwise why not, in a
     *     sentence for the worker's detail, or an empty string when there is no budget at all (nothing is
     *     ever replaced then, and there is nothing to explain)
     */
    String refuseFailedStart(WorkerGroup group) {
        if (budget == 0) {
            return "";
        }
        Starts s = starts(group);
        s.failedInARow++;
        if (!s.everConnected) {
            return "It was not replaced: no worker of its group has connected yet, so the group is taken to be "
                    + "unable to start workers (a failed start is replaced only once its group has started one).";
        }
        int limit = FAILED_STARTS_PER_WORKER * Math.max(1, group.size());
        if (s.failedInARow > limit) {
            return "It was not replaced: " + s.failedInARow + " workers of its group failed to start in a row, with none "
                    + "connecting between them, more than the limit of " + limit + " (" + FAILED_STARTS_PER_WORKER
                    + " per worker of the group).";
        }
        if (!take()) {
            return "It was not replaced: the replaceLostWorkers budget of " + budget + " is spent.";
        }
        return null;
    }

    /** @return how many replacements were started so far */
    int used() {
        return used;
    }

    /** @return the budget, replaceLostWorkers */
    int budget() {
        return budget;
    }

    private boolean take() {
        if (used >= budget) {
            return false;
        }
        used++;
        return true;
    }

    private Starts starts(WorkerGroup group) {
        return groups.computeIfAbsent(group, g -> new Starts());
    }
}
