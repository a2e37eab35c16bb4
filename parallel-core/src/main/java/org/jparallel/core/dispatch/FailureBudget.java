package org.jparallel.core.dispatch;

import org.jparallel.RemoteTaskException;
import org.jparallel.SetupFailedException;
import org.jparallel.TaskAttempt;
import org.jparallel.TaskFailedException;

/**
 * The two failure budgets of a task, kept apart so "the machine died" is never mistaken for "the
 * task is broken": how many lost workers a task may outlive (counting only workers lost while the
 * task may have been running there), and how many times a task that threw is run again. Records
 * each attempt and says whether the task gets another one.
 */
final class FailureBudget {
    private final int maxLostAttempts;
    private final int taskRetries;

    FailureBudget(int maxLostAttempts, int taskRetries) {
        this.maxLostAttempts = maxLostAttempts;
        this.taskRetries = taskRetries;
    }

    /**
     * The worker holding {@code t} was lost. A worker runs the tasks it holds in the order sent, as many
     * at once as it has task slots, so when it held {@code t} only, {@code t} was running (or had just
     * ended, its answer lost with the worker), and nothing else was: it is charged a lost attempt. When
     * it held others too, either several ran at once (a worker with several slots) or {@code t} may not
     * have started (a worker holds back the answers of small tasks for a batch): which one crashed the
     * worker is not known, so none is charged, and each from now on {@linkplain QueuedTask#runsAlone runs
     * alone}: sent only to a worker that holds nothing else (whatever its slots), with nothing sent
     * behind it until it answers, so that a task that crashes its worker is charged on its next run and
     * the tasks that ran beside it never are.
     *
     * @param heldAlone whether the worker held {@code t} and no other task
     * @return the failure when the budget is spent, or {@code null} when the task should run again
     */
    TaskFailedException workerLost(QueuedTask t, WorkerSlot slot, String reason, boolean heldAlone) {
        if (!heldAlone) {
            t.runsAlone = true;
            return null;
        }
        t.addAttempt(new TaskAttempt(slot.name(), TaskAttempt.Outcome.WORKER_LOST, reason, slot.logLocation(), null));
        int lost = t.attemptsThat(TaskAttempt.Outcome.WORKER_LOST);
        if (lost < maxLostAttempts) {
            return null;
        }
        return new TaskFailedException(t.id(), t.key(), "its worker was lost " + lost
                + " time(s) while running it (the limit); the task may be crashing its worker", t.attempts());
    }

    /**
     * The worker holding {@code t} reached the end of its allocation (or was drained) and is gone: the
     * attempt is recorded as {@link TaskAttempt.Outcome#WALLTIME}, which no budget counts; the task runs again.
     */
    void walltime(QueuedTask t, WorkerSlot slot, String reason) {
        t.addAttempt(new TaskAttempt(slot.name(), TaskAttempt.Outcome.WALLTIME,
                "its worker reached the end of its allocation (" + slot.endOfLife + "): " + reason,
                slot.logLocation(), null));
    }

    /**
     * The task threw on {@code slot}. A task whose result could not be sent ({@link
     * RemoteTaskException#RESULT_NOT_SERIALIZABLE}, {@link RemoteTaskException#RESULT_TOO_LARGE}) is not tried
     * again: the same result would fail the same way.
     *
     * @return the failure when the budget is spent, or {@code null} when the task should run again
     */
    TaskFailedException threw(QueuedTask t, WorkerSlot slot, RemoteTaskException error) {
        t.addAttempt(new TaskAttempt(slot.name(), TaskAttempt.Outcome.THREW, error.toString(), slot.logLocation(), error));
        int threw = t.attemptsThat(TaskAttempt.Outcome.THREW);
        boolean resultCannotBeSent = RemoteTaskException.RESULT_NOT_SERIALIZABLE.equals(error.getRemoteClassName())
                || RemoteTaskException.RESULT_TOO_LARGE.equals(error.getRemoteClassName());
        if (threw <= taskRetries && !resultCannotBeSent) {
            return null;
        }
        String attempts = threw > 1 ? " (" + threw + " attempts)" : "";
        if (SetupFailedException.class.getName().equals(error.getRemoteClassName())) {
            // the worker names a setup failure so; its cause is the setup's own exception
            RemoteTaskException setupError = error.getCause() instanceof RemoteTaskException r ? r : null;
            return new SetupFailedException(t.id(), t.key(), "the setup of its context threw "
                    + (setupError != null ? setupError : "on the worker") + attempts, t.attempts(), setupError);
        }
        return new TaskFailedException(t.id(), t.key(), "it threw " + error + attempts, t.attempts());
    }

    /** The task ran past its time limit on {@code slot}: it fails, with no further attempt. */
    TaskFailedException timedOut(QueuedTask t, WorkerSlot slot) {
        t.addAttempt(new TaskAttempt(slot.name(), TaskAttempt.Outcome.TIMED_OUT,
                "ran past its timeout of " + t.timeoutMillis + " ms", slot.logLocation(), null));
        return new TaskFailedException(t.id(), t.key(), "it timed out after " + t.timeoutMillis + " ms", t.attempts());
    }
}
