package org.jparallel;

import java.util.List;

/**
 * A task that could not run because its context's setup threw on the worker(s) it was sent to. It
 * is a {@link TaskFailedException} (it fails only this task, and lists every attempt), so code
 * that handles failed tasks handles it too; catch it by type to tell a broken setup from a broken
 * task. Its cause is the setup's own exception, rebuilt as a {@link RemoteTaskException}.
 *
 * <pre>{@code
 * try {
 *     r = results.next();
 * } catch (SetupFailedException e) {
 *     RemoteTaskException why = e.getSetupException(); // e.g. the model file is missing
 * }
 * }</pre>
 */
public class SetupFailedException extends TaskFailedException {
    private static final long serialVersionUID = 1L;

    /**
     * @param taskId the manager-wide id of the task
     * @param summary why the task failed, in one line
     * @param attempts every attempt, oldest first
     * @param setupException the exception the setup threw, rebuilt; may be {@code null} when it
     *     could not be carried
     */
    public SetupFailedException(long taskId, String summary, List<TaskAttempt> attempts,
                                RemoteTaskException setupException) {
        this(taskId, null, summary, attempts, setupException);
    }

    /**
     * @param taskId the manager-wide id of the task
     * @param key the task's key within its context, or {@code null} for a task added without one
     * @param summary why the task failed, in one line
     * @param attempts every attempt, oldest first
     * @param setupException the exception the setup threw, rebuilt; may be {@code null} when it
     *     could not be carried
     */
    public SetupFailedException(long taskId, String key, String summary, List<TaskAttempt> attempts,
                                RemoteTaskException setupException) {
        super(taskId, key, summary, attempts, setupException);
    }

    /** @return the exception the setup threw on the worker, rebuilt, or {@code null} */
    public RemoteTaskException getSetupException() {
        return getCause() instanceof RemoteTaskException r ? r : null;
    }
}
