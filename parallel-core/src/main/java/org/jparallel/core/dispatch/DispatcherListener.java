package org.jparallel.core.dispatch;

import java.util.function.Supplier;
import org.jparallel.spi.WorkerHandle;

/** What the dispatcher tells the manager around it; called on the dispatcher thread, must not block. */
public interface DispatcherListener {
    /** A started worker connected: stop watching its start. */
    void workerConnected(int workerId);

    /**
     * A worker the manager did not start joined (started by hand, or a previous run's worker returning to a
     * restarted manager); its id is the one the dispatcher gave it. By default, {@code workerConnected(-1)}.
     */
    default void workerJoinedByHand(int workerId) {
        workerConnected(-1);
    }

    /**
     * A connected worker was lost (not at shutdown): the manager may start a replacement.
     *
     * @param loss how it was lost: a draining worker is not replaced again, and only an unasked-for loss counts
     *     toward the manager's guard
     * @return why it was not replaced, a sentence added to the worker's detail, or {@code null}
     */
    default String workerLost(int workerId, WorkerLoss loss) {
        return null;
    }

    /**
     * @return whether the manager stopped replacing the lost workers of this worker's group because of its guard
     *     against a loop (asked after {@link #workerLost} refused, for the summary's hint)
     */
    default boolean replacementsStopped(int workerId) {
        return false;
    }

    /**
     * A worker answered a task (a result or the task's own failure), its first answer since any worker was
     * lost (and the first answer of a worker that joined since): its group's workers can run tasks. Not called for
     * every answer, so that it costs nothing per task.
     */
    default void workerAnswered(int workerId) {
    }

    /**
     * A worker began draining (its end of life is near): it takes no more tasks and leaves once it
     * has finished those it holds. The manager may start a replacement now, so that it connects before
     * the old one leaves.
     *
     * @param answered whether the drain says nothing against the group: the worker answered a task since it
     *     started, or it joined with some usable lifetime and simply had nothing to do; a worker that joined with
     *     no time before its drain and answered nothing counts toward its group's losses in a row (a drain margin
     *     not shorter than the workers' lifetime drains every worker as it joins)
     * @return why it is not replaced (the manager's guard stopped its group, say), a sentence added to the worker's
     *     detail once it is gone, so that the error the program gets when no worker is left says it; or {@code null}
     */
    default String workerDraining(int workerId, boolean answered) {
        return null;
    }

    /**
     * A worker being started will not connect (it exited, was killed, or timed out): the manager may
     * start a replacement.
     *
     * @return why it was not replaced, a sentence added to the worker's detail, or {@code null}
     */
    default String workerFailedToStart(int workerId) {
        return null;
    }

    /**
     * A worker will not serve (any more).
     *
     * @param summary builds what became of every worker, for the error when none is left: a walk over every worker
     *     ever seen, so call it only when that error needs it, and only on the dispatcher thread (it reads the
     *     dispatcher's state)
     */
    void workerGone(Supplier<String> summary);

    /** Stop a worker's process (a lost or hung worker must not go on running its tasks). */
    void stopWorker(WorkerHandle handle);
}
