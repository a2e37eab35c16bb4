package org.jparallel;

import java.util.List;
import java.util.Optional;

/**
 * A task that did not produce a result after all the attempts its failure budget allows. It lists
 * every attempt; its cause is the last attempt's remote exception when the task threw. When the
 * context's setup threw instead, it is a {@link SetupFailedException}.
 *
 * <p>It fails only this task: the other tasks of the context go on, and reading results can
 * continue after catching it. A task added with a key ({@link TaskOptions#withKey(String)}, or the keyed
 * {@code map} and {@code mapUnordered}) names it in {@link #getKey()} and in the message, so that the
 * program can tell which input failed.
 */
public class TaskFailedException extends JParallelException {
    private static final long serialVersionUID = 1L;

    private final long taskId;
    private final List<TaskAttempt> attempts;
    /**
     * The task's key, or {@code null}. A field added after the first release with the same serialVersionUID: one
     * serialized before it reads back with {@code null}, as a task without a key.
     */
    private final String key;

    /**
     * A task without a key.
     *
     * @param taskId the manager-wide id of the task
     * @param summary why the task failed, in one line
     * @param attempts every attempt, oldest first
     */
    public TaskFailedException(long taskId, String summary, List<TaskAttempt> attempts) {
        this(taskId, null, summary, attempts);
    }

    /**
     * @param taskId the manager-wide id of the task
     * @param key the task's key within its context, or {@code null} for a task added without one
     * @param summary why the task failed, in one line
     * @param attempts every attempt, oldest first
     */
    public TaskFailedException(long taskId, String key, String summary, List<TaskAttempt> attempts) {
        this(taskId, key, summary, attempts, lastCause(attempts));
    }

    /**
     * @param taskId the manager-wide id of the task
     * @param summary why the task failed, in one line
     * @param attempts every attempt, oldest first
     * @param cause the cause to report, for a subclass that knows better than the last attempt's
     */
    protected TaskFailedException(long taskId, String summary, List<TaskAttempt> attempts, Throwable cause) {
        this(taskId, null, summary, attempts, cause);
    }

    /**
     * @param taskId the manager-wide id of the task
     * @param key the task's key within its context, or {@code null} for a task added without one
     * @param summary why the task failed, in one line
     * @param attempts every attempt, oldest first
     * @param cause the cause to report, for a subclass that knows better than the last attempt's
     */
    protected TaskFailedException(long taskId, String key, String summary, List<TaskAttempt> attempts,
                                  Throwable cause) {
        super(message(taskId, key, summary, attempts), cause);
        this.taskId = taskId;
        this.key = key;
        this.attempts = List.copyOf(attempts);
    }

    private static String message(long taskId, String key, String summary, List<TaskAttempt> attempts) {
        StringBuilder b = new StringBuilder("Task ").append(taskId);
        if (key != null) {
            b.append(" (key '").append(key).append("')");
        }
        b.append(" failed: ").append(summary);
        for (int i = 0; i < attempts.size(); i++) {
            b.append("\n  attempt ").append(i + 1).append(": ").append(attempts.get(i));
        }
        return b.toString();
    }

    private static Throwable lastCause(List<TaskAttempt> attempts) {
        for (int i = attempts.size() - 1; i >= 0; i--) {
            if (attempts.get(i).cause() != null) {
                return attempts.get(i).cause();
            }
        }
        return null;
    }

    /** @return the manager-wide id of the failed task */
    public long getTaskId() {
        return taskId;
    }

    /**
     * @return the key the task was added with ({@link TaskOptions#withKey(String)}, or the key function of the keyed
     *     {@code map} and {@code mapUnordered}), or empty for a task added without one
     */
    public Optional<String> getKey() {
        return Optional.ofNullable(key);
    }

    /** @return every attempt at the task, oldest first */
    public List<TaskAttempt> getAttempts() {
        return attempts;
    }
}
