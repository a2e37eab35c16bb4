package org.jparallel;

import java.io.Serializable;

/**
 * One unit of work, run on a worker with the result of its context's setup.
 *
 * <p>A task is serialized on the manager and deserialized on a worker, so it must be
 * {@link Serializable}; a lambda assigned to this type is. Its class (for a lambda, the class
 * that wrote it) must be on the worker's classpath.
 *
 * @param <S> the type of the setup result the task receives ({@code Void} when the context has none)
 * @param <R> the type of the task's result, which must be serializable too
 */
@FunctionalInterface
public interface Task<S, R> extends Serializable {
    /**
     * Runs the task.
     *
     * @param setup what the context's setup returned on this worker, or {@code null} without setup
     * @return the result, sent back to the manager
     * @throws Exception any failure; it reaches the caller as a {@link RemoteTaskException}
     */
    R run(S setup) throws Exception;
}
