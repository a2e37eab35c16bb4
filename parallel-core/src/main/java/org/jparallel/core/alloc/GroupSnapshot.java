package org.jparallel.core.alloc;

import java.util.List;

/**
 * What the allocation policy sees of one worker group at one moment: the backlog, the group's
 * workers, and its recent history (for the hysteresis and the backoff after failed starts).
 *
 * @param nowNanos the time, on the allocator's clock
 * @param tasksWaiting tasks waiting for a worker (the backlog this group is asked to serve), those below included
 * @param tasksWaitingForLongerLife of those, tasks that wait for a worker that lives long enough to finish them
 *     (by their declared expected durations): none of the connected workers can take them, a fresh one can
 * @param connected the group's connected workers
 * @param pending the group's workers started but not connected (in the scheduler's queue)
 * @param lastSubmitNanos when the group last submitted workers, or {@link #NEVER}
 * @param lastReleaseNanos when the group last released a worker, or {@link #NEVER}
 * @param failedStartsInARow workers of the group that failed to start since one last connected
 * @param everConnected whether a worker of the group ever connected
 * @param pendingEndingSoon of the pending workers, those whose allocation will end soon after they connect,
 *     as far as the group's recent starts predict (a queue slower than the lifetime less twice the drain
 *     margin): they are replaced before they connect, as a connected worker ending soon is
 */
public record GroupSnapshot(long nowNanos, long tasksWaiting, long tasksWaitingForLongerLife, List<Worker> connected,
                            int pending, long lastSubmitNanos, long lastReleaseNanos, int failedStartsInARow,
                            boolean everConnected, int pendingEndingSoon) {
    /** The time of something that never happened. */
    public static final long NEVER = Long.MIN_VALUE;

    /** Checks that the tasks waiting for a longer life are among those waiting, and the pending ending soon among the pending. */
    public GroupSnapshot {
        if (tasksWaitingForLongerLife < 0 || tasksWaitingForLongerLife > tasksWaiting) {
            throw new IllegalArgumentException("tasks waiting for a longer life (" + tasksWaitingForLongerLife
                    + ") must be between 0 and the tasks waiting (" + tasksWaiting + ")");
        }
        if (pendingEndingSoon < 0 || pendingEndingSoon > pending) {
            throw new IllegalArgumentException("pending workers ending soon (" + pendingEndingSoon
                    + ") must be between 0 and the pending workers (" + pending + ")");
        }
    }

    /** A snapshot in which no pending worker is predicted to end soon. */
    public GroupSnapshot(long nowNanos, long tasksWaiting, long tasksWaitingForLongerLife, List<Worker> connected,
                         int pending, long lastSubmitNanos, long lastReleaseNanos, int failedStartsInARow,
                         boolean everConnected) {
        this(nowNanos, tasksWaiting, tasksWaitingForLongerLife, connected, pending, lastSubmitNanos, lastReleaseNanos,
                failedStartsInARow, everConnected, 0);
    }

    /** A snapshot in which no task waits for a longer-lived worker. */
    public GroupSnapshot(long nowNanos, long tasksWaiting, List<Worker> connected, int pending, long lastSubmitNanos,
                         long lastReleaseNanos, int failedStartsInARow, boolean everConnected) {
        this(nowNanos, tasksWaiting, 0, connected, pending, lastSubmitNanos, lastReleaseNanos, failedStartsInARow,
                everConnected, 0);
    }

    /**
     * One connected worker.
     *
     * @param id its id
     * @param busy whether it holds a task
     * @param idleSinceNanos since when it holds none (meaningless when busy)
     * @param endingSoon whether it will stop taking tasks soon (its allocation is about to end), so that
     *     a busy one is replaced before it goes
     */
    public record Worker(int id, boolean busy, long idleSinceNanos, boolean endingSoon) {

        /** A worker that is not ending soon. */
        public Worker(int id, boolean busy, long idleSinceNanos) {
            this(id, busy, idleSinceNanos, false);
        }
    }

    /** @return the workers that will still take tasks a while: connected or pending, less those ending soon */
    public int alive() {
        return connected.size() - endingSoon() + pending - pendingEndingSoon;
    }

    /** @return how many connected workers will stop taking tasks soon */
    public int endingSoon() {
        int n = 0;
        for (Worker w : connected) {
            if (w.endingSoon) {
                n++;
            }
        }
        return n;
    }

    /** @return how many connected workers hold a task */
    public int busy() {
        int n = 0;
        for (Worker w : connected) {
            if (w.busy) {
                n++;
            }
        }
        return n;
    }
}
