package org.jparallel.core.dispatch;

/**
 * How a connected worker came to be lost, as the dispatcher tells the manager ({@link DispatcherListener#workerLost}):
 * only an unasked-for loss may be a sign that something kills every worker, so only it counts toward the manager's
 * guard against replacing workers for ever; and a draining worker's replacement was started when it began draining.
 */
public enum WorkerLoss {
    /** Its connection ended unasked for (a crash, a kill, a silence, a task that ended its JVM): it counts. */
    UNASKED,
    /** The manager stopped it itself (a task that ignored its interruption) or its lifetime ran out: not counted. */
    ENDED,
    /** It was draining: the manager heard so ({@link DispatcherListener#workerDraining}) and may have replaced it then. */
    DRAINING;

    /** @return the kind of loss of a worker the dispatcher just marked lost */
    static WorkerLoss of(WorkerSlot slot) {
        if (slot.draining) {
            return DRAINING;
        }
        return slot.closeReason != null || slot.endedByItsLifetime ? ENDED : UNASKED;
    }
}
