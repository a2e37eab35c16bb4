package org.jparallel.core.dispatch;

import java.time.Instant;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import org.jparallel.WorkerInfo;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.serial.ShapeBook;
import org.jparallel.spi.WorkerHandle;

/**
 * Everything the dispatcher knows about one worker: its state, connection, the contexts whose setup
 * it holds and the tasks it holds. Touched only on the dispatcher thread.
 */
final class WorkerSlot {
    final int id;
    String description;
    WorkerInfo.State state = WorkerInfo.State.STARTING;
    WorkerHandle handle;
    WorkerLink link;
    String host;
    long pid = -1;
    long tasksCompleted;
    /** The roster's count of losses when its answer was last told (see {@link WorkerRoster#answered}); -1: never. */
    int answerToldAtLoss = -1;
    /** Joined with no time before its drain, or less than a tenth of its drain margin: drained as it joins. */
    boolean joinedNearItsEnd;
    String detail = "";
    /** N when it was lost holding only task N (the likely cause), for the summary; else -1. */
    long lostHoldingTask = -1;
    /** Why the manager stopped it (a drain, a task that ignored its interruption); {@code null} if it did not. */
    String closeReason;
    /** Why the manager did not replace it when it began draining, added to its detail when it is gone; or null. */
    String notReplacedAtDrain;
    /** The manager's guard against a loop had stopped replacing its group when it was lost (for the summary's hint). */
    boolean replacementsStopped;
    /** Its connection ended in its drain margin or later (its allocation ran out): no task is charged for it. */
    boolean endedByItsLifetime;
    final Set<Integer> heldContexts = new HashSet<>();
    /** The lambda shapes this worker was sent (see {@link ShapeBook}), by number. */
    private final BitSet shapesSent = new BitSet();
    /** In the order sent, which is the order the worker runs them. */
    final InFlight inFlight = new InFlight();
    boolean ready;
    /**
     * How many tasks it runs at once (from its HELLO): the first {@code slots} tasks it holds run, the
     * others wait in its prefetch, each starting when an earlier one is answered.
     */
    int slots = 1;
    /** The cpus of the tasks it holds: a task's {@link QueuedTask#cpus}, 1 for most. */
    int cpusHeld;
    /** How many of the tasks it holds ask for more than one cpu: while any does, it holds no more cpus than slots. */
    int multiCpuTasks;
    /** The worker holds a task that {@linkplain QueuedTask#runsAlone runs alone}: it gets no other until it answers. */
    boolean holdsLoneTask;
    /**
     * Moving average of the time each of this worker's tasks took, in nanoseconds; -1 before the first
     * answer. Kept up by {@link PrefetchPolicy#answered}, which sizes the automatic prefetch from it.
     */
    long averageNanos = -1;
    /** When this worker last answered, in clock nanoseconds; {@code Long.MIN_VALUE} before its first answer. */
    long lastAnswerAt = Long.MIN_VALUE;
    /**
     * When this worker is drained (its end of life less the drain margin), in clock nanoseconds; {@link
     * WorkerLifetimes#NO_END} when its life has no set end. A task goes to it only if it can finish by then.
     */
    long drainAt = WorkerLifetimes.NO_END;
    /** When its allocation ends, wall clock, for views; {@code null} for no set end. */
    Instant endOfLife;
    /** The sum of the declared expected durations of the tasks it holds, in nanoseconds. */
    long heldExpectedNanos;
    /** It takes no more tasks: it finishes those it holds and is then told to exit. */
    boolean draining;
    /** It was told to exit after draining: its disconnection is not a loss. */
    boolean drained;

    WorkerSlot(int id, String description) {
        this.id = id;
        this.description = description;
    }

    boolean isAvailable() {
        return state == WorkerInfo.State.STARTING || state == WorkerInfo.State.CONNECTED;
    }

    String name() {
        StringBuilder b = new StringBuilder("worker ").append(id).append(" (").append(description);
        if (pid >= 0) {
            b.append(", pid ").append(pid);
        }
        if (host != null) {
            b.append(" on ").append(host);
        }
        return b.append(')').toString();
    }

    String logLocation() {
        return handle == null ? null : handle.logLocation();
    }

    WorkerInfo info() {
        return new WorkerInfo(id, description, state, host, pid, tasksCompleted, detail, endOfLife,
                draining && state == WorkerInfo.State.CONNECTED, slots,
                state == WorkerInfo.State.CONNECTED ? Math.min(slots, cpusHeld) : 0);
    }

    /** Sends this worker each of these lambda shapes it was not sent yet; before a task that refers to them. */
    void sendShapes(int[] shapes) {
        for (int shape : shapes) {
            if (!shapesSent.get(shape)) {
                link.send(new Message.Shape(shape, ShapeBook.describe(shape)));
                shapesSent.set(shape);
            }
        }
    }
}
