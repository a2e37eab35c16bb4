package org.jparallel.core.dispatch;

import java.time.Duration;
import java.time.Instant;
import org.jparallel.ManagerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the dispatcher knows of how long workers live: when each connected worker is drained (its end
 * of life less the drain margin), whether a task fits a worker (it can finish before the worker is
 * drained, after the tasks the worker already holds, which a worker with several slots runs at once), and the longest time any worker group can give a
 * task, so that a task no worker could ever finish fails at once instead of waiting for ever. A group
 * whose workers have no set end counts as unbounded. Used on the dispatcher thread only.
 */
final class WorkerLifetimes {
    /** A drain time meaning the worker's life has no set end. */
    static final long NO_END = Long.MAX_VALUE;

    /** Logs under the dispatcher's name, like the dispatcher's other parts (log configs name it). */
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final ManagerSettings settings;
    private boolean anyGroup;
    private boolean anyUnbounded;
    /** The longest lifetime of a bounded group, and the time it leaves a task (lifetime less margin), in nanoseconds. */
    private long longestLifetime;
    private long longestUsable;

    WorkerLifetimes(ManagerSettings settings) {
        this.settings = settings;
    }

    /** Workers were added whose lifetime is {@code lifetime} ({@code null}: no set end). */
    void groupAdded(Duration lifetime) {
        anyGroup = true;
        if (lifetime == null) {
            anyUnbounded = true;
            return;
        }
        if (settings.drainMarginOf(lifetime).compareTo(lifetime) >= 0) {
            LOG.warn("the drain margin {} is not shorter than the workers' lifetime {} (a batch job's walltime, or "
                    + "jparallel.worker.lifetime): they are drained as they join and run nothing; shorten "
                    + "jparallel.worker.drain-margin or ask for a longer walltime", settings.drainMarginOf(lifetime), lifetime);
        }
        long usable = lifetime.minus(margin(lifetime)).toNanos();
        if (usable >= longestUsable) {
            longestUsable = usable;
            longestLifetime = lifetime.toNanos();
        }
    }

    /**
     * A worker joined reporting {@code lifetimeMillis} left to live: sets when it is drained.
     *
     * @return how long from now until it is to be drained, in milliseconds
     */
    long joined(WorkerSlot slot, long lifetimeMillis, long now) {
        Duration lifetime = Duration.ofMillis(lifetimeMillis);
        long untilDrain = Math.max(0, lifetime.minus(margin(lifetime)).toNanos());
        slot.drainAt = now + untilDrain;
        // drained (nearly) as it joins: no usable time, or less than a tenth of its margin (a margin hardly shorter
        // than its lifetime, whose start took the rest)
        slot.joinedNearItsEnd = untilDrain == 0 || untilDrain < margin(lifetime).toNanos() / 10;
        slot.endOfLife = Instant.now().plusMillis(lifetimeMillis);
        return untilDrain / 1_000_000;
    }

    private Duration margin(Duration lifetime) {
        Duration m = settings.drainMarginOf(lifetime);
        return m.compareTo(lifetime) > 0 ? lifetime : m;
    }

    /**
     * @return whether {@code t} ends before the worker is drained: started now when a slot of the worker
     *     is free, otherwise after what it holds (spread over its slots, which run the held tasks at once)
     */
    static boolean fits(WorkerSlot slot, QueuedTask t, long now) {
        return slot.drainAt == NO_END || t.expectedNanos <= slot.drainAt - now - waitForASlot(slot);
    }

    /**
     * @return how long a task sent to {@code slot} now waits at most before it starts, by the expected
     *     durations of the tasks it holds: none while a slot is free; otherwise every slot is busy until it
     *     starts, which takes at most the held tasks' time shared among the slots. A worker of one slot, or
     *     one holding tasks of several cpus, runs what it holds one after another for this reckoning.
     */
    static long waitForASlot(WorkerSlot slot) {
        if (slot.slots <= 1 || slot.multiCpuTasks > 0) {
            return slot.heldExpectedNanos;
        }
        return slot.inFlight.size() < slot.slots ? 0 : slot.heldExpectedNanos / slot.slots;
    }

    /**
     * @return why no worker of any group could ever finish a task expected to run {@code expectedNanos},
     *     or {@code null} when some could (or a group has no set end, or no group is known yet)
     */
    String neverFits(long expectedNanos) {
        if (!anyGroup || anyUnbounded || expectedNanos <= longestUsable) {
            return null;
        }
        Duration lifetime = Duration.ofNanos(longestLifetime);
        return "it is expected to run " + text(Duration.ofNanos(expectedNanos)) + ", longer than any worker can give"
                + " it: the longest worker lifetime available is " + text(lifetime) + ", less its drain margin of "
                + text(margin(lifetime)) + " (" + text(Duration.ofNanos(longestUsable)) + " for tasks). Declare a"
                + " shorter expected duration (TaskOptions.withExpectedDuration), or give workers a longer lifetime"
                + " (jparallel.worker.lifetime, the batch job's walltime) or a shorter drain margin"
                + " (jparallel.worker.drain-margin)";
    }

    /** @return a duration for people: {@code 1.5 s}, {@code 20 s}, {@code 2 h 5 min 3 s} */
    static String text(Duration d) {
        long ms = d.toMillis();
        if (ms < 60_000) {
            return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.3f s", ms / 1000.0)
                    .replaceAll("0+ s$", " s");
        }
        StringBuilder b = new StringBuilder();
        if (d.toHours() > 0) {
            b.append(d.toHours()).append(" h ");
        }
        if (d.toMinutesPart() > 0) {
            b.append(d.toMinutesPart()).append(" min ");
        }
        if (d.toSecondsPart() > 0) {
            b.append(d.toSecondsPart()).append(" s");
        }
        return b.toString().trim();
    }
}
