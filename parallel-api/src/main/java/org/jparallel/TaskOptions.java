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
    private static final TaskOptions NONE = new TaskOptions(null);

    private final Duration timeout;

    private TaskOptions(Duration timeout) {
        this.timeout = timeout;
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
        return new TaskOptions(timeout);
    }

    /** @return the task's time limit on a worker, or {@code null} for none */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public String toString() {
        return "TaskOptions[timeout=" + timeout + "]";
    }
}
