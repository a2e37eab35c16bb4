package org.jparallel.core.manager;

import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jparallel.JParallelException;
import org.jparallel.core.dispatch.Dispatcher;
import org.jparallel.core.dispatch.QueuedTask;
import org.jparallel.core.dispatch.TaskCompletion;
import org.jparallel.core.loop.LoopInbox;

/**
 * The one way from user threads to the {@link Dispatcher} on the manager's loop: contexts opened and
 * closed, tasks added and cancelled, workers added, listeners and queries. Everything travels through
 * one {@link LoopInbox}, so the dispatcher sees the calls in the order the program made them (its
 * order across threads is the inbox's: a call that happens-before another reaches the dispatcher
 * first). Tasks still travel in batches; any other command goes between two batches. Were a context
 * opened by {@code loop.execute} while its tasks rode the inbox, a task could reach the dispatcher
 * before its context and be dropped as if the context were closed.
 *
 * <p>Only {@code close()} stops the loop, and a call may find the manager open just before that and post just after:
 * the inbox then refuses the post ({@link RejectedExecutionException}); it refuses nothing else (a running loop whose
 * task queue is full, with a user-set {@code io.netty.eventLoop.maxPendingTasks}, makes the post wait for room), so a
 * task abandoned here never reaches a dispatcher that is not shut down. Each call handles that here, once: a context
 * opened or a task submitted is told the manager is closed (an {@link IllegalStateException}, as its closed check
 * says), as are workers added; a cancel or a context close is dropped quietly.
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

    /** @throws IllegalStateException when the loop is stopped: the manager is closed */
    void openContext(int id, byte[] setupPayload) {
        try {
            inbox.execute(() -> dispatcher.openContext(id, setupPayload));
        } catch (RejectedExecutionException stopped) {
            throw closed(stopped);
        }
    }

    /** @throws IllegalStateException when the loop is stopped: the manager is closed, the task abandoned */
    void submit(QueuedTask task) {
        try {
            inbox.add(task);
        } catch (RejectedExecutionException stopped) {
            task.completion().abandoned("the manager was closed");
            throw closed(stopped);
        }
    }

    /**
     * Cancels a task on the loop; nothing when the loop is stopped. Nothing is lost: the close that stopped it had
     * already told every worker to shut down (their tasks end with them), and the task's future is cancelled before
     * this is called.
     */
    void cancel(TaskCompletion task, boolean interrupt) {
        try {
            inbox.execute(() -> dispatcher.cancel(task, interrupt));
        } catch (RejectedExecutionException stopped) {
            // the close ends everything anyway (see above)
        }
    }

    /**
     * Closes a context on the loop; nothing when the loop is stopped. Nothing is lost: the close that stopped it had
     * already closed every context's inbox and told every worker to shut down, which is all this would have done.
     */
    void closeContext(int id) {
        try {
            inbox.execute(() -> dispatcher.closeContext(id));
        } catch (RejectedExecutionException stopped) {
            // the close ends everything anyway (see above)
        }
    }

    private static IllegalStateException closed(RejectedExecutionException stopped) {
        return new IllegalStateException("the manager is closed", stopped);
    }

    /** @throws IllegalStateException when the loop is stopped: the manager is closed */
    void workersAdded(List<Integer> ids, String description, java.time.Duration lifetime, int slots) {
        try {
            inbox.execute(() -> dispatcher.workersAdded(ids, description, lifetime, slots));
        } catch (RejectedExecutionException stopped) {
            throw closed(stopped);
        }
    }

    /**
     * For the close, once the loop terminated: abandons the tasks still in the inbox. A loop shutting down can drop a
     * drain it had accepted (Netty 4.2), and the addTask calls that counted on it returned normally; their futures
     * would never complete. Nothing while the loop has not terminated (a drain may still take them).
     */
    void abandonLeftovers() {
        for (QueuedTask t : inbox.leftovers()) {
            t.completion().abandoned("the manager is closed");
        }
    }

    /** Runs {@code command} on the loop, after every command made before it. */
    void execute(Runnable command) {
        inbox.execute(command);
    }

    /**
     * Runs a state query on the loop, after every command made before it, and waits up to 10 s for its
     * answer; on the loop itself it runs at once.
     */
    <T> T query(Callable<T> c) {
        if (loop.inEventLoop()) {
            try {
                return c.call();
            } catch (Exception e) {
                throw new JParallelException("manager state query failed: " + e, e);
            }
        }
        FutureTask<T> answer = new FutureTask<>(c);
        try {
            execute(answer); // after every command made before it
            return answer.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JParallelException("interrupted", e);
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            throw new JParallelException("the manager's event loop did not answer: " + e, e);
        }
    }
}
