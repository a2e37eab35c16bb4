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
 */
public record ManagerStats(long tasksSubmitted, long tasksSucceeded, long tasksFailed,
                           long setupsSent, int workersStarted, int workersConnected) {
}
