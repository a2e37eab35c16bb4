package org.jparallel.core.manager;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jparallel.JParallelException;
import org.jparallel.TaskFailedException;
import org.jparallel.core.serial.RejectedClassException;
import org.jparallel.core.serial.SerialFilter;
import org.jparallel.TaskFuture;
import org.jparallel.core.dispatch.TrackedCompletion;
import org.jparallel.core.journal.JournalContext;
import org.jparallel.core.protocol.HeldPayload;
import org.jparallel.core.serial.Payloads;

/**
 * One task as its caller sees it: the future of its result. The dispatcher completes it on its
 * thread with the result's bytes; the bytes are deserialized on the caller's thread when the value
 * is first asked for, so a big or slow result never holds up dispatching.
 *
 * @param <R> the result type
 */
final class TaskRecord<R> extends TrackedCompletion implements TaskFuture<R> {
    // the states; a million queued tasks are a million of these, so the fields are few and small
    private static final byte PENDING = 0;
    /** {@link #outcome} is the result's payload, not yet read. */
    private static final byte SUCCEEDED = 1;
    /** {@link #outcome} is a returned {@code byte[]} as it came, not yet checked against the filter. */
    private static final byte SUCCEEDED_WITH_BYTES = 2;
    /** {@link #outcome} is the result's value, read. */
    private static final byte DECODED = 3;
    /** {@link #outcome} is the failure to throw. */
    private static final byte FAILED = 4;
    /** {@link #outcome} is the reason the task did not run. */
    private static final byte CANCELLED = 5;

    private static final String[] STATE_NAMES = {"PENDING", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "FAILED", "CANCELLED"};

    private final long taskId;
    private final long sequence;
    private final Owner<R> owner;
    /** The task's key, or {@code null}: a keyed task's end is journaled before it completes. */
    private final String key;
    /** Written under this record's lock; volatile so that the dispatcher's check for a cancelled task takes no lock. */
    private volatile byte state = PENDING;
    private Object outcome;
    volatile boolean delivered;

    /** Tells the worker holding a cancelled task to skip it (and interrupt it, if asked). */
    interface Canceller {
        void cancel(TaskRecord<?> task, boolean interrupt);
    }

    /**
     * What the tasks of one context share, held once per context rather than in every record.
     *
     * @param inbox where a completed record goes
     * @param loader loads result classes
     * @param filter judges result classes
     * @param canceller tells a worker to skip a cancelled task
     * @param journal the context's journal, or {@code null} without one
     */
    record Owner<R>(ResultInbox<R> inbox, ClassLoader loader, SerialFilter filter, Canceller canceller,
                    JournalContext journal) {
        Owner(ResultInbox<R> inbox, ClassLoader loader, SerialFilter filter, Canceller canceller) {
            this(inbox, loader, filter, canceller, null);
        }
    }

    TaskRecord(long taskId, long sequence, Owner<R> owner) {
        this(taskId, sequence, owner, null);
    }

    TaskRecord(long taskId, long sequence, Owner<R> owner, String key) {
        this.taskId = taskId;
        this.sequence = sequence;
        this.owner = owner;
        this.key = key;
    }

    /** @return the task's id, and its key when it has one, as a message names the task */
    private String named() {
        return key() == null ? Long.toString(taskId) : taskId + " (key '" + key() + "')";
    }

    @Override
    public String key() {
        return key;
    }

    /** @return whether this task's result is journaled, and its delivery with it */
    boolean journaled() {
        return key != null && owner.journal() != null;
    }

    @Override
    public long taskId() {
        return taskId;
    }

    @Override
    public long sequence() {
        return sequence;
    }

    // ---- completion, from the dispatcher thread ----

    @Override
    public void succeeded(byte[] payload) {
        if (journaled() && state == PENDING) {
            owner.journal().result(key, false, payload, () -> complete(SUCCEEDED, payload));
        } else {
            complete(SUCCEEDED, payload);
        }
    }

    @Override
    public void succeededWithBytes(byte[] bytes) {
        if (journaled() && state == PENDING) {
            owner.journal().result(key, true, bytes, () -> complete(SUCCEEDED_WITH_BYTES, bytes));
        } else {
            complete(SUCCEEDED_WITH_BYTES, bytes);
        }
    }

    /** Not journaled, the payload waits outside the heap until the result is read; journaled, it is an array at once. */
    @Override
    public void succeededHeld(HeldPayload payload, boolean rawBytes) {
        if (journaled()) {
            super.succeededHeld(payload, rawBytes);
        } else if (!complete(rawBytes ? SUCCEEDED_WITH_BYTES : SUCCEEDED, payload)) {
            payload.free(); // cancelled meanwhile: nothing will read it
        }
    }

    @Override
    public void failed(TaskFailedException e) {
        if (journaled() && state == PENDING) {
            owner.journal().failure(key, e.getMessage(), () -> complete(FAILED, e));
        } else {
            complete(FAILED, e);
        }
    }

    /** Journals that this task's result was handed to the program (a resumed run will not hand it out again). */
    void journalDelivered() {
        owner.journal().delivered(key);
    }

    /** Completes the task with a result an earlier run journaled, on the caller's thread. */
    void replayed(JournalContext.Result r) {
        complete(r.raw() ? SUCCEEDED_WITH_BYTES : SUCCEEDED, r.bytes());
    }

    @Override
    public void abandoned(String why) {
        complete(CANCELLED, why);
    }

    private boolean complete(byte s, Object o) {
        synchronized (this) {
            if (state != PENDING) {
                return false;
            }
            state = s;
            outcome = o;
            notifyAll();
        }
        owner.inbox().arrived(this);
        return true;
    }

    // ---- the future, from user threads ----

    @Override
    public boolean isCancelled() {
        return state == CANCELLED;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (complete(CANCELLED, "it was cancelled")) {
            owner.canceller().cancel(this, mayInterruptIfRunning);
            return true;
        }
        return false;
    }

    @Override
    public boolean isDone() {
        return state != PENDING;
    }

    @Override
    public R get() throws InterruptedException, ExecutionException {
        synchronized (this) {
            while (state == PENDING) {
                wait();
            }
        }
        return outcome();
    }

    @Override
    public R get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (this) {
            while (state == PENDING) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("task " + taskId + " has not completed");
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        return outcome();
    }

    private R outcome() throws ExecutionException {
        try {
            return valueOrThrow();
        } catch (TaskFailedException e) {
            throw new ExecutionException(e);
        }
    }

    /**
     * @return the task's value, once it is done
     * @throws TaskFailedException when it failed
     * @throws CancellationException when it was cancelled or abandoned
     */
    @SuppressWarnings("unchecked")
    synchronized R valueOrThrow() {
        switch (state) {
            case DECODED:
                return (R) outcome;
            case FAILED:
                throw (RuntimeException) outcome;
            case CANCELLED:
                throw new CancellationException("task " + taskId + " did not run: " + outcome);
            case PENDING:
                throw new IllegalStateException("task " + taskId + " is not done");
            default:
                break;
        }
        if (outcome instanceof HeldPayload h) {
            outcome = h.take(); // taken once: a value that fails to read below is an array from now on
        }
        byte[] bytes = (byte[]) outcome;
        SerialFilter filter = owner.filter();
        try {
            outcome = state == SUCCEEDED_WITH_BYTES ? Payloads.bytesValue(bytes, filter)
                    : Payloads.deserialize(bytes, owner.loader(), filter);
        } catch (RejectedClassException e) {
            throw new JParallelException("The result of task " + named() + " was refused on the manager: "
                    + e.getMessage(), e);
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new JParallelException("The result of task " + named() + " could not be read on the manager: "
                    + e + ". Its class must be on the manager's classpath.", e);
        }
        state = DECODED;
        return (R) outcome;
    }

    @Override
    public String toString() {
        return "task " + taskId + " (" + STATE_NAMES[state] + ")";
    }
}
