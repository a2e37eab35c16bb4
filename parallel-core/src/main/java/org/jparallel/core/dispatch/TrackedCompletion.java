package org.jparallel.core.dispatch;

/**
 * A {@link TaskCompletion} that remembers what the dispatcher told it: whether the task was sent and whether its
 * end was posted. Every completion needs exactly this (a forgotten {@link #wasEnded} brought back a second end
 * event, taskDone then taskCancelled, when a program's cancel reached an already-ended task), so it lives here
 * once: two booleans, written and read on the dispatcher thread only, no allocation per task.
 */
public abstract non-sealed class TrackedCompletion implements TaskCompletion {
    /** Set when the dispatcher first sends the task; dispatcher thread only. */
    private boolean sent;
    /** Set when the dispatcher ended the task (its end event posted); dispatcher thread only. */
    private boolean ended;

    /** For subclasses. */
    protected TrackedCompletion() {
    }

    /** Notes the send, then tells {@link #onSent}. */
    @Override
    public final void sent() {
        sent = true;
        onSent();
    }

    /** Called at each send, after it was noted; does nothing here (a test's counter overrides it). */
    protected void onSent() {
    }

    @Override
    public final boolean wasSent() {
        return sent;
    }

    @Override
    public final void ended() {
        ended = true;
    }

    @Override
    public final boolean wasEnded() {
        return ended;
    }
}
