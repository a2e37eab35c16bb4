package org.jparallel.core.dispatch;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The waiting tasks of every open context, one FIFO queue per context, and the choice of the next
 * task for a worker: the oldest task of a context whose setup the worker holds, else the oldest task
 * of any context. Cancelled tasks are skipped as they come up. Touched only on the dispatcher thread.
 */
final class TaskQueues {
    /** Logs under the dispatcher's name, as before this class was split from it (log configs name it). */
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private final Map<Integer, ContextQueue> contexts = new HashMap<>();
    /** The ids of closed contexts (ids count up from 1, so a bit each), to tell "closed" from "never opened". */
    private final BitSet closed = new BitSet();
    /** The only open context, or {@code null}: then no choice is to be made, and {@link #take} skips it. */
    private ContextQueue sole;
    private long waiting;

    void open(int id, byte[] setupPayload) {
        contexts.put(id, new ContextQueue(id, setupPayload));
        soleChanged();
    }

    private void soleChanged() {
        sole = contexts.size() == 1 ? contexts.values().iterator().next() : null;
    }

    /** Closes a context and returns its waiting tasks, or {@code null} when it was not open. */
    List<QueuedTask> close(int id) {
        if (id >= 0) {
            closed.set(id);
        }
        ContextQueue q = contexts.remove(id);
        if (q == null) {
            return null;
        }
        soleChanged();
        waiting -= q.waiting.size();
        return new ArrayList<>(q.waiting);
    }

    /** @return true when context {@code id} is open */
    boolean isOpen(int id) {
        return contexts.containsKey(id);
    }

    /** @return true when context {@code id} was closed (it may since have been opened again) */
    boolean wasClosed(int id) {
        return id >= 0 && closed.get(id);
    }

    /** @return why a task of a context that is not open will not run: it was closed, or (a bug) never opened */
    String whyNotOpen(QueuedTask t) {
        if (wasClosed(t.contextId)) {
            return "its context was closed";
        }
        LOG.error("task {} arrived for context {}, which was never opened: a bug in jparallel", t.id(), t.contextId);
        return "its context " + t.contextId + " was never opened on the manager (a bug in jparallel: please report it)";
    }

    /** Removes and returns every waiting task. */
    List<QueuedTask> drainAll() {
        List<QueuedTask> all = new ArrayList<>();
        for (ContextQueue q : contexts.values()) {
            all.addAll(q.waiting);
            q.waiting.clear();
        }
        waiting = 0;
        return all;
    }

    /** @return the setup payload of an open context, or {@code null} (none, or not open) */
    byte[] setupOf(int contextId) {
        ContextQueue q = contexts.get(contextId);
        return q == null ? null : q.setupPayload;
    }

    /** @return false when the task's context is not open */
    boolean addLast(QueuedTask t) {
        ContextQueue q = contexts.get(t.contextId);
        if (q == null) {
            return false;
        }
        q.waiting.addLast(t);
        waiting++;
        return true;
    }

    /** @return false when the task's context is not open */
    boolean addFirst(QueuedTask t) {
        ContextQueue q = contexts.get(t.contextId);
        if (q == null) {
            return false;
        }
        q.waiting.addFirst(t);
        waiting++;
        return true;
    }

    long waiting() {
        return waiting;
    }

    /**
     * @param heldContexts the contexts whose setup the worker holds
     * @return the next task for that worker, or {@code null} when none waits
     */
    QueuedTask take(Set<Integer> heldContexts) {
        while (waiting > 0) {
            ContextQueue best = older(sole, null);
            if (best == null) {
                for (int c : heldContexts) {
                    best = older(contexts.get(c), best);
                }
            }
            if (best == null) {
                for (ContextQueue q : contexts.values()) {
                    best = older(q, best);
                }
            }
            if (best == null) {
                return null;
            }
            QueuedTask t = best.waiting.pollFirst();
            waiting--;
            if (!t.completion.isCancelled()) {
                return t;
            }
        }
        return null;
    }

    private static ContextQueue older(ContextQueue q, ContextQueue best) {
        if (q == null || q.waiting.isEmpty()) {
            return best;
        }
        return best == null || q.oldest() < best.oldest() ? q : best;
    }
}
