package org.jparallel.core.dispatch;

import java.util.ArrayList;
import java.util.List;
import org.jparallel.core.protocol.Message;
import org.jparallel.TaskAttempt;
import org.jparallel.core.serial.SendablePayload;

/**
 * A task as the dispatcher tracks it: its payload (kept until it completes, to run it again after a
 * failover), its context and the attempts so far. Touched only on the dispatcher thread.
 */
public final class QueuedTask {
    /** A payload from this size on is kept outside the heap; see {@link TaskPayload}. */
    public static final int DIRECT_FROM = TaskPayload.DIRECT_FROM;
    final TaskCompletion completion;
    final int contextId;
    /** The serialized task as {@link TaskPayload} keeps it. */
    private Object payload;
    /** The numbers of the lambda shapes the payload refers to (see {@code ShapeBook}). */
    final int[] shapes;
    final long timeoutMillis;
    /** How long the task is declared to run, in nanoseconds; 0 when not declared. */
    long expectedNanos;
    List<TaskAttempt> attempts;
    int sends;
    long sentAt;
    boolean done;
    WorkerSlot runningOn;
    /**
     * The task was on a worker that was lost while it held other tasks too, so whether the task had
     * started there is not known (the worker runs its tasks in order, but holds back the answers of
     * small ones for a batch). It is sent from now on only to a worker that holds nothing else, and
     * nothing is sent behind it until it is answered, so that a later loss is charged to it exactly.
     */
    boolean runsAlone;
    /** How many of a worker's task slots the task takes: it goes only where that many are free. */
    int cpus = 1;

    /**
     * @param completion where to report the end
     * @param contextId the task's context
     * @param payload the serialized task
     */
    public QueuedTask(TaskCompletion completion, int contextId, byte[] payload) {
        this(completion, contextId, payload, 0);
    }

    /**
     * @param completion where to report the end
     * @param contextId the task's context
     * @param payload the serialized task
     * @param timeoutMillis the task's time limit on a worker, 0 for none
     */
    public QueuedTask(TaskCompletion completion, int contextId, byte[] payload, long timeoutMillis) {
        this(completion, contextId, TaskPayload.keep(payload), SendablePayload.NO_SHAPES, timeoutMillis);
    }

    /**
     * @param completion where to report the end
     * @param contextId the task's context
     * @param payload the serialized task, as {@code Payloads.serializeForSending} wrote it (given
     *     {@link #DIRECT_FROM}): a direct buffer is kept as it is, never written to; the lambda shapes
     *     it refers to are sent to a worker before it
     * @param timeoutMillis the task's time limit on a worker, 0 for none
     */
    public QueuedTask(TaskCompletion completion, int contextId, SendablePayload payload, long timeoutMillis) {
        this(completion, contextId, TaskPayload.keep(payload), payload.shapes(), timeoutMillis);
    }

    private QueuedTask(TaskCompletion completion, int contextId, Object payload, int[] shapes, long timeoutMillis) {
        this.completion = completion;
        this.contextId = contextId;
        this.payload = payload;
        this.shapes = shapes;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Declares how long the task is expected to run (before it is submitted): it then goes only to a
     * worker that lives long enough to finish it.
     *
     * @param nanos the expected running time in nanoseconds; 0 for not declared
     */
    public void expectDuration(long nanos) {
        this.expectedNanos = Math.max(0, nanos);
    }

    /**
     * Declares how many task slots (cpus) of a worker the task needs (before it is submitted): it then
     * goes only to a worker with that many slots free, and shares the worker with no more work than its
     * remaining slots.
     *
     * @param n 1 or more
     */
    public void needCpus(int n) {
        this.cpus = Math.max(1, n);
    }

    /** @return where the task's end is reported (for a task that never reached the dispatcher) */
    public TaskCompletion completion() {
        return completion;
    }

    /** @return the TASK message that carries this task */
    Message message() {
        return TaskPayload.message(payload, id(), contextId);
    }

    /**
     * Frees a payload kept outside the heap now rather than when the garbage collector finds this task
     * unreachable (which, for a task that lived long enough to be promoted, can be after the direct
     * memory limit has forced a full collection). Only after an answer to the task's only send: that
     * worker read the whole frame, so no write of it is pending. A task sent more than once (after a
     * failover or a time-out) is left to the garbage collector, since a later send may still be queued.
     */
    void freePayloadIfSentOnce() {
        if (sends == 1) {
            payload = TaskPayload.free(payload);
        }
    }

    /** @return true when the task's outcome no longer counts: completed, timed out, or cancelled */
    boolean isOver() {
        return done || completion.isCancelled();
    }

    /** Abandons the task unless it already ended (timed out and still held by its worker, or cancelled). */
    void abandonUnlessOver(String why) {
        if (!isOver()) {
            completion.abandoned(why);
        }
    }

    long id() {
        return completion.taskId();
    }

    /** @return the task's key within its context, or {@code null}: its failure names it */
    String key() {
        return completion.key();
    }

    void addAttempt(TaskAttempt attempt) {
        if (attempts == null) {
            attempts = new ArrayList<>(2);
        }
        attempts.add(attempt);
    }

    /** @return how many attempts so far ended so (the failure budget counts them; no counter per task) */
    int attemptsThat(TaskAttempt.Outcome outcome) {
        int n = 0;
        for (TaskAttempt a : attempts()) {
            if (a.outcome() == outcome) {
                n++;
            }
        }
        return n;
    }

    List<TaskAttempt> attempts() {
        return attempts == null ? List.of() : attempts;
    }
}
