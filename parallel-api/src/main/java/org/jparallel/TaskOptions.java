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
 * context.addTask(task, slow.withKey(input.name()));
 * }</pre>
 */
public final class TaskOptions {
    private static final TaskOptions NONE = new TaskOptions(null, null, null, 0);

    /** The longest task key, in characters. */
    public static final int MAX_KEY_LENGTH = 4096;

    private final Duration timeout;
    private final Duration expectedDuration;
    private final String key;
    /** 0: not set. */
    private final int cpus;

    private TaskOptions(Duration timeout, Duration expectedDuration, String key, int cpus) {
        this.timeout = timeout;
        this.expectedDuration = expectedDuration;
        this.key = key;
        this.cpus = cpus;
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
        return new TaskOptions(timeout, expectedDuration, key, cpus);
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
        return new TaskOptions(timeout, expected, key, cpus);
    }

    /**
     * Names the task within its context, stably across runs of the program: with a journal ({@link
     * ManagerBuilder#journal}) a keyed task whose result is already in the journal is not run again. Keys are
     * unique within a context; adding a second task with a key already used there is an {@link
     * IllegalArgumentException}.
     *
     * @param key the task's key, e.g. its input's name; 1 to {@link #MAX_KEY_LENGTH} characters
     * @return a copy with that key
     * @throws IllegalArgumentException when the key is empty or too long
     */
    public TaskOptions withKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("a task key must have 1 to " + MAX_KEY_LENGTH
                    + " characters, got " + key.length());
        }
        return new TaskOptions(timeout, expectedDuration, key, cpus);
    }

    /**
     * {@link #withKey(String)} with a number, e.g. the input's index: the key is its decimal form, so
     * {@code withKey(7)} and {@code withKey("7")} name the same task.
     *
     * @param key the task's key
     * @return a copy with that key
     */
    public TaskOptions withKey(long key) {
        return withKey(Long.toString(key));
    }

    /**
     * Declares how many task slots (cpus) of a worker the task takes, for a task that runs threads of its
     * own on workers with several slots ({@code LocalWorker.slots}, {@code jparallel.worker.slots}). It
     * goes only to a worker with that many slots free, and the worker then runs no more beside it than
     * its other slots. A task asking for more than any worker has fails at once.
     *
     * @param n 1 or more; 1 is what every task takes unless told
     * @return a copy with that request
     * @throws IllegalArgumentException when {@code n} is below 1
     */
    public TaskOptions withCpus(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a task takes at least 1 cpu, got " + n);
        }
        return new TaskOptions(timeout, expectedDuration, key, n);
    }

    /** @return how many task slots the task takes: 1 unless set */
    public int cpus() {
        return cpus == 0 ? 1 : cpus;
    }

    /** @return the task's time limit on a worker, or {@code null} for none */
    public Duration timeout() {
        return timeout;
    }

    /** @return the task's declared running time, or {@code null} when not declared */
    public Duration expectedDuration() {
        return expectedDuration;
    }

    /** @return the task's key within its context, or {@code null} for none */
    public String key() {
        return key;
    }

    /**
     * @param defaults options to take what this one leaves unset from (a context's defaults); a key is
     *     never taken from them, since keys are unique within a context
     * @return these options, with every option this one does not set taken from {@code defaults}
     */
    public TaskOptions orElse(TaskOptions defaults) {
        if (defaults == null || defaults == NONE || this == defaults) {
            return this;
        }
        return new TaskOptions(timeout != null ? timeout : defaults.timeout,
                expectedDuration != null ? expectedDuration : defaults.expectedDuration, key,
                cpus != 0 ? cpus : defaults.cpus);
    }

    @Override
    public String toString() {
        return "TaskOptions[timeout=" + timeout + ", expectedDuration=" + expectedDuration
                + ", cpus=" + cpus() + (key == null ? "" : ", key=" + key) + "]";
    }
}
