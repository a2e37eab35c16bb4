package org.jparallel.core.dispatch;

import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.jparallel.ProgressListener;
import org.jparallel.RemoteTaskException;
import org.jparallel.TaskFailedException;

/**
 * What becomes of a task whose attempt ended without its value: its worker was lost, or it threw. Each
 * such task goes back to the front of its queue, or fails for good once the {@link FailureBudget} says
 * its budget is spent; a task on a worker that ended by its lifetime (the scheduler's walltime) is not
 * charged. Split out of the {@link Dispatcher} so that the dispatcher keeps the happy path (admit, send,
 * answer) and this class the one job of ending or retrying failed attempts; it runs on the dispatcher
 * thread like the dispatcher, and only on the paths of failures, never per successful task.
 */
final class EndedAttempts {
    private final FailureBudget budget;
    private final TaskQueues queues;
    private final DispatcherStats stats;
    private final Supplier<ProgressListener> progress;

    /**
     * @param budget decides whether a task may be tried again
     * @param queues where a task tried again goes back, at the front
     * @param stats counts the tasks that failed for good
     * @param progress the dispatcher's current listener of task events
     */
    EndedAttempts(FailureBudget budget, TaskQueues queues, DispatcherStats stats,
                  Supplier<ProgressListener> progress) {
        this.budget = budget;
        this.queues = queues;
        this.stats = stats;
        this.progress = progress;
    }

    /**
     * A worker's connection is gone: it holds nothing any more, and each task it held goes back to the front of
     * its queue (oldest first) or fails. A task is charged a lost attempt only when it may have been running
     * there ({@link FailureBudget#workerLost}); none is charged when the worker was lost in its drain margin or
     * later (its allocation ended: {@code slot.endedByItsLifetime}, set by the roster, which names the task
     * charged in its summary); with {@code shutDown}, or a task already over, nothing is done for it.
     */
    void workerLost(WorkerSlot slot, boolean shutDown) {
        slot.holdsLoneTask = false;
        slot.heldExpectedNanos = 0;
        slot.cpusHeld = 0;
        slot.multiCpuTasks = 0;
        List<QueuedTask> held = slot.inFlight.drain();
        boolean heldOne = held.size() == 1;
        // gone in its drain margin or later: its allocation ended (the scheduler's walltime), not the task's fault
        boolean walltime = slot.endedByItsLifetime;
        held.sort(Comparator.comparingLong(QueuedTask::id).reversed());
        for (QueuedTask t : held) {
            t.runningOn = null;
            if (shutDown || t.isOver()) {
                continue;
            }
            if (walltime) {
                budget.walltime(t, slot, slot.detail);
                requeueFirst(t);
                continue;
            }
            TaskFailedException failure = budget.workerLost(t, slot, slot.detail, heldOne);
            if (failure != null) {
                fail(t, failure);
            } else {
                requeueFirst(t);
            }
        }
    }

    /** A task (or its setup) threw on {@code slot}: it runs again, or fails once its retry budget is spent. */
    void threw(QueuedTask t, WorkerSlot slot, RemoteTaskException error) {
        TaskFailedException failure = budget.threw(t, slot, error);
        if (failure != null) {
            t.done = true;
            t.freePayloadIfSentOnce();
            fail(t, failure);
        } else {
            requeueFirst(t);
        }
    }

    /** Fails a task for good: counts it, completes its future with {@code failure} and reports it. */
    void fail(QueuedTask t, TaskFailedException failure) {
        stats.failed++;
        t.completion.failed(failure);
        progress.get().taskFailed(t.id(), failure);
        t.completion.ended(); // only once its end is posted, as in Dispatcher.onResult
    }

    private void requeueFirst(QueuedTask t) {
        if (!queues.addFirst(t)) {
            t.completion.abandoned("its context was closed");
        }
    }
}
