package org.jparallel.core.dispatch;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jparallel.WorkerInfo;
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
    String detail = "";
    String closeReason;
    final Set<Integer> heldContexts = new HashSet<>();
    /** In the order sent, which is the order the worker runs them. */
    final Map<Long, QueuedTask> inFlight = new LinkedHashMap<>();
    boolean ready;
    /**
     * Moving average of the time each of this worker's tasks took, in nanoseconds; -1 before the first
     * answer. The worker says how long it worked on each task; when it does not, a task began when it
     * was sent or when the previous answer came, whichever was later (a worker runs its tasks in the
     * order sent), which counts the network and queues too.
     */
    long averageNanos = -1;
    private long lastAnswerAt = Long.MIN_VALUE;

    /** Folds one answer into {@link #averageNanos}; {@code workMicros} is the worker's own figure, or -1. */
    void answered(long sentAt, long now, int workMicros) {
        long began = lastAnswerAt == Long.MIN_VALUE ? sentAt : Math.max(sentAt, lastAnswerAt);
        long nanos = workMicros >= 0 ? workMicros * 1_000L : Math.max(0, now - began);
        lastAnswerAt = now;
        averageNanos = averageNanos < 0 ? nanos : (averageNanos * 7 + nanos) / 8;
    }

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
        return new WorkerInfo(id, description, state, host, pid, tasksCompleted, detail);
    }

    /** @return a line per worker that is gone, saying what became of it */
    static String summary(Collection<WorkerSlot> slots) {
        StringBuilder b = new StringBuilder();
        int gone = 0;
        for (WorkerSlot s : slots) {
            if (!s.isAvailable()) {
                gone++;
                b.append("\n  ").append(s.name()).append(": ").append(s.state.name().toLowerCase())
                        .append(s.detail.isEmpty() ? "" : " - " + s.detail.replace("\n", "\n    "));
            }
        }
        return gone + " of " + slots.size() + " worker(s) are gone:" + b;
    }
}
