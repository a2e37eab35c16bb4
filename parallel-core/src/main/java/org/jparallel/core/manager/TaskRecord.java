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
import org.jparallel.core.dispatch.TaskCompletion;
import org.jparallel.core.serial.Payloads;

/**
 * One task as its caller sees it: the future of its result. The dispatcher completes it on its
 * thread with the result's bytes; the bytes are deserialized on the caller's thread when the value
 * is first asked for, so a big or slow result never holds up dispatching.
 *
 * @param <R> the result type
 */
final class TaskRecord<R> implements TaskFuture<R>, TaskCompletion {
    private enum State { PENDING, SUCCEEDED, FAILED, CANCELLED }

    private final long taskId;
    private final long sequence;
    private final ResultInbox<R> inbox;
    private final ClassLoader loader;
    private final SerialFilter filter;
    private final Canceller canceller;
    private State state = State.PENDING;
    private byte[] resultBytes;
    private boolean resultIsValue;
    private R value;
    private boolean decoded;
    private RuntimeException failure;
    private String cancelReason;
    volatile boolean delivered;

    /** Tells the worker holding a cancelled task to skip it (and interrupt it, if asked). */
    interface Canceller {
        void cancel(long taskId, boolean interrupt);
    }

    TaskRecord(long taskId, long sequence, ResultInbox<R> inbox, ClassLoader loader, Canceller canceller) {
        this(taskId, sequence, inbox, loader, SerialFilter.defaults(), canceller);
    }

    TaskRecord(long taskId, long sequence, ResultInbox<R> inbox, ClassLoader loader, SerialFilter filter,
               Canceller canceller) {
        this.filter = filter;
        this.canceller = canceller;
        this.taskId = taskId;
        this.sequence = sequence;
        this.inbox = inbox;
        this.loader = loader;
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
        if (complete(State.SUCCEEDED, payload, null, null)) {
            inbox.arrived(this);
        }
    }

    @Override
    public void succeededWithBytes(byte[] bytes) {
        if (complete(State.SUCCEEDED, bytes, null, null, true)) {
            inbox.arrived(this);
        }
    }

    @Override
    public void failed(TaskFailedException e) {
        if (complete(State.FAILED, null, e, null)) {
            inbox.arrived(this);
        }
    }

    @Override
    public void abandoned(String why) {
        if (complete(State.CANCELLED, null, null, why)) {
            inbox.arrived(this);
        }
    }

    private boolean complete(State s, byte[] bytes, RuntimeException f, String why) {
        return complete(s, bytes, f, why, false);
    }

    private synchronized boolean complete(State s, byte[] bytes, RuntimeException f, String why, boolean isValue) {
        if (state != State.PENDING) {
            return false;
        }
        state = s;
        resultBytes = bytes;
        resultIsValue = isValue;
        failure = f;
        cancelReason = why;
        notifyAll();
        return true;
    }

    // ---- the future, from user threads ----

    @Override
    public synchronized boolean isCancelled() {
        return state == State.CANCELLED;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (complete(State.CANCELLED, null, null, "it was cancelled")) {
            inbox.arrived(this);
            canceller.cancel(taskId, mayInterruptIfRunning);
            return true;
        }
        return false;
    }

    @Override
    public synchronized boolean isDone() {
        return state != State.PENDING;
    }

    @Override
    public R get() throws InterruptedException, ExecutionException {
        synchronized (this) {
            while (state == State.PENDING) {
                wait();
            }
        }
        return outcome();
    }

    @Override
    public R get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (this) {
            while (state == State.PENDING) {
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
            case FAILED:
                throw failure;
            case CANCELLED:
                throw new CancellationException("task " + taskId + " did not run: " + cancelReason);
            case PENDING:
                throw new IllegalStateException("task " + taskId + " is not done");
            default:
                break;
        }
        if (!decoded) {
            try {
                value = (R) (resultIsValue ? Payloads.bytesValue(resultBytes, filter)
                        : Payloads.deserialize(resultBytes, loader, filter));
            } catch (RejectedClassException e) {
                throw new JParallelException("The result of task " + taskId + " was refused on the manager: "
                        + e.getMessage(), e);
            } catch (IOException | ClassNotFoundException | ClassCastException e) {
                throw new JParallelException("The result of task " + taskId + " could not be read on the manager: "
                        + e + ". Its class must be on the manager's classpath.", e);
            }
            decoded = true;
            resultBytes = null;
        }
        return value;
    }

    @Override
    public String toString() {
        return "task " + taskId + " (" + state + ")";
    }
}
