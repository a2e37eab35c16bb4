package org.jparallel.core.dispatch;

import org.jparallel.spi.WorkerHandle;

/** What the dispatcher tells the manager around it; called on the dispatcher thread, must not block. */
public interface DispatcherListener {
    /** A started worker connected: stop watching its start. */
    void workerConnected(int workerId);

    /** A connected worker was lost (not at shutdown): the manager may start a replacement. */
    default void workerLost(int workerId) {
    }

    /**
     * A worker will not serve (any more).
     *
     * @param summary what became of every worker, for the error when none is left
     */
    void workerGone(String summary);

    /** Stop a worker's process (a lost or hung worker must not go on running its tasks). */
    void stopWorker(WorkerHandle handle);
}
