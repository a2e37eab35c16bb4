package org.jparallel;

import java.time.Duration;
import java.time.Instant;

/**
 * A snapshot of one worker as the manager sees it, for progress displays and diagnostics.
 *
 * @param id the manager-wide worker id (the {@code %d} of the output file pattern)
 * @param description what started it and where, e.g. {@code local worker 3}
 * @param state its current state
 * @param host the host name the worker reported, or {@code null} before it connected
 * @param pid the process id the worker reported, or {@code -1} before it connected
 * @param tasksCompleted how many tasks it returned a result or an exception for
 * @param detail why it ended, for {@link State#FAILED} and {@link State#LOST}, and why it was let go for a
 *     {@link State#STOPPED} worker that automatic allocation released; otherwise empty
 * @param endOfLife when its allocation ends (a batch job's walltime, or the configured worker
 *     lifetime), as the worker reported it; {@code null} when its life has no set end or it has not
 *     connected
 * @param draining whether it no longer takes tasks because its end of life is near: it finishes what
 *     it holds and is then told to exit
 * @param slots how many tasks it runs at once (its task slots; 1 unless configured)
 * @param busySlots how many of its slots run a task now, as the manager counts them: the cpus of the tasks
 *     it holds (1 each unless a task asked for more), up to its slots (a task waiting in its prefetch is not counted)
 */
public record WorkerInfo(int id, String description, State state, String host, long pid,
                         long tasksCompleted, String detail, Instant endOfLife, boolean draining,
                         int slots, int busySlots) {

    /** A worker with one task slot. */
    public WorkerInfo(int id, String description, State state, String host, long pid, long tasksCompleted,
                      String detail, Instant endOfLife, boolean draining) {
        this(id, description, state, host, pid, tasksCompleted, detail, endOfLife, draining, 1, 0);
    }

    /** A worker whose life has no set end. */
    public WorkerInfo(int id, String description, State state, String host, long pid, long tasksCompleted,
                      String detail) {
        this(id, description, state, host, pid, tasksCompleted, detail, null, false);
    }

    /**
     * @return how long the worker has left until its allocation ends (zero once it has passed), or
     *     {@code null} when its life has no set end
     */
    public Duration remainingLifetime() {
        if (endOfLife == null) {
            return null;
        }
        Duration left = Duration.between(Instant.now(), endOfLife);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** @return how many of its slots are free now (0 unless it is connected and takes tasks) */
    public int freeSlots() {
        return state == State.CONNECTED && !draining ? Math.max(0, slots - busySlots) : 0;
    }

    /** The life of a worker as seen by the manager. */
    public enum State {
        /** Its backend is starting it; it has not connected yet. */
        STARTING,
        /** Connected and authenticated; it runs tasks. */
        CONNECTED,
        /** It never connected: it could not start, exited, or timed out. */
        FAILED,
        /** It was connected and then lost (died, hung, disconnected). */
        LOST,
        /** It was stopped by the manager after serving: at close, or released idle by automatic allocation. */
        STOPPED
    }
}
