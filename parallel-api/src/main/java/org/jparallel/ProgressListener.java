package org.jparallel;

/**
 * Hears what a manager does, for progress displays, dashboards and logs. Every method has a no-op
 * default, so implement only what you need; register with {@link Manager#addListener} or {@link
 * ManagerBuilder#listener}.
 *
 * <p>Events are delivered in the order they happened, one at a time, on a single thread of the
 * manager's ({@code jparallel-progress}), never on the thread that dispatches tasks: a slow listener
 * delays only the events behind it, not the work. Events wait in memory until delivered, so a
 * listener should still return quickly. An exception thrown by a listener is logged and ignored.
 *
 * <p>A task is {@link #taskQueued queued} once; it may be {@link #taskStarted started} more than once
 * (after its worker was lost, or when it threw and is retried); it ends once, with {@link #taskDone},
 * {@link #taskFailed} or {@link #taskCancelled}. Tasks dropped because their context or the manager
 * was closed have no end event. A cancel that reaches a task the manager had already ended (its result or
 * failure in, its future not yet completed) adds no event: the task's one end event is that {@link #taskDone}
 * or {@link #taskFailed}, even though its future says cancelled.
 */
public interface ProgressListener {

    /**
     * A task was added and waits for a worker.
     *
     * @param taskId the manager-wide task id
     * @param contextId the context it belongs to
     */
    default void taskQueued(long taskId, int contextId) {
    }

    /**
     * A task was sent to a worker.
     *
     * @param taskId the task
     * @param workerId the worker that holds it
     */
    default void taskStarted(long taskId, int workerId) {
    }

    /**
     * A task returned a value.
     *
     * @param taskId the task
     * @param workerId the worker that ran it
     */
    default void taskDone(long taskId, int workerId) {
    }

    /**
     * A task failed for good (it threw past its retries, timed out, or outlived too many workers).
     *
     * @param taskId the task
     * @param failure why, with every attempt
     */
    default void taskFailed(long taskId, TaskFailedException failure) {
    }

    /**
     * A keyed task was added whose result the journal already held: it is not run, and its result comes from
     * the journal (see {@link ManagerBuilder#journal}). No other event follows for it.
     *
     * @param taskId the task
     * @param contextId the context it belongs to
     */
    default void taskFromJournal(long taskId, int contextId) {
    }

    /**
     * The user cancelled a task before the manager ended it.
     *
     * @param taskId the task
     */
    default void taskCancelled(long taskId) {
    }

    /**
     * A worker connected, authenticated and takes tasks. Also sent, on registration, for every worker
     * already connected.
     *
     * @param worker the worker, in state {@link WorkerInfo.State#CONNECTED}
     */
    default void workerJoined(WorkerInfo worker) {
    }

    /**
     * A connected worker was lost (died, hung past the heartbeat timeout, disconnected); its tasks go
     * to other workers.
     *
     * @param worker the worker, in state {@link WorkerInfo.State#LOST}, with the reason in its detail
     */
    default void workerLost(WorkerInfo worker) {
    }

    /**
     * A started worker will never connect: it could not start, exited, or did not connect in time.
     *
     * @param worker the worker, in state {@link WorkerInfo.State#FAILED}; its detail says why and
     *     quotes the end of its output
     */
    default void workerFailed(WorkerInfo worker) {
    }

    /**
     * A worker's end of life is near (its allocation's walltime, or its configured lifetime, less the
     * drain margin): it takes no more tasks, finishes those it holds and is then told to exit.
     *
     * @param worker the worker, {@linkplain WorkerInfo#draining() draining}
     */
    default void workerDraining(WorkerInfo worker) {
    }

    /**
     * A drained worker left as told, before its end of life: it is gone, but was not lost.
     *
     * @param worker the worker, now {@link WorkerInfo.State#STOPPED}
     */
    default void workerDrained(WorkerInfo worker) {
    }
}
