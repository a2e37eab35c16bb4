package org.jparallel;

/**
 * Thrown while results are awaited but no worker is left to run the waiting tasks: none was added,
 * none could start, or all were lost. The message says what became of each worker.
 *
 * <p>The waiting tasks are kept: add a worker with {@link Manager#addWorker} and read the results
 * again to have them run.
 */
public class NoMoreWorkersException extends JParallelException {
    private static final long serialVersionUID = 1L;

    /** @param message what became of the workers and what to do */
    public NoMoreWorkersException(String message) {
        super(message);
    }
}
