package org.jparallel.core.dispatch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.jparallel.WorkerInfo;
import org.jparallel.core.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of workers' lives, for the {@link Dispatcher}: when a worker that reported a lifetime joins,
 * its drain is scheduled for its end less the drain margin; then it is taken off the ready workers,
 * the manager hears of it (it may start a replacement), and once it holds no task it is told to exit
 * (SHUTDOWN), so that its leaving is no loss. It also says whether a loss came at the walltime (in the
 * drain margin or later), which charges no task. Kept apart so that the dispatcher is left to deal with
 * tasks. Used on the dispatcher thread only.
 */
final class WorkerDrains {
    /** Logs under the dispatcher's name, like the dispatcher's other parts (log configs name it). */
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final WorkerLifetimes lifetimes;
    private final WorkerRoster roster;
    private final ArrayDeque<WorkerSlot> ready;
    private final Scheduler scheduler;
    private final LongSupplier clock;
    private final BooleanSupplier shutDown;

    /**
     * @param ready the dispatcher's ready workers, from which a draining worker is taken
     * @param scheduler runs the drain on the dispatcher thread; {@code null}: a worker is drained only
     *     when the dispatcher next offers it tasks
     * @param clock the dispatcher's clock, in nanoseconds
     * @param shutDown whether the manager is shutting down
     */
    WorkerDrains(WorkerLifetimes lifetimes, WorkerRoster roster, ArrayDeque<WorkerSlot> ready, Scheduler scheduler,
                 LongSupplier clock, BooleanSupplier shutDown) {
        this.lifetimes = lifetimes;
        this.roster = roster;
        this.ready = ready;
        this.scheduler = scheduler;
        this.clock = clock;
        this.shutDown = shutDown;
    }

    /** A worker was admitted that reported {@code lifetimeMillis} left to live (-1: no set end). */
    void joined(WorkerSlot slot, long lifetimeMillis) {
        boolean byHand = roster.startedByHand(slot);
        if (lifetimeMillis < 0) {
            if (byHand) {
                lifetimes.groupAdded(null);
            }
            return;
        }
        long untilDrain = lifetimes.joined(slot, lifetimeMillis, clock.getAsLong());
        if (byHand) {
            lifetimes.groupAdded(Duration.ofMillis(lifetimeMillis));
        }
        if (scheduler != null) {
            scheduler.schedule(() -> due(slot), untilDrain);
        }
    }

    private void due(WorkerSlot slot) {
        if (slot.state == WorkerInfo.State.CONNECTED && !slot.draining && slot.link != null
                && !shutDown.getAsBoolean()) {
            begin(slot);
        }
    }

    /**
     * The worker's end of life is within the drain margin: it gets no more tasks, finishes those it
     * holds, and is then told to exit; the manager hears of it.
     */
    void begin(WorkerSlot slot) {
        slot.draining = true;
        ready.remove(slot);
        slot.ready = false;
        LOG.info("{} is draining: its allocation ends at {}; it finishes the {} task(s) it holds and is then told "
                + "to exit", slot.name(), slot.endOfLife, slot.inFlight.size());
        roster.draining(slot);
        dismissIfIdle(slot);
    }

    /** Tells a draining worker that holds nothing to exit; its disconnection is then no loss. */
    void dismissIfIdle(WorkerSlot slot) {
        if (!slot.draining || slot.inFlight.size() > 0 || slot.link == null || slot.drained) {
            return;
        }
        slot.drained = true;
        slot.closeReason = "drained before the end of its allocation (" + slot.endOfLife + ")";
        slot.link.send(Message.Shutdown.INSTANCE);
        slot.link.flush();
    }

    /**
     * @return whether a worker whose connection just ended reached its walltime: it was gone in its
     *     drain margin or later without having been told to exit, or was told to exit
     */
    boolean endedByItsLifetime(WorkerSlot slot) {
        return slot.drained || slot.drainAt != WorkerLifetimes.NO_END && clock.getAsLong() >= slot.drainAt;
    }
}
