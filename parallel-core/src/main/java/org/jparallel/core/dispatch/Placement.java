package org.jparallel.core.dispatch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jparallel.ProgressListener;
import org.jparallel.WorkerInfo;
import org.jparallel.core.protocol.Message;

/**
 * Places waiting tasks onto the task slots of ready workers: which worker is offered tasks next, how
 * many it gets, and which. It exists apart from {@link Dispatcher}, which handles the events (workers
 * joining and leaving, answers, submissions), so that the placement rules can be read in one place.
 *
 * <p>A worker is ready while it has room: fewer tasks than its {@link PrefetchPolicy} allows (per slot,
 * times its slots), none that {@linkplain QueuedTask#runsAlone runs alone}, and, while it holds a task
 * that asks for several cpus, fewer cpus held than it has slots. A task that asks for {@code cpus} goes
 * only to a worker with that many slots free (the cpus of the tasks it holds, counting each other task
 * as one, plus the task's, within its slots), and nothing is queued behind it there beyond its slots; a
 * task that runs alone asks, in effect, for all of a worker's slots. Used only on the dispatcher thread.
 */
final class Placement {
    private final TaskQueues queues;
    private final LongTasks longTasks;
    private final PrefetchPolicy prefetch;
    private final TaskTimeouts timeouts;
    private final DispatcherStats stats;
    private final Supplier<ProgressListener> progress;
    private final LongSupplier clock;
    private final ArrayDeque<WorkerSlot> ready = new ArrayDeque<>();
    private final List<WorkerSlot> written = new ArrayList<>();
    /**
     * Workers kept for a task that runs alone or asks for several cpus, which did not fit them yet: they
     * are offered tasks again at the next pump, or at once when that task goes elsewhere (otherwise a
     * worker with a slot free waited for its own answer while the task it was kept for ran on another).
     */
    private final List<WorkerSlot> parked = new ArrayList<>();
    private boolean unparked;
    private WorkerDrains drains;

    Placement(TaskQueues queues, LongTasks longTasks, PrefetchPolicy prefetch, TaskTimeouts timeouts,
              DispatcherStats stats, Supplier<ProgressListener> progress, LongSupplier clock) {
        this.queues = queues;
        this.longTasks = longTasks;
        this.prefetch = prefetch;
        this.timeouts = timeouts;
        this.stats = stats;
        this.progress = progress;
        this.clock = clock;
    }

    /** The drains, which begin when a ready worker is offered tasks past its drain time. */
    void drainsBy(WorkerDrains workerDrains) {
        this.drains = workerDrains;
    }

    /** @return the workers ready for tasks, in the order they are offered tasks (the drains take some out) */
    ArrayDeque<WorkerSlot> ready() {
        return ready;
    }

    /** The worker gets no tasks until it is made ready again. */
    void unready(WorkerSlot slot) {
        ready.remove(slot);
        parked.remove(slot);
        slot.ready = false;
    }

    /** Drops every ready worker: the manager is closing. */
    void clear() {
        ready.clear();
        parked.clear();
    }

    /** Pumps when workers are kept for a task that did not fit them: it may have been cancelled. */
    void pumpIfParked() {
        if (!parked.isEmpty()) {
            pump();
        }
    }

    /** Offers tasks again to the workers kept for a task that did not fit them. */
    private void unpark() {
        for (int i = 0; i < parked.size(); i++) {
            makeReady(parked.get(i));
        }
        parked.clear();
        unparked = true;
    }

    /** @return whether the worker may be given another task of one cpu now */
    private boolean hasRoom(WorkerSlot slot) {
        return slot.multiCpuTasks == 0 ? slot.inFlight.size() < prefetch.capacity(slot) : slot.cpusHeld < slot.slots;
    }

    /** @return whether {@code t} may go to the worker now, as far as its cpus and running alone go */
    static boolean fits(WorkerSlot slot, QueuedTask t) {
        if (t.runsAlone) {
            return slot.inFlight.size() == 0 && t.cpus <= slot.slots;
        }
        return t.cpus <= 1 || slot.cpusHeld + t.cpus <= slot.slots;
    }

    void makeReady(WorkerSlot slot) {
        if (!slot.ready && !slot.holdsLoneTask && !slot.draining && slot.state == WorkerInfo.State.CONNECTED
                && slot.link != null
                && (slot.multiCpuTasks == 0 ? slot.inFlight.size() <= prefetch.refillAt(slot)
                        : slot.cpusHeld < slot.slots)) {
            slot.ready = true;
            ready.addLast(slot);
        }
    }

    /**
     * Hands waiting tasks to ready workers in turn, each its fair share of what waits (so a few tasks
     * spread over many workers) but several at a time when many wait (so a worker gets its tasks in
     * one write, not one write per task). A task that {@linkplain QueuedTask#runsAlone runs alone} goes
     * only to a worker that holds nothing, and that worker gets nothing more until it answers; a worker
     * that holds tasks leaves it where it is and is not offered more until it answers.
     */
    void pump() {
        long now = Long.MIN_VALUE; // read once a pump, not once a task
        if (!parked.isEmpty()) {
            unpark();
        }
        if (!longTasks.isEmpty()) {
            now = clock.getAsLong();
            placeLongTasks(now);
        }
        now = drainQueue(now);
        if (!longTasks.isEmpty()) {
            unparked = false;
            placeLongTasks(now == Long.MIN_VALUE ? clock.getAsLong() : now);
            if (unparked) {
                drainQueue(now); // a task placed aside went to a worker; those kept for it take tasks now
            }
        }
        for (int i = 0; i < written.size(); i++) { // no iterator: one a pump was 8% of the garbage
            WorkerSlot slot = written.get(i);
            if (slot.link != null) {
                slot.link.flush();
            }
        }
        written.clear();
    }

    /** Hands the queue's tasks to the ready workers; @return the clock, if it was read */
    private long drainQueue(long now) {
        drain:
        while (queues.waiting() > 0 && !ready.isEmpty()) {
            long share = Math.max(1, (queues.waiting() + ready.size() - 1) / ready.size());
            WorkerSlot slot = ready.pollFirst();
            slot.ready = false;
            if (slot.drainAt != WorkerLifetimes.NO_END) {
                if (now == Long.MIN_VALUE) {
                    now = clock.getAsLong();
                }
                if (now >= slot.drainAt) {
                    drains.begin(slot);
                    continue;
                }
            }
            for (long i = 0; i < share && hasRoom(slot); i++) {
                QueuedTask t = queues.take(slot.heldContexts);
                if (t == null) {
                    makeReady(slot);
                    break drain;
                }
                if (now == Long.MIN_VALUE) {
                    now = clock.getAsLong();
                }
                if (t.expectedNanos > 0 && !WorkerLifetimes.fits(slot, t, now)) {
                    longTasks.add(t); // it waits for a worker that lives long enough; the tasks behind it go on
                    continue;
                }
                if (t.cpus > slot.slots) {
                    longTasks.add(t); // it waits aside for a worker with enough slots; the tasks behind it go on
                    continue;
                }
                if (t.runsAlone || t.cpus > 1) {
                    if (!fits(slot, t)) {
                        queues.addFirst(t); // its place is kept, and this worker for it until it answers or t goes elsewhere
                        parked.add(slot);
                    } else {
                        send(slot, t, now);
                        slot.holdsLoneTask = t.runsAlone;
                        makeReady(slot);
                    }
                    continue drain;
                }
                send(slot, t, now);
            }
            makeReady(slot);
        }
        return now;
    }

    /** Offers the tasks set aside for a longer-lived worker to each ready worker, oldest first. */
    private void placeLongTasks(long now) {
        for (int n = ready.size(); n > 0 && !longTasks.isEmpty(); n--) {
            WorkerSlot slot = ready.pollFirst();
            slot.ready = false;
            if (slot.drainAt != WorkerLifetimes.NO_END && now >= slot.drainAt) {
                drains.begin(slot);
                continue;
            }
            while (!slot.holdsLoneTask && hasRoom(slot)) {
                QueuedTask t = longTasks.takeFitting(slot, now);
                if (t == null) {
                    break;
                }
                send(slot, t, now);
                if (t.runsAlone) {
                    slot.holdsLoneTask = true;
                }
            }
            makeReady(slot);
        }
    }

    private void send(WorkerSlot slot, QueuedTask t, long now) {
        if (slot.heldContexts.add(t.contextId)) {
            byte[] setup = queues.setupOf(t.contextId);
            if (setup != null) {
                slot.link.send(new Message.Setup(t.contextId, setup));
                stats.setupsSent++;
            }
        }
        slot.sendShapes(t.shapes);
        slot.link.send(t.message());
        slot.inFlight.add(t);
        slot.heldExpectedNanos += t.expectedNanos;
        slot.cpusHeld += t.cpus;
        if (t.cpus > 1) {
            slot.multiCpuTasks++;
        }
        t.completion.sent();
        if ((t.cpus > 1 || t.runsAlone) && !parked.isEmpty()) {
            unpark();
        }
        t.runningOn = slot;
        t.sends++;
        t.sentAt = now;
        progress.get().taskStarted(t.id(), slot.id);
        if (slot.inFlight.size() <= slot.slots) {
            timeouts.started(slot, t); // a slot of the worker is free: it starts this task as it arrives
        }
        if (written.isEmpty() || written.get(written.size() - 1) != slot) {
            written.add(slot);
        }
    }

}
