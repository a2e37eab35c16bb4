package org.jparallel.core.manager;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the workers that may still run tasks and keeps the dispatcher's word on what became of
 * them, so a reader waiting for results fails with that reason, instead of waiting forever, once
 * none is left.
 */
final class AvailableWorkers {
    private static final String NONE_ADDED = "No workers were added to this manager. Add one with "
            + "manager.addWorker(new LocalWorker()) (or configure jparallel.workers) before reading results.";

    private final AtomicInteger available = new AtomicInteger();
    private volatile String goneSummary = NONE_ADDED;

    /** The manager is starting {@code n} more workers. */
    void starting(int n) {
        available.addAndGet(n);
    }

    /** A worker the manager did not start (one started by hand) joined. */
    void joinedByHand() {
        available.incrementAndGet();
    }

    /**
     * A worker will not serve (any more).
     *
     * @param summary the dispatcher's account of every worker
     */
    void gone(String summary) {
        goneSummary = summary + "\nCheck each worker's output file. The waiting tasks are kept: add workers with "
                + "manager.addWorker(...) and read the results again to run them.";
        available.decrementAndGet();
    }

    /** A worker was released by automatic allocation: it no longer serves, without being gone for a fault. */
    void released() {
        available.decrementAndGet();
    }

    /** @return why no worker is left to run waiting tasks, or {@code null} while some may */
    String noneLeftReason() {
        if (available.get() > 0) {
            return null;
        }
        return "No worker is left to run the waiting tasks. " + goneSummary;
    }
}
