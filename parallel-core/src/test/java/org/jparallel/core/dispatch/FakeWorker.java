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

    FakeWorker(int id) {
        this.id = id;
    }

    /** @return the task it runs now, or {@code null} when it holds none */
    ModelTask running() {
        return held.peekFirst();
    }

    @Override
    public String toString() {
        return "worker " + id + " holding " + held.stream().map(t -> t.id).toList()
                + (drainAt == Long.MAX_VALUE ? "" : " (drained at " + drainAt + " ms)");
    }
}
