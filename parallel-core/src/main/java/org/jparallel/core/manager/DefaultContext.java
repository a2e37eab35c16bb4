package org.jparallel.core.manager;

import java.time.Duration;
import org.jparallel.Context;
import org.jparallel.Task;
import org.jparallel.TaskFuture;
import org.jparallel.TaskOptions;
import org.jparallel.core.dispatch.QueuedTask;
import org.jparallel.core.protocol.FrameLimit;
import org.jparallel.core.serial.Payloads;
import org.jparallel.core.serial.SendablePayload;

/**
 * A context: serializes its tasks on the caller's thread (so an unserializable task fails where it
 * is added), hands them to the dispatcher's thread, and reads results from its {@link ResultInbox}.
 *
 * @param <S> the setup's result type
 * @param <R> the tasks' result type
 */
final class DefaultContext<S, R> implements Context<S, R> {
    private final int id;
    private final DefaultManager manager;
    private final ResultInbox<R> inbox;
    /** What every record of this context shares: made once, not per queued task. */
    private final TaskRecord.Owner<R> owner;
    /** Why the context is closed, or {@code null} while it is open. */
    private volatile String closedReason;
    /** The options of tasks added without their own, or {@code null} for none. */
    private volatile TaskOptions defaults;

    DefaultContext(int id, DefaultManager manager, ClassLoader loader) {
        this.id = id;
        this.manager = manager;
        this.inbox = new ResultInbox<>(manager::noWorkersReason, manager.readerWakeups());
        this.owner = new TaskRecord.Owner<>(inbox, loader, manager.serialFilter(), manager::cancelRunning);
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public TaskFuture<R> addTask(Task<? super S, ? extends R> task) {
        TaskOptions d = defaults;
        return d == null ? add(task, 0, 0, 1) : addTask(task, d);
    }

    @Override
    public TaskFuture<R> addTask(Task<? super S, ? extends R> task, TaskOptions options) {
        TaskOptions o = options.orElse(defaults);
        Duration timeout = o.timeout();
        Duration expected = o.expectedDuration();
        return add(task, timeout == null ? 0 : Math.max(1, timeout.toMillis()),
                expected == null ? 0 : Math.max(1, expected.toNanos()), o.cpus());
    }

    @Override
    public void setDefaultOptions(TaskOptions defaults) {
        this.defaults = defaults == null || defaults == TaskOptions.none() ? null : defaults;
    }

    private TaskFuture<R> add(Task<? super S, ? extends R> task, long timeoutMillis, long expectedNanos, int cpus) {
        String closed = closedReason;
        if (closed != null) {
            throw new IllegalStateException(closed);
        }
        manager.checkOpen();
        SendablePayload payload = Payloads.serializeForSending(task, QueuedTask.DIRECT_FROM);
        FrameLimit.checkTask(payload.length(), manager.maxFrameBytes());
        TaskRecord<R> record = new TaskRecord<>(manager.nextTaskId(), inbox.nextSequence(), owner);
        QueuedTask queued = new QueuedTask(record, id, payload, timeoutMillis);
        queued.expectDuration(expectedNanos);
        queued.needCpus(cpus);
        manager.submit(queued);
        return record;
    }

    @Override
    public Iterable<R> getResultsUnordered() {
        return () -> inbox.iterator(false);
    }

    @Override
    public Iterable<R> getResults() {
        return () -> inbox.iterator(true);
    }

    @Override
    public long outstanding() {
        return inbox.outstanding();
    }

    void wake() {
        inbox.wake();
    }

    void closeInbox(String reason) {
        if (closedReason == null) {
            closedReason = reason;
        }
        inbox.close(reason);
    }

    @Override
    public void close() {
        if (closedReason == null) {
            closeInbox("context " + id + " is closed");
            manager.closeContext(this);
        }
    }
}
