package org.jparallel.core.dispatch;

import org.jparallel.core.protocol.HeldPayload;
import org.jparallel.TaskFailedException;

/**
 * Where the dispatcher reports the end of a task: implemented by the user-facing future. Called on
 * the dispatcher thread, exactly once per task, and must not block. Sealed: implementations extend
 * {@link TrackedCompletion}, which keeps the sent and ended flags the dispatcher reads back.
 */
public sealed interface TaskCompletion permits TrackedCompletion {
    /** @return the manager-wide task id */
    long taskId();

    /** @return the task's key within its context, or {@code null}: a failure names it */
    default String key() {
        return null;
    }

    /**
     * The task was sent to a worker; called on the dispatcher thread at each send. No default: a completion that
     * forgot it would have its cancelled task's workers never searched ({@link TrackedCompletion} remembers it).
     */
    void sent();

    /**
     * @return false when the task was never sent, so that no worker can hold it: a cancelled task's
     *     workers are then not searched. Read on the dispatcher thread only.
     */
    boolean wasSent();

    /**
     * The dispatcher ended the task: its taskDone or taskFailed event is posted. Called on the dispatcher thread,
     * after {@link #succeeded} or {@link #failed} returned (a journaled task's future may complete later still, once
     * its result is written). No default: a completion that forgot it would get a second end event (taskDone, then
     * taskCancelled) when the program's cancel reaches the ended task ({@link TrackedCompletion} remembers it).
     */
    void ended();

    /**
     * @return whether the dispatcher ended the task: a cancel that reaches it afterwards (the program's cancel won
     *     against the future's completion) makes no second end event. Read on the dispatcher thread only.
     */
    boolean wasEnded();

    /** @return true when the user cancelled the task; the dispatcher then drops it */
    boolean isCancelled();

    /** The task returned; {@code payload} is its serialized result. */
    void succeeded(byte[] payload);

    /** The task returned a {@code byte[]}: {@code bytes} is that value itself, not a payload. */
    default void succeededWithBytes(byte[] bytes) {
        succeeded(new org.jparallel.core.protocol.Message.Result(0, 0, bytes, true).taggedPayload());
    }

    /**
     * The task succeeded; its payload waits outside the heap (see {@link HeldPayload}), the value a
     * {@code byte[]} when {@code rawBytes}. By default it is taken at once, as an array.
     */
    default void succeededHeld(HeldPayload payload, boolean rawBytes) {
        byte[] bytes = payload.take();
        if (rawBytes) {
            succeededWithBytes(bytes);
        } else {
            succeeded(bytes);
        }
    }

    /** The task failed for good. */
    void failed(TaskFailedException failure);

    /**
     * The task will not run (or its result will not count): its context or manager was closed.
     * Afterwards {@link #isCancelled()} must return true, so a late result is dropped.
     */
    void abandoned(String why);
}
