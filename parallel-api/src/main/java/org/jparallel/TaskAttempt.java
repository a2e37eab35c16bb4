package org.jparallel;

/**
 * One try at running a task: where it ran and how it ended. A failed task carries the list of its
 * attempts, so "the task threw" can be told apart from "the machine died".
 *
 * @param worker a description of the worker, e.g. {@code worker 3 (local, pid 4711 on node7)}
 * @param outcome how the attempt ended
 * @param detail a one-line explanation (the exception, or how the worker was lost)
 * @param logFile the worker's output file, or {@code null} when the backend has none
 * @param cause the remote exception for {@link Outcome#THREW}, otherwise {@code null}
 */
public record TaskAttempt(String worker, Outcome outcome, String detail, String logFile,
                          RemoteTaskException cause) {

    /** How an attempt ended. */
    public enum Outcome {
        /** The task (or its context's setup) threw an exception on the worker. */
        THREW,
        /** The worker was lost (died, hung, disconnected) while it ran the task. */
        WORKER_LOST,
        /** The task ran past its time limit. */
        TIMED_OUT,
        /**
         * The worker reached the end of its allocation (its walltime) while it held the task, and was
         * gone: the task runs again elsewhere, and this is not charged to its lost-worker budget.
         */
        WALLTIME
    }

    @Override
    public String toString() {
        return outcome + " on " + worker + ": " + detail + (logFile == null ? "" : " (log " + logFile + ")");
    }
}
