package org.jparallel.core.manager;

import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import org.jparallel.core.dispatch.Dispatcher;
import org.jparallel.core.dispatch.QueuedTask;
import org.jparallel.core.dispatch.TaskCompletion;
import org.jparallel.core.loop.LoopInbox;

/**
 * The way from user threads to the {@link Dispatcher} on the manager's loop: contexts opened and
 * closed, tasks added and cancelled, workers added. Tasks travel in batches through a {@link LoopInbox}.
 */
final class ManagerCommands {
    private final EventExecutor loop;
    private final Dispatcher dispatcher;
    private final LoopInbox<QueuedTask> inbox;

    ManagerCommands(EventExecutor loop, Dispatcher dispatcher) {
        this.loop = loop;
        this.dispatcher = dispatcher;
        this.inbox = new LoopInbox<>(loop, dispatcher::submitAll);
    }

    void openContext(int id, byte[] setupPayload) {
        loop.execute(() -> dispatcher.openContext(id, setupPayload));
    }

    void submit(QueuedTask task) {
        inbox.add(task);
    }

    void cancel(TaskCompletion task, boolean interrupt) {
        loop.execute(() -> dispatcher.cancel(task, interrupt));
    }

    void closeContext(int id) {
        loop.execute(() -> dispatcher.closeContext(id));
    }

    void workersAdded(List<Integer> ids, String description) {
        loop.execute(() -> dispatcher.workersAdded(ids, description));
    }

    /** Runs {@code command} on the loop. */
    void execute(Runnable command) {
        loop.execute(command);
    }
}
