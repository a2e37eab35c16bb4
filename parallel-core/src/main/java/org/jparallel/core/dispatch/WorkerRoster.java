package org.jparallel.core.dispatch;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import org.jparallel.ProgressListener;
import org.jparallel.WorkerInfo;
import org.jparallel.core.protocol.Message;
import org.jparallel.spi.WorkerHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher's table of workers, by id. It records which workers are being started, which have
 * joined, and which are gone and why. It also sends the messages meant for workers in general
 * (release a context, cancel a task, shut down). It exists so that admission and loss bookkeeping
 * (worker states, handles, the manager's worker events) live apart from {@link Dispatcher}, which is
 * left to deal with tasks. Used only on the dispatcher thread, like the dispatcher.
 */
final class WorkerRoster {
    /** Logs under the dispatcher's name, as before this class was split from it (log configs name it). */
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private static final String BY_HAND = "started by hand";

    private final Map<Integer, WorkerSlot> slots = new TreeMap<>();
    /** The workers this manager started that had not connected when it shut down. */
    private final Set<Integer> startingAtShutdown = new HashSet<>();
    private final DispatcherListener listener;
    private final IntSupplier newWorkerId;
    private ProgressListener progress = new ProgressListener() { };
    private int connectedEver;
    /** How many workers were lost (not at shutdown): a worker's first answer after each is told to the manager. */
    private int losses;

    /**
     * @param listener the manager around the dispatcher
     * @param newWorkerId hands out ids for workers that were not started by this manager
     */
    WorkerRoster(DispatcherListener listener, IntSupplier newWorkerId) {
        this.listener = listener;
        this.newWorkerId = newWorkerId;
    }

    /** Sends worker events to {@code events}. */
    void progressTo(ProgressListener events) {
        this.progress = events;
    }

    /** @return the worker with this id, or {@code null} */
    WorkerSlot get(int id) {
        return slots.get(id);
    }

    /** Workers with these ids are being started by a backend. */
    void added(List<Integer> ids, String description) {
        for (int id : ids) {
            slots.put(id, new WorkerSlot(id, description));
        }
    }

    /** The backend returned the handle of a worker being started; stops it if it is not wanted. */
    void handleAttached(WorkerHandle handle) {
        WorkerSlot slot = slots.get(handle.workerId());
        if (slot == null) {
            listener.stopWorker(handle);
            return;
        }
        slot.handle = handle;
        if (!slot.isAvailable()) {
            listener.stopWorker(handle);
        }
    }

    /**
     * A worker that has not connected will not: it could not start, exited, or timed out. The manager
     * is asked for a replacement before it hears the worker is gone, so the pool never looks empty
     * while a replacement is on its way.
     */
    void failedToStart(int id, String detail) {
        WorkerSlot slot = slots.get(id);
        if (slot == null || slot.state != WorkerInfo.State.STARTING) {
            return;
        }
        slot.state = WorkerInfo.State.FAILED;
        slot.detail = detail;
        LOG.warn("{} failed to start: {}", slot.name(), detail);
        if (slot.handle != null) {
            listener.stopWorker(slot.handle);
        }
        String notReplaced = listener.workerFailedToStart(id);
        if (notReplaced != null) {
            slot.detail = detail + "\n" + notReplaced;
        }
        progress.workerFailed(slot.info());
        listener.workerGone(this::goneSummary);
    }

    /**
     * An authenticated worker asks to join (the manager is not shutting down); once admitted, the caller
     * sets its end of life and then {@linkplain #announceJoined announces} it.
     */
    Admission admit(Message.Hello hello) {
        WorkerSlot slot = slots.get(hello.workerId());
        if (slot == null) {
            slot = new WorkerSlot(newWorkerId.getAsInt(), BY_HAND);
            slots.put(slot.id, slot);
            listener.workerJoinedByHand(slot.id);
        } else if (slot.state != WorkerInfo.State.STARTING) {
            return new Admission(-1, "worker id " + hello.workerId() + " is " + slot.state
                    + (slot.detail.isEmpty() ? "" : " (" + slot.detail + ")"));
        } else {
            listener.workerConnected(slot.id);
        }
        slot.state = WorkerInfo.State.CONNECTED;
        slot.host = hello.host();
        slot.pid = hello.pid();
        slot.slots = Math.max(1, hello.slots());
        connectedEver++;
        LOG.info("{} connected (Java {}, {} slot(s))", slot.name(), hello.javaVersion(), slot.slots);
        return new Admission(slot.id, null);
    }

    /** An admitted worker's end of life is known: progress listeners hear that it joined, with its end. */
    void announceJoined(WorkerSlot slot) {
        progress.workerJoined(slot.info());
    }

    /**
     * An admitted worker has been welcomed: record its link.
     *
     * @return the worker, or {@code null} when it is no longer connected (the link is then closed)
     */
    WorkerSlot attach(int workerId, WorkerLink link) {
        WorkerSlot slot = slots.get(workerId);
        if (slot == null || slot.state != WorkerInfo.State.CONNECTED) {
            link.close();
            return null;
        }
        slot.link = link;
        return slot;
    }

    /**
     * The connection of a connected worker is gone: mark the worker lost (stopped at shutdown) and
     * drop its link. The tasks it holds are left to the caller, who then calls {@link #announceLoss}.
     *
     * @param endedByItsLifetime whether the worker reached its walltime (then it is not the task's fault)
     * @return the worker, whose {@code detail} is now the reason, or {@code null} when it was not connected
     */
    WorkerSlot markDisconnected(int id, String reason, boolean shutDown, Predicate<WorkerSlot> endedByItsLifetime) {
        WorkerSlot slot = slots.get(id);
        if (slot == null || slot.state != WorkerInfo.State.CONNECTED) {
            return null;
        }
        boolean stoppedByManager = slot.closeReason != null;
        if (stoppedByManager) {
            reason = slot.closeReason;
        }
        slot.endedByItsLifetime = endedByItsLifetime.test(slot);
        slot.state = shutDown || slot.drained ? WorkerInfo.State.STOPPED : WorkerInfo.State.LOST;
        slot.detail = slot.notReplacedAtDrain == null ? reason : reason + "\n" + slot.notReplacedAtDrain;
        slot.lostHoldingTask = slot.state == WorkerInfo.State.LOST && !stoppedByManager ? onlyTask(slot) : -1;
        slot.link = null;
        if (slot.drained) {
            LOG.info("{} left: {}", slot.name(), reason);
        } else if (!shutDown) {
            LOG.warn("{} lost: {}{}; {} task(s) it held go back to the queue", slot.name(), reason,
                    slot.lostHoldingTask < 0 ? "" : GoneSummary.lostHolding(slot.lostHoldingTask),
                    countNotOver(slot.inFlight));
        }
        return slot;
    }

    /**
     * @return N when the loss is charged to task N ({@link EndedAttempts#workerLost}): the worker held that one task,
     *     not over, and was not ended by its lifetime, so that a task which ends its worker's JVM (System.exit, a
     *     crash) can be told from the workers it took down; else -1. A task that timed out beside others, or waited
     *     behind one, is never named: it did not end the worker
     */
    private static long onlyTask(WorkerSlot slot) {
        if (slot.endedByItsLifetime || slot.inFlight.size() != 1) {
            return -1;
        }
        QueuedTask only = slot.inFlight.iterator().next();
        return only.isOver() ? -1 : only.id();
    }

    private static long countNotOver(InFlight tasks) {
        long n = 0;
        for (QueuedTask t : tasks) {
            if (!t.isOver()) {
                n++;
            }
        }
        return n;
    }

    /** Stops a disconnected worker's process and, unless at shutdown, tells the manager it is lost. */
    void announceLoss(WorkerSlot slot, boolean shutDown) {
        if (slot.handle != null) {
            listener.stopWorker(slot.handle);
        }
        if (!shutDown) {
            losses++; // each worker's next answer is told again (see answered)
            progress.workerLost(slot.info());
            String notReplaced = listener.workerLost(slot.id, WorkerLoss.of(slot));
            if (notReplaced != null) {
                slot.detail = slot.detail.isEmpty() ? notReplaced : slot.detail + "\n" + notReplaced;
                slot.replacementsStopped = listener.replacementsStopped(slot.id);
            }
            listener.workerGone(this::goneSummary);
        }
    }

    /**
     * A worker answered a task: the manager hears it when it is the worker's first answer since a worker
     * was lost (the only answers that can matter to its count of losses in a row), else nothing is done.
     */
    void answered(WorkerSlot slot) {
        if (slot.answerToldAtLoss != losses) {
            slot.answerToldAtLoss = losses;
            listener.workerAnswered(slot.id);
        }
    }

    /**
     * Releases a connected worker that holds no task: it is told to shut down and marked stopped, so
     * its disconnection is neither a loss nor a failover.
     *
     * @return the worker, or {@code null} when it is not connected or holds a task (nothing is done then)
     */
    WorkerSlot release(int id, String reason) {
        WorkerSlot slot = slots.get(id);
        if (slot == null || slot.state != WorkerInfo.State.CONNECTED || slot.link == null || slot.inFlight.size() > 0) {
            return null;
        }
        slot.state = WorkerInfo.State.STOPPED;
        slot.detail = reason;
        slot.link.send(Message.Shutdown.INSTANCE);
        slot.link.flush();
        slot.link = null;
        LOG.info("{} released: {}", slot.name(), reason);
        return slot;
    }

    /** @return how many tasks a connected worker holds, or -1 when it is not connected */
    int holding(int id) {
        WorkerSlot slot = slots.get(id);
        return slot == null || slot.state != WorkerInfo.State.CONNECTED ? -1 : slot.inFlight.size();
    }

    /** @return whether the worker joined without being started by this manager */
    boolean startedByHand(WorkerSlot slot) {
        return BY_HAND.equals(slot.description);
    }

    /** A worker began draining: the manager may start its replacement now. */
    void draining(WorkerSlot slot) {
        // answerToldAtLoss is set on its first answer; an idle worker that lived a usable lifetime is no sign
        // of a group that cannot work (a quiet spell of a long run), one that joined with no usable time is
        slot.notReplacedAtDrain = listener.workerDraining(slot.id, slot.answerToldAtLoss >= 0 || !slot.joinedNearItsEnd);
        if (slot.notReplacedAtDrain != null) {
            slot.replacementsStopped = listener.replacementsStopped(slot.id);
        }
        progress.workerDraining(slot.info());
    }

    /** A drained worker left, as told: stops its process if it lingers; it is gone, but not lost. */
    void announceDrained(WorkerSlot slot) {
        if (slot.handle != null) {
            listener.stopWorker(slot.handle);
        }
        progress.workerDrained(slot.info());
        listener.workerGone(this::goneSummary);
    }

    /** A context was closed: abandon its tasks that workers hold, and free its setup on every worker. */
    void contextClosed(int id) {
        for (WorkerSlot slot : slots.values()) {
            for (QueuedTask t : slot.inFlight) {
                if (t.contextId == id) {
                    t.abandonUnlessOver("its context was closed");
                }
            }
            if (slot.heldContexts.remove(id) && slot.link != null) {
                slot.link.send(new Message.Release(id));
                slot.link.flush();
            }
        }
    }

    /**
     * If a connected worker holds the task, tells it to skip it, and to interrupt it if it already
     * runs and {@code interrupt} is set.
     */
    void cancel(long taskId, boolean interrupt) {
        for (WorkerSlot slot : slots.values()) {
            QueuedTask t = slot.inFlight.get(taskId);
            if (t != null && slot.link != null) {
                slot.link.send(new Message.Cancel(taskId, interrupt));
                slot.link.flush();
                return;
            }
        }
    }

    /**
     * The manager is closing: abandon every task a worker holds, tell connected workers to exit, and
     * mark every worker that was starting or connected stopped.
     */
    void shutdown() {
        for (WorkerSlot slot : slots.values()) {
            for (QueuedTask t : slot.inFlight.drain()) {
                t.abandonUnlessOver("the manager was closed");
            }
            if (slot.link != null) {
                slot.link.send(Message.Shutdown.INSTANCE);
                slot.link.flush();
            }
            if (slot.state == WorkerInfo.State.STARTING) {
                startingAtShutdown.add(slot.id);
            }
            if (slot.isAvailable()) {
                slot.state = WorkerInfo.State.STOPPED;
            }
        }
    }

    /**
     * @return whether the worker with this id was started by this manager and had not connected when the manager
     *     shut down (one of a later start wave, say, that connects while the manager closes)
     */
    boolean wasStartingAtShutdown(int id) {
        return startingAtShutdown.contains(id);
    }

    /** @return a snapshot of every worker, in id order */
    List<WorkerInfo> snapshot() {
        List<WorkerInfo> out = new ArrayList<>(slots.size());
        for (WorkerSlot s : slots.values()) {
            out.add(s.info());
        }
        return out;
    }

    /** @return how many workers connected over the manager's life */
    int connectedEver() {
        return connectedEver;
    }

    /**
     * @return what became of the gone workers ({@link GoneSummary}), built when called: call it on the dispatcher
     *     thread, and only when the summary is needed
     */
    private String goneSummary() {
        return GoneSummary.of(slots.values());
    }
}
