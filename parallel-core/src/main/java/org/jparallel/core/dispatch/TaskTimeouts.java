package org.jparallel.core.dispatch;

import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jparallel.TaskFailedException;
import org.jparallel.core.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-task time limits: a check armed when a task starts on its worker, which runs the tasks it holds
 * in the order sent, as many at once as it has slots: when the task is sent to a worker that holds
 * fewer tasks than it has slots, or when the worker answers a task that ran while this one waited. A task queued behind others on a worker therefore cannot time
 * out before it runs; its clock starts a little late rather than early, by as long as the answer before
 * it took to arrive (the worker may hold the answers of small tasks back for a few milliseconds). The
 * limit includes the context's setup when the task is the first of its context on that worker. Past the
 * limit the task fails as timed out and its worker is told to interrupt it; if the worker is still
 * running that very task after a grace period, the worker is stopped. A check from an earlier send
 * never touches a task that has been sent again. Runs on the dispatcher thread, like the dispatcher.
 */
final class TaskTimeouts {
    /** How long a timed-out task may take to stop after it was interrupted, before its worker is stopped. */
    static final long CANCEL_GRACE_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(TaskTimeouts.class);

    private final Scheduler scheduler;
    private final FailureBudget budget;
    private final BiConsumer<QueuedTask, TaskFailedException> fail;
    private final Consumer<WorkerSlot> stopWorker;

    /**
     * @param scheduler runs checks on the dispatcher thread, or {@code null} when timeouts are not supported
     * @param budget records the timed-out attempt
     * @param fail fails a task for good
     * @param stopWorker closes a worker's connection (the dispatcher hears the loss later)
     */
    TaskTimeouts(Scheduler scheduler, FailureBudget budget, BiConsumer<QueuedTask, TaskFailedException> fail,
                 Consumer<WorkerSlot> stopWorker) {
        this.scheduler = scheduler;
        this.budget = budget;
        this.fail = fail;
        this.stopWorker = stopWorker;
    }

    /** @throws IllegalStateException when the task has a time limit and there is no scheduler */
    void checkSupported(QueuedTask t) {
        if (t.timeoutMillis > 0 && scheduler == null) {
            throw new IllegalStateException("this dispatcher has no scheduler for task timeouts");
        }
    }

    /** {@code slot} has just reached the task (it runs it now): arm its check, if there is a task with a time limit. */
    void started(WorkerSlot slot, QueuedTask t) {
        if (t != null && t.timeoutMillis > 0) {
            int send = t.sends;
            scheduler.schedule(() -> timedOut(slot, t, send), t.timeoutMillis);
        }
    }

    private void timedOut(WorkerSlot slot, QueuedTask t, int send) {
        if (t.isOver() || t.sends != send || t.runningOn != slot) {
            return;
        }
        t.done = true;
        fail.accept(t, budget.timedOut(t, slot));
        if (slot.link == null) {
            return; // its worker is already being stopped
        }
        LOG.warn("task {} ran past its timeout of {} ms on {}; interrupting it", t.id(), t.timeoutMillis, slot.name());
        slot.link.send(new Message.Cancel(t.id()));
        slot.link.flush();
        scheduler.schedule(() -> graceOver(slot, t), CANCEL_GRACE_MILLIS);
    }

    private void graceOver(WorkerSlot slot, QueuedTask t) {
        // the check was armed when a slot of the worker reached the task, so while the worker holds it, it runs it
        if (slot.inFlight.get(t.id()) != t || slot.link == null) {
            return;
        }
        slot.closeReason = "task " + t.id() + " ignored its interruption for " + CANCEL_GRACE_MILLIS
                + " ms after its timeout, so its worker was stopped";
        stopWorker.accept(slot);
    }
}
