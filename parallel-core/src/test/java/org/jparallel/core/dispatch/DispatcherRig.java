package org.jparallel.core.dispatch;

import java.util.List;
import org.jparallel.ManagerSettings;
import org.jparallel.core.dispatch.DispatcherFakes.FakeLink;
import org.jparallel.core.dispatch.DispatcherFakes.FakeScheduler;
import org.jparallel.core.dispatch.DispatcherFakes.Listener;

/**
 * The base of the dispatcher tests driven on the test thread: a dispatcher with a recording listener and
 * a hand-driven scheduler, workers attached by hand, tasks of context 1 numbered from 1.
 */
abstract class DispatcherRig {
    final Listener listener = new Listener();
    final FakeScheduler clock = new FakeScheduler();
    long nextTaskId = 1;
    Dispatcher dispatcher;

    /** Starts the dispatcher with {@code workerIds} added (not yet connected) and context 1 open. */
    void start(ManagerSettings s, Integer... workerIds) {
        dispatcher = new Dispatcher(s, listener, () -> 100, clock);
        dispatcher.workersAdded(List.of(workerIds), "test");
        dispatcher.openContext(1, null);
    }

    FakeLink connect(int id) {
        return DispatcherFakes.connect(dispatcher, id);
    }

    QueuedTask submit(long timeoutMillis) {
        QueuedTask t = DispatcherFakes.task(nextTaskId++, timeoutMillis);
        dispatcher.submit(t);
        return t;
    }
}
