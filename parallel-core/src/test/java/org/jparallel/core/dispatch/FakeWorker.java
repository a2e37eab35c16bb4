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

    /**
     * @return how long a task sent now would wait before it runs, in model milliseconds, were every task it
     *     holds to run as long as declared from now on: its slots take the held tasks in order, each as soon
     *     as one is free (one after another when it holds a task of several cpus)
     */
    long startsAfter() {
        if (held.stream().anyMatch(h -> h.cpus > 1)) {
            return held.stream().mapToLong(h -> h.expectedMillis).sum();
        }
        long[] free = new long[slots];
        for (ModelTask h : held) {
            int first = 0;
            for (int i = 1; i < slots; i++) {
                first = free[i] < free[first] ? i : first;
            }
            free[first] += h.expectedMillis;
        }
        return java.util.Arrays.stream(free).min().orElse(0);
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
