package org.jparallel.core.manager;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Counts the workers that may still run tasks and keeps the dispatcher's word on what became of
 * them, so a reader waiting for results fails with that reason, instead of waiting forever, once
 * none is left. The dispatcher's summary is a walk over every worker it ever saw: it is built only
 * when the count drops to none, on the manager's loop (where every drop is made), not at each loss.
 */
final class AvailableWorkers {
    private static final String NONE_ADDED = "No workers were added to this manager. Add one with "
            + "manager.addWorker(new LocalWorker()) (or configure jparallel.workers) before reading results.";

    private final AtomicInteger available = new AtomicInteger();
    private volatile String goneSummary = NONE_ADDED;
    /** Builds the dispatcher's latest summary; touched only on the loop. */
    private Supplier<String> summary;

    /**
     * The manager is starting {@code n} more workers; {@code n} is negative when workers it counted ahead (held for
     * the workers returning after a restart) are settled, which is done on the loop.
     */
    void starting(int n) {
        if (n < 0 && available.get() + n <= 0) {
            summarize(); // before the count says none is left: a reader then finds the summary (only the loop lowers it)
        }
        available.addAndGet(n);
    }

    /** A worker the manager did not start (one started by hand) joined. */
    void joinedByHand() {
        available.incrementAndGet();
    }

    /**
     * A worker will not serve (any more); on the loop.
     *
     * @param summary builds the dispatcher's account of every worker; called here, on the loop, only when none is
     *     left
     */
    void gone(Supplier<String> summary) {
        this.summary = summary;
        if (available.get() <= 1) {
            summarize(); // before the count says none is left: a reader then finds the summary (only the loop lowers it)
        }
        available.decrementAndGet();
    }

    private void summarize() {
        if (summary != null) {
            goneSummary = summary.get() + "\nCheck each worker's output file. The waiting tasks are kept: add workers "
                    + "with manager.addWorker(...) and read the results again to run them.";
        }
    }

    /** A worker was released by automatic allocation: it no longer serves, without being gone for a fault. */
    void released() {
        if (available.get() <= 1) {
            summarize(); // as gone(): the last gone worker's summary, not "no workers were added"
        }
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
