package org.jparallel;

/**
 * Counters over a manager's life, for summaries and progress displays.
 *
 * @param tasksSubmitted tasks added to any context
 * @param tasksSucceeded tasks that delivered a value
 * @param tasksFailed tasks that failed for good
 * @param setupsSent setups sent to workers (each runs once on its worker)
 * @param workersStarted workers asked of backends
 * @param workersConnected workers that connected and authenticated
 * @param tasksWaiting tasks that wait for a worker now (not yet sent to one)
 * @param tasksFromJournal keyed tasks added whose result came from the journal, not run (counted in {@code
 *     tasksSubmitted}, not in {@code tasksSucceeded})
 */
public record ManagerStats(long tasksSubmitted, long tasksSucceeded, long tasksFailed,
                           long setupsSent, int workersStarted, int workersConnected, long tasksWaiting,
                           long tasksFromJournal) {

    /** The counters of earlier versions, without a journal. */
    public ManagerStats(long tasksSubmitted, long tasksSucceeded, long tasksFailed,
                        long setupsSent, int workersStarted, int workersConnected, long tasksWaiting) {
        this(tasksSubmitted, tasksSucceeded, tasksFailed, setupsSent, workersStarted, workersConnected,
                tasksWaiting, 0);
    }

    /** The counters of earlier versions, with no tasks waiting. */
    public ManagerStats(long tasksSubmitted, long tasksSucceeded, long tasksFailed,
                        long setupsSent, int workersStarted, int workersConnected) {
        this(tasksSubmitted, tasksSucceeded, tasksFailed, setupsSent, workersStarted, workersConnected, 0);
    }
}
