package org.jparallel;

/**
 * A set of tasks that share one setup. Made by {@link Manager#getContext(Setup)}.
 *
 * <p>Add tasks with {@link #addTask}; read results with {@link #getResultsUnordered()} (as they
 * complete) or {@link #getResults()} (in the order the tasks were added). Each result is delivered
 * once across both forms; tasks added while results are being read are run, and their results
 * come out of the same iteration. A task that failed makes the iterator's {@code next()} throw a
 * {@link TaskFailedException}; catch it and go on reading the other results. When no worker is left
 * to run waiting tasks, {@code next()} throws {@link NoMoreWorkersException}.
 *
 * <p>Closing a context cancels its tasks that have not finished and frees its cached setup on
 * every worker, so one manager and its workers can serve many contexts one after another.
 *
 * @param <S> the setup's result type, handed to every task ({@code Void} without setup)
 * @param <R> the tasks' result type
 */
public interface Context<S, R> extends AutoCloseable {

    /** @return this context's id within its manager */
    int id();

    /**
     * Queues a task. The task is serialized now, so a task that cannot be serialized fails here.
     * Safe to call from any thread, including while iterating over results.
     *
     * @param task the task, typically a lambda
     * @return the future of its result
     * @throws IllegalStateException when the context or its manager is closed
     * @throws JParallelException when the task cannot be serialized
     */
    TaskFuture<R> addTask(Task<? super S, ? extends R> task);

    /**
     * Queues a task with a time limit. A task still running when its limit is up is interrupted on
     * its worker and fails with a {@link TaskFailedException} whose last attempt is {@link
     * TaskAttempt.Outcome#TIMED_OUT}; a task that ignores the interrupt has its worker stopped (and
     * replaced, when the manager replaces lost workers). The limit counts from the moment the task is
     * sent to a worker, not while it waits in the queue.
     *
     * @param task the task
     * @param timeout its time limit on a worker
     * @return the future of its result
     */
    TaskFuture<R> addTask(Task<? super S, ? extends R> task, java.time.Duration timeout);

    /**
     * Results as tasks complete. The iteration ends when every task added so far (including
     * tasks added during the iteration) has been delivered.
     *
     * @return a view whose iterators deliver each result once
     */
    Iterable<R> getResultsUnordered();

    /**
     * Results in the order the tasks were added, waiting for each in turn.
     *
     * @return a view whose iterators deliver each result once
     */
    Iterable<R> getResults();

    /** @return how many tasks were added and not yet delivered by either form of iteration */
    long outstanding();

    /** Cancels the unfinished tasks of this context and frees its setup on every worker. */
    @Override
    void close();
}
