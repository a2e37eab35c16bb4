package org.jparallel;

import java.time.Duration;
import java.util.Objects;

/**
 * How a worker group grows and shrinks by itself (automatic allocation): the manager starts workers
 * of the group while tasks wait, up to {@code max} and never more than {@code maxPending} not yet
 * connected at once, and releases a worker that has been idle for {@code idleTimeout} while no task
 * waits, never going below {@code min}. Submissions are at least {@code minInterval} apart, and none
 * follows a release within it, so a bursty queue does not thrash the scheduler; each submission asks
 * for what the backlog needs at once, not one worker at a time.
 *
 * <pre>{@code
 * manager.addWorker(new LocalWorker(), Allocation.upTo(4).idleTimeout(Duration.ofSeconds(30)));
 * }</pre>
 *
 * @param min workers kept even when idle (started at once)
 * @param max workers at most, connected and pending together
 * @param maxPending workers at most started but not yet connected (in the scheduler's queue)
 * @param idleTimeout how long a worker may be idle, with no task waiting, before it is released
 * @param minInterval the least time between two submissions, and between a release and a submission
 */
public record Allocation(int min, int max, int maxPending, Duration idleTimeout, Duration minInterval) {
    /** The default idle timeout. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** The default least time between submissions. */
    public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofSeconds(5);

    /** Checks the values; each message names the setting and what it must be. */
    public Allocation {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(minInterval, "minInterval");
        if (max < 1) {
            throw new IllegalArgumentException("allocation max must be at least 1, got " + max);
        }
        if (min < 0 || min > max) {
            throw new IllegalArgumentException("allocation min must be between 0 and max (" + max + "), got " + min);
        }
        if (maxPending < 1) {
            throw new IllegalArgumentException("allocation max-pending must be at least 1, got " + maxPending);
        }
        if (idleTimeout.isNegative() || minInterval.isNegative()) {
            throw new IllegalArgumentException("allocation idle-timeout and min-interval must not be negative, got "
                    + idleTimeout + " and " + minInterval);
        }
    }

    /**
     * @param max workers at most
     * @return from 0 to {@code max} workers, all of which may be pending at once, with the default timeouts
     */
    public static Allocation upTo(int max) {
        return new Allocation(0, max, max, DEFAULT_IDLE_TIMEOUT, DEFAULT_MIN_INTERVAL);
    }

    /** @param n workers kept even when idle; @return a copy with this {@code min} */
    public Allocation min(int n) {
        return new Allocation(n, max, maxPending, idleTimeout, minInterval);
    }

    /** @param n workers at most pending at once; @return a copy with this {@code maxPending} */
    public Allocation maxPending(int n) {
        return new Allocation(min, max, n, idleTimeout, minInterval);
    }

    /** @param d how long a worker may be idle before it is released; @return a copy with it */
    public Allocation idleTimeout(Duration d) {
        return new Allocation(min, max, maxPending, d, minInterval);
    }

    /** @param d the least time between submissions; @return a copy with it */
    public Allocation minInterval(Duration d) {
        return new Allocation(min, max, maxPending, idleTimeout, d);
    }
}
