package org.jparallel.core.dispatch;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import org.jparallel.core.dispatch.DispatcherFakes.FakeLink;

/**
 * A worker of {@link DispatcherModel} as the worker itself would see it: the tasks it was sent and has not
 * answered, in the order sent (it runs them in that order, so the first is the one it runs), the setups it
 * holds, and the link the dispatcher writes to.
 */
final class FakeWorker {
    final int id;
    final FakeLink link = new FakeLink();
    /** Sent and not answered, oldest first: the first one runs. */
    final ArrayDeque<ModelTask> held = new ArrayDeque<>();
    final Set<Integer> setups = new HashSet<>();
    final Set<Long> cancelsReceived = new HashSet<>();
    /** When the dispatcher is to drain it, in model milliseconds; {@link Long#MAX_VALUE} when its life has no set end. */
    long drainAt = Long.MAX_VALUE;
    /** It was told to exit (drained). */
    boolean toldToExit;
    /** How many tasks it runs at once: the first {@code slots} it holds run. */
    int slots = 1;

    FakeWorker(int id) {
        this.id = id;
    }

    /** @return the task it runs now, or {@code null} when it holds none */
    ModelTask running() {
        return held.peekFirst();
    }

    /** @return whether {@code t} is among the tasks it runs now (the first {@link #slots} it holds) */
    boolean runs(ModelTask t) {
        int k = 0;
        for (ModelTask h : held) {
            if (k++ >= slots) {
                return false;
            }
            if (h == t) {
                return true;
            }
        }
        return false;
    }

    /** @return the tasks it runs now, oldest first */
    java.util.List<ModelTask> runningTasks() {
        return held.stream().limit(slots).toList();
    }

    @Override
    public String toString() {
        return "worker " + id + (slots > 1 ? " with " + slots + " slots" : "") + " holding "
                + held.stream().map(t -> t.id + (t.cpus > 1 ? "(" + t.cpus + " cpus)" : "")).toList()
                + (drainAt == Long.MAX_VALUE ? "" : " (drained at " + drainAt + " ms)");
    }
}
