package org.jparallel.spi.batch;

import java.util.Objects;

/**
 * What a scheduler says of one array task, as a {@link BatchScheduler} parser reads it: queued,
 * running, ended (with its exit code when the scheduler knows it), or failed with the scheduler's
 * reason. FAILED covers both a task that ended abnormally (time limit, out of memory, node failure)
 * and one that will never run as submitted (held, an error state such as Grid Engine's {@code Eqw},
 * a partition that cannot grant it): the kit fails the worker at once with the reason and cancels
 * the task.
 *
 * @param phase where the task is
 * @param exitCode the exit code of a DONE task when the scheduler reports one, else -1
 * @param detail the scheduler's words: state, reason, what to change; may be empty
 * @param ended true when the task has ended: every DONE one, and a FAILED one made with {@link
 *     #endedAbnormally} (the kit then cancels nothing)
 */
public record TaskState(Phase phase, int exitCode, String detail, boolean ended) {

    /** Where an array task is, as the scheduler sees it. */
    public enum Phase {
        /** Waiting in the queue (or suspended, or anything not known to be hopeless). */
        PENDING,
        /** Running, or being started on a host. */
        RUNNING,
        /** Ended; the worker's own exit code (recorded by the job script) is preferred to the scheduler's. */
        DONE,
        /** Ended abnormally, or will never run unless someone acts; the detail says why. */
        FAILED
    }

    /** Checks the fields; a DONE task has ended, a PENDING or RUNNING one has not. */
    public TaskState {
        Objects.requireNonNull(phase, "phase");
        detail = detail == null ? "" : detail;
        ended = phase == Phase.DONE || (phase == Phase.FAILED && ended);
    }

    /**
     * @param phase where the task is
     * @param exitCode the exit code of a DONE task when the scheduler reports one, else -1
     * @param detail the scheduler's words
     */
    public TaskState(Phase phase, int exitCode, String detail) {
        this(phase, exitCode, detail, false);
    }

    /** @return a queued task, e.g. {@code pending("queued (qw)")} */
    public static TaskState pending(String detail) {
        return new TaskState(Phase.PENDING, -1, detail);
    }

    /** @return a running task */
    public static TaskState running() {
        return new TaskState(Phase.RUNNING, -1, "");
    }

    /**
     * @param exitCode the exit code the scheduler reports, or -1 when it reports none
     * @param detail how it ended, e.g. {@code completed}
     * @return an ended task
     */
    public static TaskState done(int exitCode, String detail) {
        return new TaskState(Phase.DONE, exitCode, detail);
    }

    /** @return a failed or hopeless task, with the scheduler's reason and what to do about it */
    public static TaskState failed(String reason) {
        return new TaskState(Phase.FAILED, -1, reason);
    }

    /**
     * A FAILED task the scheduler still lists although it has ended (time limit, out of memory, node
     * failure: Slurm's {@code squeue -t all}): its worker fails with the reason, and there is nothing
     * to cancel.
     *
     * @param reason how it ended and what to change
     * @return the state
     */
    public static TaskState endedAbnormally(String reason) {
        return new TaskState(Phase.FAILED, -1, reason, true);
    }
}
