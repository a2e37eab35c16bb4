package org.jparallel.core.dispatch;

/**
 * Runs a task on the dispatcher thread after a delay: the manager's event loop in production, a
 * hand-driven clock in tests.
 */
@FunctionalInterface
public interface Scheduler {
    /** Runs {@code task} on the dispatcher thread after {@code delayMillis}. */
    void schedule(Runnable task, long delayMillis);
}
