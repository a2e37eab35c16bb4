package org.jparallel;

import java.util.concurrent.Future;

/**
 * The pending result of one task. {@link #get()} waits for it; a failed task makes {@code get}
 * throw an {@link java.util.concurrent.ExecutionException} whose cause is a {@link
 * TaskFailedException}. Cancelling a task that has not been sent to a worker means it never runs;
 * cancelling with {@code mayInterruptIfRunning} interrupts it on its worker if it is running.
 *
 * @param <R> the task's result type
 */
public interface TaskFuture<R> extends Future<R> {
    /** @return the manager-wide id of the task, as used in logs and errors */
    long taskId();

    /** @return the task's position in its context, counting from 0 in the order tasks were added */
    long sequence();
}
