package org.jparallel.core.dispatch;

import java.util.function.LongSupplier;
import org.jparallel.ManagerSettings;

/**
 * How many tasks a worker may hold at once. It exists so the sizing rule can be read and tuned in one
 * place while the dispatcher's loop only asks "is there room for another task?". A fixed prefetch
 * setting is used as it is. A setting of 0 means automatic: one task until the worker first answers,
 * then about {@link ManagerSettings#AUTO_PREFETCH_WORK_MICROS} of work (at most
 * {@link ManagerSettings#AUTO_PREFETCH_MAX} tasks), based on a moving average of how long the
 * worker's tasks took. That average is kept per worker in {@link WorkerSlot}. Both are per task
 * slot: a worker that runs N tasks at once holds N times as many (each slot has its own prefetch, so
 * a slot that finishes a task finds the next one there, as a one-slot worker does). Used only on the
 * dispatcher thread.
 */
final class PrefetchPolicy {
    private final int fixed;

    /** @param prefetch the prefetch setting: how many tasks a worker holds, or 0 for automatic */
    PrefetchPolicy(int prefetch) {
        this.fixed = prefetch;
    }

    /** @return how many tasks {@code slot} may hold: the fixed prefetch, or the automatic depth, times its slots */
    int capacity(WorkerSlot slot) {
        return slot.slots == 1 ? perSlot(slot) : perSlot(slot) * slot.slots;
    }

    private int perSlot(WorkerSlot slot) {
        if (fixed > 0) {
            return fixed;
        }
        if (slot.averageNanos < 0) {
            return 1;
        }
        long depth = ManagerSettings.AUTO_PREFETCH_WORK_MICROS * 1_000 / Math.max(1, slot.averageNanos);
        return (int) Math.max(1, Math.min(ManagerSettings.AUTO_PREFETCH_MAX, depth));
    }

    /**
     * @return how many tasks {@code slot} may hold and still be refilled: a worker whose holding is
     *     down to this gets tasks up to its {@link #capacity} in one go. Half the capacity, so a worker
     *     running tiny tasks gets them in writes of half its depth rather than one write per answer
     *     (one task a write, one wake-up of each thread a task, was the steady state with 4 workers on
     *     2 cores, measured); a depth of 1 or 2 is refilled as soon as there is room. Never below
     *     its slots less one: a worker with a slot free is refilled at once (a 4-slot worker holding
     *     3 long tasks left the 4th waiting with a slot free)
     */
    int refillAt(WorkerSlot slot) {
        int c = capacity(slot);
        return Math.max(slot.slots - 1, c - Math.max(1, c / 2));
    }

    /** The work time of a task that threw: such an answer leaves the average as it is. */
    static final int FAILED = Integer.MIN_VALUE;

    /**
     * Adds one answer from {@code slot} to its average task time. Where the worker reports how long
     * it worked ({@code workMicros}, otherwise -1), that figure is used, and the clock is not read
     * (twice a task was a few percent of the manager's loop with tiny tasks). Where it does not, the
     * task is taken to have begun at the later of the time it was sent and the time of the previous
     * answer timed this way (a worker runs its tasks in the order they were sent). That estimate also
     * counts time in the network and in queues.
     */
    static void answered(WorkerSlot slot, long sentAt, LongSupplier clock, int workMicros) {
        if (workMicros == FAILED) {
            return; // a task that threw says little about how long the next ones take
        }
        long nanos;
        if (workMicros >= 0) {
            nanos = workMicros * 1_000L;
        } else {
            long now = clock.getAsLong();
            long began = slot.lastAnswerAt == Long.MIN_VALUE ? sentAt : Math.max(sentAt, slot.lastAnswerAt);
            nanos = Math.max(0, now - began);
            slot.lastAnswerAt = now;
        }
        slot.averageNanos = slot.averageNanos < 0 ? nanos : (slot.averageNanos * 7 + nanos) / 8;
    }
}
