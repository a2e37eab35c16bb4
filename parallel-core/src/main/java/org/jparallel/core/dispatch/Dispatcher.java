package org.jparallel.core.dispatch;

import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.jparallel.ManagerSettings;
import org.jparallel.ProgressListener;
import org.jparallel.RemoteTaskException;
import org.jparallel.TaskFailedException;
import org.jparallel.core.protocol.HeldPayload;
import org.jparallel.WorkerInfo;
import org.jparallel.core.protocol.Message;
import org.jparallel.spi.WorkerHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's state machine: workers, contexts, waiting and running tasks. It is confined to one
 * thread (the manager's event loop), so it takes no locks; every method must be called on that
 * thread. It never touches a socket: it writes to {@link WorkerLink}s, which makes it testable
 * without any.
 *
 * <p>Rules: a worker holds at most as many tasks as its {@link PrefetchPolicy} allows (automatic by
 * default: one until its first answer, then about {@link ManagerSettings#AUTO_PREFETCH_WORK_MICROS} of
 * work; per task slot: a worker that runs N tasks at once holds N times as many); which tasks go where is
 * decided by {@link Placement} (a task asking for several cpus goes only where that many slots are free);
 * the workers themselves are kept by a {@link WorkerRoster}; for a worker, a task of a context whose
 * setup it already holds is preferred, otherwise the oldest waiting task; a worker's first task of
 * a context is preceded by the context's setup. A task on a lost worker goes back to the front of
 * its queue; it is charged a lost attempt only when it may have been running there (see
 * {@link #workerDisconnected}), and fails once its lost-worker budget is spent; a task that threw is
 * run again until its retry budget is spent (both done by {@link EndedAttempts}). A task's time limit
 * starts when a slot of its worker reaches it: when it is sent to a worker that holds fewer tasks than
 * slots, or when the worker answers a task that ran while it waited.
 * A result counts only from the worker that holds the task, so each task completes exactly once.
 * A task that declares an expected duration goes only to a worker that lives long enough to finish it
 * ({@link WorkerLifetimes}); one that fits no live worker waits aside ({@link LongTasks}) while the tasks
 * behind it go on; workers are drained before their end ({@link WorkerDrains}).
 */
public final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final PrefetchPolicy prefetch;
    private final WorkerRoster roster;
    private final TaskQueues queues = new TaskQueues();
    private final Placement placement;
    private final TaskTimeouts timeouts;
    private final DispatcherStats stats;
    private final WorkerLifetimes lifetimes;
    private final WorkerDrains drains;
    private final EndedAttempts ended;
    private final LongTasks longTasks = new LongTasks();
    private final SlotFit slotFit = new SlotFit();
    private boolean shutDown;
    private ProgressListener progress = new ProgressListener() { };
    private LongSupplier clock = System::nanoTime;

    /**
     * @param settings prefetch depth and failure budgets
     * @param listener the manager around the dispatcher
     * @param newWorkerId hands out ids for workers that were not started by this manager
     */
    public Dispatcher(ManagerSettings settings, DispatcherListener listener, IntSupplier newWorkerId) {
        this(settings, listener, newWorkerId, null);
    }

    /**
     * @param settings prefetch depth and failure budgets
     * @param listener the manager around the dispatcher
     * @param newWorkerId hands out ids for workers that were not started by this manager
     * @param scheduler runs task-timeout checks on the dispatcher thread
     */
    public Dispatcher(ManagerSettings settings, DispatcherListener listener, IntSupplier newWorkerId,
                      Scheduler scheduler) {
        FailureBudget budget = new FailureBudget(settings.maxLostAttempts(), settings.taskRetries());
        this.prefetch = new PrefetchPolicy(settings.prefetch());
        this.roster = new WorkerRoster(listener, newWorkerId);
        this.timeouts = new TaskTimeouts(scheduler, budget, this::fail, this::stopWorker);
        this.stats = new DispatcherStats(roster, queues, longTasks);
        this.lifetimes = new WorkerLifetimes(settings);
        this.placement = new Placement(queues, longTasks, prefetch, timeouts, stats, () -> progress,
                () -> clock.getAsLong());
        this.drains = new WorkerDrains(lifetimes, roster, placement.ready(), scheduler, () -> clock.getAsLong(),
                () -> shutDown);
        placement.drainsBy(drains);
        this.ended = new EndedAttempts(budget, queues, stats, () -> progress);
    }

    /**
     * Sends task and worker events to {@code events}, called on the dispatcher thread (it must hand
     * them on, not block).
     */
    public void progressTo(ProgressListener events) {
        this.progress = events;
        roster.progressTo(events);
    }

    /** Replaces the clock (nanoseconds) that times tasks for the automatic prefetch: for tests. */
    void useClock(LongSupplier nanos) {
        this.clock = nanos;
    }

    // ---- workers ------------------------------------------------------------------------------

    /** Workers with these ids, whose life has no set end, are being started by a backend. */
    public void workersAdded(List<Integer> ids, String description) {
        workersAdded(ids, description, null);
    }

    /** Workers with these ids, each with one slot and living {@code lifetime} ({@code null}: no set end), are being started. */
    public void workersAdded(List<Integer> ids, String description, java.time.Duration lifetime) {
        workersAdded(ids, description, lifetime, 1);
    }

    /**
     * Workers with these ids are being started by a backend.
     *
     * @param lifetime how long each lives from its start, or {@code null} for no set end: a task that
     *     no group's workers could finish fails at once
     * @param slots how many tasks each runs at once, or 0 when only the workers know ({@code auto}): a
     *     task asking for more cpus than any group's workers have fails at once
     */
    public void workersAdded(List<Integer> ids, String description, java.time.Duration lifetime, int slots) {
        roster.added(ids, description);
        lifetimes.groupAdded(lifetime);
        slotFit.groupAdded(slots);
    }

    /** The backend returned the handle of a worker being started. */
    public void handleAttached(WorkerHandle handle) {
        roster.handleAttached(handle);
    }

    /** A worker that has not connected will not: it could not start, exited, or timed out. */
    public void workerFailedToStart(int id, String detail) {
        roster.failedToStart(id, detail);
    }

    /**
     * An authenticated worker asks to join. When admitted, the caller sends the welcome and then
     * calls {@link #attach}, so no task can reach the worker before its welcome.
     */
    public Admission admit(Message.Hello hello) {
        if (shutDown) {
            // a late one of its own starting workers is a normal close; anyone else is worth a warning
            return new Admission(-1, "the manager is shutting down", roster.wasStartingAtShutdown(hello.workerId()));
        }
        Admission a = roster.admit(hello);
        if (a.admitted()) {
            WorkerSlot slot = roster.get(a.workerId());
            drains.joined(slot, hello.lifetimeMillis());
            roster.announceJoined(slot); // with its end of life, for displays of the remaining time
            slotFit.workerJoined(hello.slots());
        }
        return a;
    }

    /** An admitted worker has been welcomed: give it work. */
    public void attach(int workerId, WorkerLink link) {
        WorkerSlot slot = roster.attach(workerId, link);
        if (slot == null) {
            return;
        }
        placement.makeReady(slot);
        placement.pump();
    }

    /** A worker's connection is gone (closed, reset, or silent past its timeout): its tasks go back to the front. */
    public void workerDisconnected(int id, String reason) {
        WorkerSlot slot = roster.markDisconnected(id, reason, shutDown, drains::endedByItsLifetime);
        if (slot == null) {
            return;
        }
        placement.unready(slot);
        ended.workerLost(slot, shutDown);
        if (slot.drained) {
            roster.announceDrained(slot);
        } else {
            roster.announceLoss(slot, shutDown);
        }
        placement.pump();
    }

    /**
     * Lets an idle worker go (automatic allocation): it gets no more tasks, is told to shut down and is
     * marked {@link WorkerInfo.State#STOPPED} with {@code reason}; it is not lost, so nothing is replaced
     * or charged.
     *
     * @param stop given the worker's handle (when it has one) to stop its process or job once it had
     *     time to exit
     * @return false when it was not connected or held a task: nothing was done
     */
    public boolean release(int workerId, String reason, java.util.function.Consumer<WorkerHandle> stop) {
        WorkerSlot slot = roster.release(workerId, reason);
        if (slot == null) {
            return false;
        }
        placement.unready(slot);
        if (slot.handle != null) {
            stop.accept(slot.handle);
        }
        return true;
    }

    // ---- results --------------------------------------------------------------------------------

    /** A worker returned a task's value; how long it worked on the task is not known. */
    public void onResult(int workerId, long taskId, byte[] payload) {
        onResult(workerId, taskId, -1, payload, false);
    }

    /**
     * A worker returned a task's value after working on it for {@code workMicros} (-1: not known);
     * with {@code rawBytes}, the value is a {@code byte[]} and {@code payload} is that array.
     */
    public void onResult(int workerId, long taskId, int workMicros, byte[] payload, boolean rawBytes) {
        onResult(workerId, taskId, workMicros, (Object) payload, rawBytes);
    }

    /** As {@link #onResult(int, long, int, byte[], boolean)}, the payload waiting outside the heap. */
    public void onResult(int workerId, long taskId, int workMicros, HeldPayload payload, boolean rawBytes) {
        onResult(workerId, taskId, workMicros, (Object) payload, rawBytes);
    }

    private void onResult(int workerId, long taskId, int workMicros, Object payload, boolean rawBytes) {
        QueuedTask t = finish(workerId, taskId, workMicros);
        if (t != null) {
            t.done = true;
            t.freePayloadIfSentOnce();
            stats.succeeded++;
            if (payload instanceof HeldPayload h) {
                t.completion.succeededHeld(h, rawBytes);
            } else if (rawBytes) {
                t.completion.succeededWithBytes((byte[]) payload);
            } else {
                t.completion.succeeded((byte[]) payload);
            }
            progress.taskDone(t.id(), workerId);
            // only once its end is posted: had succeeded* thrown, a later cancel's taskCancelled is its only end
            // event (cancel runs on this thread too, never in between)
            t.completion.ended();
        } else if (payload instanceof HeldPayload h) {
            h.free(); // a result that does not count: its memory (read buffers, maybe) back now, not at a GC
        }
        placement.pump();
    }

    /** A worker reports that a task (or its setup) threw. */
    public void onFailure(int workerId, long taskId, RemoteTaskException error) {
        QueuedTask t = finish(workerId, taskId, PrefetchPolicy.FAILED);
        if (t != null) {
            ended.threw(t, roster.get(workerId), error);
        }
        placement.pump();
    }

    private void fail(QueuedTask t, TaskFailedException failure) {
        ended.fail(t, failure);
    }

    /**
     * @return true when the worker holds the task and its answer still counts: only then is the
     *     payload of its FAILURE worth reading (a RESULT's is read only by the task's own future)
     */
    public boolean holds(int workerId, long taskId) {
        WorkerSlot slot = roster.get(workerId);
        QueuedTask t = slot == null ? null : slot.inFlight.get(taskId);
        return t != null && !t.isOver();
    }

    private QueuedTask finish(int workerId, long taskId, int workMicros) {
        WorkerSlot slot = roster.get(workerId);
        int position = slot == null ? -1 : slot.inFlight.position(taskId);
        QueuedTask t = position < 0 ? null : slot.inFlight.remove(taskId);
        if (t == null) {
            LOG.debug("dropped a late or unknown result of task {} from worker {}", taskId, workerId);
            return null;
        }
        slot.heldExpectedNanos -= t.expectedNanos;
        slot.cpusHeld -= t.cpus;
        if (t.cpus > 1) {
            slot.multiCpuTasks--;
        }
        if (position < slot.slots) { // it ran in a slot: the worker runs its tasks in order, so the slot takes the next
            slot.holdsLoneTask = false;
            timeouts.started(slot, slot.inFlight.at(slot.slots - 1));
        }
        t.runningOn = null;
        slot.tasksCompleted++;
        roster.answered(slot); // told to the manager only on its first answer since a loss: a field compare
        PrefetchPolicy.answered(slot, t.sentAt, clock, workMicros);
        drains.dismissIfIdle(slot);
        placement.makeReady(slot);
        return t.isOver() ? null : t;
    }

    // ---- contexts and tasks -------------------------------------------------------------------

    /** A context was created; {@code setupPayload} is {@code null} when it has no setup. */
    public void openContext(int id, byte[] setupPayload) {
        queues.open(id, setupPayload);
    }

    /** A context was closed: drop its waiting tasks and free its setup on every worker. */
    public void closeContext(int id) {
        List<QueuedTask> dropped = queues.close(id);
        if (dropped == null) {
            return;
        }
        dropped.forEach(t -> t.abandonUnlessOver("its context was closed"));
        if (!longTasks.isEmpty()) {
            longTasks.removeContext(id).forEach(t -> t.abandonUnlessOver("its context was closed"));
        }
        roster.contextClosed(id);
        placement.pumpIfParked(); // a worker kept for one of its tasks takes others now
    }

    /** A task was added. */
    public void submit(QueuedTask t) {
        enqueue(t);
        placement.pump();
    }

    /** Tasks were added, in this order: queue them all, then dispatch once. */
    public void submitAll(Iterable<QueuedTask> tasks) {
        for (QueuedTask t : tasks) {
            enqueue(t);
        }
        placement.pump();
    }

    private void enqueue(QueuedTask t) {
        timeouts.checkSupported(t);
        if ((t.expectedNanos > 0 || t.cpus > 1) && !shutDown && queues.isOpen(t.contextId)) {
            String never = t.cpus > 1 ? slotFit.neverFits(t.cpus) : null;
            if (never == null && t.expectedNanos > 0) {
                never = lifetimes.neverFits(t.expectedNanos);
            }
            if (never != null) {
                t.done = true;
                fail(t, new TaskFailedException(t.id(), t.key(), never, t.attempts()));
                return;
            }
        }
        if (shutDown || !queues.addLast(t)) {
            t.completion.abandoned(shutDown ? "the manager is closed" : queues.whyNotOpen(t));
            return;
        }
        progress.taskQueued(t.id(), t.contextId);
    }

    /**
     * The user cancelled a task: if a worker holds it, tell the worker to skip it, and to interrupt it
     * if it already runs and {@code interrupt} is set. A task never sent is on no worker, so none is
     * searched (cancelling a million queued tasks searched every worker's tasks a million times).
     */
    public void cancel(TaskCompletion task, boolean interrupt) {
        if (!task.wasEnded()) { // else its end was posted (the program's cancel won only against its future): once
            progress.taskCancelled(task.taskId());
        }
        if (task.wasSent()) { // a worker may hold it (or it is back in the queue, after its worker was lost)
            roster.cancel(task.taskId(), interrupt);
        }
        placement.pumpIfParked(); // a waiting task is skipped when its turn comes; a worker kept for it takes others
    }

    /**
     * Tells a worker to shut down and closes its connection; no more writes to it: {@link #workerDisconnected}
     * comes later. The SHUTDOWN keeps the worker from seeking its manager again as if the manager had died.
     */
    private void stopWorker(WorkerSlot slot) {
        WorkerLink link = slot.link;
        slot.link = null;
        placement.unready(slot);
        link.send(Message.Shutdown.INSTANCE);
        link.flush();
        link.close();
    }

    // ---- shutdown and views ---------------------------------------------------------------------

    /** The manager is closing: tell connected workers to exit and abandon every unfinished task. */
    public void shutdown() {
        shutDown = true;
        queues.drainAll().forEach(t -> t.abandonUnlessOver("the manager was closed"));
        longTasks.drainAll().forEach(t -> t.abandonUnlessOver("the manager was closed"));
        roster.shutdown();
        placement.clear();
    }

    /** @return the counts and views of what the dispatcher did and holds (read them on its thread) */
    public DispatcherStats stats() {
        return stats;
    }
}
