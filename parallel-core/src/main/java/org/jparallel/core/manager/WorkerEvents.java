package org.jparallel.core.manager;

import java.util.Collection;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jparallel.core.dispatch.DispatcherListener;
import org.jparallel.core.dispatch.WorkerLoss;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's answer to what the dispatcher tells it of its workers: a started worker connected, was
 * lost, began draining, failed to start or is gone. It replaces lost and failed workers as {@link
 * WorkerReplacements} decides (except an allocating group's, which are its allocator's to replace), tells the
 * launcher to stop watching or to stop a process, and wakes the programs' readers when no worker is
 * left. Called on the manager's loop.
 */
final class WorkerEvents implements DispatcherListener {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerEvents.class);

    private final WorkerStarts starts;
    private final WorkerReplacements replacements;
    private final AvailableWorkers available;
    private final Collection<DefaultContext<?, ?>> contexts;
    private final BooleanSupplier closed;
    private WorkerLauncher launcher;
    private ManagerAllocations allocations;
    private ReturningWorkers returning;

    /**
     * @param contexts the open contexts, a live view: woken when a worker is gone
     * @param closed whether the manager is closed: nothing is replaced then
     */
    WorkerEvents(WorkerStarts starts, WorkerReplacements replacements, AvailableWorkers available,
            Collection<DefaultContext<?, ?>> contexts, BooleanSupplier closed) {
        this.starts = starts;
        this.replacements = replacements;
        this.available = available;
        this.contexts = contexts;
        this.closed = closed;
    }

    /** Gives the parts made after the dispatcher, which needs this listener first; before any event. */
    void wire(WorkerLauncher launcher, ManagerAllocations allocations, ReturningWorkers returning) {
        this.launcher = launcher;
        this.allocations = allocations;
        this.returning = returning;
    }

    @Override
    public void workerJoinedByHand(int workerId) {
        available.joinedByHand();
        returning.joinedByHand(workerId);
    }

    /**
     * @return the group whose replacements a worker's are: the group that started it, or the one a previous run's
     *     worker stood in for after the grace period; {@code null} for a worker started by hand
     */
    private WorkerGroup groupOf(int workerId) {
        WorkerGroup group = starts.groupOf(workerId);
        return group != null ? group : returning.standingInFor(workerId);
    }

    @Override
    public void workerConnected(int workerId) { // a worker started by hand is workerJoinedByHand's
        launcher.connected(workerId);
        WorkerGroup group = starts.groupOf(workerId);
        if (group != null) {
            replacements.connected(group);
        }
    }

    @Override
    public String workerLost(int workerId, WorkerLoss loss) {
        returning.left(workerId);
        WorkerGroup group = groupOf(workerId);
        if (group == null || closed.getAsBoolean() || allocations.owns(group)) { // an allocating group's workers
            return null;                                                           // are the allocator's to replace
        }
        String refused = replacements.refuseLost(group, loss, starts.nextWorkerId());
        if (refused == null) {
            LOG.info("replacing lost worker {} ({})", workerId, replacements.usedText());
            starts.start(group, 1);
            return null;
        }
        if (refused.isEmpty()) {
            return null;
        }
        if (loss == WorkerLoss.UNASKED // once, as the group stops
                && replacements.lostInARow(group) == replacements.lostInARowLimit(group) + 1) {
            warnGuard(workerId, "was lost", group);
        } else {
            LOG.info("worker {} was lost and not replaced: {}", workerId, refused);
        }
        return refused;
    }

    @Override
    public boolean replacementsStopped(int workerId) {
        WorkerGroup group = groupOf(workerId);
        return group != null && replacements.stopped(group);
    }

    @Override
    public void workerAnswered(int workerId) {
        WorkerGroup group = groupOf(workerId);
        if (group != null) {
            replacements.answered(group, workerId);
        }
    }

    @Override
    public String workerDraining(int workerId, boolean answered) {
        returning.left(workerId); // a returned worker that drains in the grace period stands in for no group
        WorkerGroup group = groupOf(workerId);
        if (group == null || allocations.owns(group) // an allocating group's draining workers are the allocator's
                || closed.getAsBoolean()) {            // to replace, ahead of time
            return null;
        }
        String refused = replacements.refuseDraining(group, answered, starts.nextWorkerId());
        if (refused == null) {
            LOG.info("replacing draining worker {} ({})", workerId, replacements.usedText());
            starts.start(group, 1);
            return null;
        }
        if (!answered // once, as the group stops
                && replacements.lostInARow(group) == replacements.lostInARowLimit(group) + 1) {
            warnGuard(workerId, "began draining before answering any task", group);
        } else if (!refused.isEmpty()) {
            LOG.info("worker {} began draining and is not replaced: {}", workerId, refused);
        }
        return refused.isEmpty() ? null : refused;
    }

    private void warnGuard(int workerId, String what, WorkerGroup group) {
        LOG.warn("worker {} {} and was not replaced: {}; not replacing them any more: a task's setup, the worker JVM "
                + "itself or its node may be crashing them, or their lifetime may be no longer than the drain margin; "
                + "see the workers' output files", workerId, what, replacements.guardText(group));
    }

    @Override
    public String workerFailedToStart(int workerId) {
        WorkerGroup group = starts.groupOf(workerId);
        if (group == null || closed.getAsBoolean() || allocations.owns(group)) {
            return null;
        }
        String refused = replacements.refuseFailedStart(group);
        if (refused != null) {
            return refused.isEmpty() ? null : refused;
        }
        LOG.info("replacing worker {}, which failed to start ({})", workerId, replacements.usedText());
        starts.start(group, 1);
        return null;
    }

    @Override
    public void workerGone(Supplier<String> summary) {
        available.gone(summary);
        contexts.forEach(DefaultContext::wake);
    }

    @Override
    public void stopWorker(WorkerHandle handle) {
        launcher.stop(handle);
    }
}
