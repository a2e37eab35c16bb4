package org.jparallel.core.dispatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jparallel.TaskAttempt;
import org.jparallel.TaskFailedException;

/**
 * One task of {@link DispatcherModel}: the completion the dispatcher reports to (it records every call, so
 * a second end or an end after a cancel is seen) and the model's own account of the task (how it must end,
 * which attempts it must carry, which fake worker holds it). Mirrors the user-facing record: a cancel by
 * the user or an abandon makes it cancelled.
 */
final class ModelTask extends TrackedCompletion {
    /** How a task ended. */
    enum End { RESULT, FAILED, CANCELLED }

    final long id;
    final int contextId;
    final long timeoutMillis;
    /** Its declared expected duration in model milliseconds; 0 for none. */
    long expectedMillis;
    /** The task slots it asks for. */
    int cpus = 1;
    QueuedTask queued;

    // ---- what the dispatcher reported ----
    /** Every call the dispatcher made to end the task, in order, as text. */
    final List<String> calls = new ArrayList<>();
    End reportedEnd;
    byte[] reportedPayload;
    TaskFailedException reportedFailure;
    String reportedCancel;
    boolean userCancelled;

    // ---- the model ----
    End expectedEnd;
    /** The payload the worker answered, the failure's last attempt outcome, or the cancel reason. */
    Object expectedDetail;
    int lost;
    int threw;
    int timedOut;
    /** The fake worker that holds it (sent, not answered), or {@code null}. */
    FakeWorker heldBy;
    /** Virtual time at which it became the first task its worker holds: when it started running. */
    long startedAt = -1;

    ModelTask(long id, int contextId, long timeoutMillis) {
        this.id = id;
        this.contextId = contextId;
        this.timeoutMillis = timeoutMillis;
    }

    boolean modelEnded() {
        return expectedEnd != null;
    }

    void expect(End end, Object detail) {
        if (expectedEnd == null) {
            expectedEnd = end;
            expectedDetail = detail;
        }
    }

    // ---- TaskCompletion ----

    @Override
    public long taskId() {
        return id;
    }

    @Override
    public boolean isCancelled() {
        return userCancelled || reportedEnd == End.CANCELLED;
    }

    @Override
    public void succeeded(byte[] payload) {
        record(End.RESULT, "succeeded(" + Arrays.toString(payload) + ")");
        reportedPayload = payload;
    }

    @Override
    public void failed(TaskFailedException failure) {
        record(End.FAILED, "failed(" + lastOutcome(failure) + ")");
        reportedFailure = failure;
    }

    @Override
    public void abandoned(String why) {
        record(End.CANCELLED, "abandoned(" + why + ")");
        reportedCancel = why;
    }

    private void record(End end, String call) {
        calls.add((userCancelled ? "after the user's cancel: " : "") + call);
        if (reportedEnd == null) {
            reportedEnd = end;
        }
    }

    static TaskAttempt.Outcome lastOutcome(TaskFailedException f) {
        List<TaskAttempt> a = f.getAttempts();
        return a.isEmpty() ? null : a.get(a.size() - 1).outcome();
    }

    int attempts(TaskAttempt.Outcome outcome) {
        return queued == null ? 0 : queued.attemptsThat(outcome);
    }

    @Override
    public String toString() {
        return "task " + id + " (context " + contextId + (timeoutMillis > 0 ? ", limit " + timeoutMillis + " ms" : "")
                + (expectedMillis > 0 ? ", expected " + expectedMillis + " ms" : "") + ")";
    }
}
