package org.jparallel;

import java.time.Duration;
import java.util.Objects;

/**
 * How one task is to be run, beside the task itself: handed to {@link Context#addTask(Task, TaskOptions)}.
 * Immutable; each {@code with} method returns a copy with one option set, so a program can keep a
 * template and vary it per task:
 *
 * <pre>{@code
 * TaskOptions slow = TaskOptions.none().withTimeout(Duration.ofMinutes(10));
 * context.addTask(task, slow);
 * }</pre>
 */
public final class TaskOptions {
    private static final TaskOptions NONE = new TaskOptions(null, null);

    private final Duration timeout;
    private final Duration expectedDuration;

    private TaskOptions(Duration timeout, Duration expectedDuration) {
        this.timeout = timeout;
        this.expectedDuration = expectedDuration;
    }

    /** @return options that set nothing: the task runs as {@link Context#addTask(Task)} runs it */
    public static TaskOptions none() {
        return NONE;
    }

    /**
     * @param timeout the task's time limit on a worker (see {@link Context#addTask(Task, Duration)})
     * @return a copy with that limit
     * @throws IllegalArgumentException when the limit is not positive
     */
    public TaskOptions withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a task timeout must be positive, got " + timeout);
        }
        return new TaskOptions(timeout, expectedDuration);
    }

    /**
     * Declares how long the task is expected to run. The dispatcher then gives it only to a worker that
     * will live long enough to finish it (see "Walltimes" in the README): the worker's end of life,
     * less its drain margin, must be at least this far away. A task that no worker could ever fit
     * fails at once. Without it, a task may go to any worker that is not draining.
     *
     * @param expected the task's expected running time
     * @return a copy with that estimate
     * @throws IllegalArgumentException when the estimate is not positive
     */
    public TaskOptions withExpectedDuration(Duration expected) {
        Objects.requireNonNull(expected, "expected");
        if (expected.isNegative() || expected.isZero()) {
            throw new IllegalArgumentException("a task's expected duration must be positive, got " + expected);
        }
        return new TaskOptions(timeout, expected);
    }

    /** @return the task's declared running time, or {@code null} when not declared */
    public Duration expectedDuration() {
        return expectedDuration;
    }

    /**
     * @param defaults options to take what this one leaves unset from (a context's defaults)
     * @return these options, with every option this one does not set taken from {@code defaults}
     */
    public TaskOptions orElse(TaskOptions defaults) {
        if (defaults == null || defaults == NONE || this == defaults) {
            return this;
        }
        return new TaskOptions(timeout != null ? timeout : defaults.timeout,
                expectedDuration != null ? expectedDuration : defaults.expectedDuration);
    }

    /** @return the task's time limit on a worker, or {@code null} for none */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public String toString() {
        return "TaskOptions[timeout=" + timeout + ", expectedDuration=" + expectedDuration + "]";
    }
}
