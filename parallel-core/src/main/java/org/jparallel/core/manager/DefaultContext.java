package org.jparallel.core.manager;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jparallel.Context;
import org.jparallel.Task;
import org.jparallel.TaskFuture;
import org.jparallel.TaskOptions;
import org.jparallel.core.dispatch.QueuedTask;
import org.jparallel.core.journal.JournalContext;
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
    private final String name;
    private final DefaultManager manager;
    /** The keys of this context's tasks, for uniqueness. */
    private final Set<String> keys = ConcurrentHashMap.newKeySet();
    private final JournalContext journal;
    private final ResultInbox<R> inbox;
    /** What every record of this context shares: made once, not per queued task. */
    private final TaskRecord.Owner<R> owner;
    /** Why the context is closed, or {@code null} while it is open. */
    private volatile String closedReason;
    /** The options of tasks added without their own, or {@code null} for none. */
    private volatile TaskOptions defaults;
    /** The close's steps: the inbox, then the manager's part; each runs whatever the other threw. */
    private final CloseSteps closing = new CloseSteps(2);

    DefaultContext(int id, String name, DefaultManager manager, ClassLoader loader, JournalContext journal) {
        this.id = id;
        this.name = name;
        this.manager = manager;
        this.journal = journal;
        this.inbox = new ResultInbox<>(manager::noWorkersReason, manager.readerWakeups());
        this.owner = new TaskRecord.Owner<>(inbox, loader, manager.serialFilter(), manager::cancelRunning, journal);
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public TaskFuture<R> addTask(Task<? super S, ? extends R> task) {
        TaskOptions d = defaults;
        return d == null ? add(task, 0, 0, null, 1) : addTask(task, d);
    }

    @Override
    public TaskFuture<R> addTask(Task<? super S, ? extends R> task, TaskOptions options) {
        TaskOptions o = options.orElse(defaults);
        Duration timeout = o.timeout();
        Duration expected = o.expectedDuration();
        return add(task, timeout == null ? 0 : Math.max(1, timeout.toMillis()),
                expected == null ? 0 : Math.max(1, expected.toNanos()), o.key(), o.cpus());
    }

    @Override
    public void setDefaultOptions(TaskOptions defaults) {
        this.defaults = defaults == null || defaults == TaskOptions.none() ? null : defaults;
    }

    private TaskFuture<R> add(Task<? super S, ? extends R> task, long timeoutMillis, long expectedNanos, String key,
                              int cpus) {
        String closed = closedReason;
        if (closed != null) {
            throw new IllegalStateException(closed);
        }
        manager.checkOpen();
        java.util.Objects.requireNonNull(task, "task");
        if (key != null) {
            if (!keys.add(key)) {
                throw new IllegalArgumentException("The context '" + name + "' already has a task with the key '"
                        + key + "': keys are unique within a context (a journal finds each task's result by it)."
                        + " Give this task another key, or add it to another context.");
            }
            TaskRecord<R> replayed = replay(key);
            if (replayed != null) {
                return replayed;
            }
        }
        SendablePayload payload;
        try {
            payload = Payloads.serializeForSending(task, QueuedTask.DIRECT_FROM);
            FrameLimit.checkTask(payload.length(), manager.maxFrameBytes());
        } catch (RuntimeException e) {
            if (key != null) {
                keys.remove(key); // not added: the key stays free
            }
            throw e;
        }
        TaskRecord<R> record = new TaskRecord<>(manager.nextTaskId(), inbox.nextSequence(), owner, key);
        QueuedTask queued = new QueuedTask(record, id, payload, timeoutMillis);
        queued.expectDuration(expectedNanos);
        queued.needCpus(cpus);
        manager.submit(queued);
        return record;
    }

    /** @return the task, ended from the journal, when an earlier run finished it; else {@code null} */
    private TaskRecord<R> replay(String key) {
        if (journal == null) {
            return null;
        }
        JournalContext.Replay r = journal.replay(key);
        if (r == null) {
            return null;
        }
        TaskRecord<R> record = new TaskRecord<>(manager.nextTaskId(), inbox.nextSequence(), owner, key);
        manager.fromJournal(record.taskId(), id);
        if (r instanceof JournalContext.Result result) {
            record.replayed(result);
        } else {
            record.abandoned("its result was delivered by an earlier run of the program (journal "
                    + manager.journalFile() + ")");
        }
        return record;
    }

    @Override
    public void markDelivered(java.util.Collection<String> delivered) {
        if (journal == null && delivered.isEmpty()) {
            return; // nothing to mark: a program's first run, on a configuration without a journal
        }
        if (journal == null) {
            throw new IllegalStateException("markDelivered needs a journal, and this manager has none: keys mark"
                    + " results delivered in the journal (ManagerBuilder.journal(path), jparallel.manager.journal)");
        }
        for (String key : delivered) {
            if (keys.contains(key)) {
                throw new IllegalStateException("The context '" + name + "' already has a task with the key '" + key
                        + "': mark the keys whose results the program has before adding their tasks");
            }
        }
        for (String key : delivered) {
            journal.markDelivered(key);
        }
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
        closing.run(() -> closeInbox("context " + id + " is closed"), () -> manager.closeContext(this));
    }
}
