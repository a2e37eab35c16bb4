package org.jparallel.spi;

/**
 * A backend's grip on one worker it started: the core polls its status until the worker connects,
 * reads its output when it fails, and stops it at close or when it is presumed dead.
 *
 * <p>Implementations must be thread-safe; {@link #status()} is called often and should be cheap
 * (a backend that asks a scheduler should cache and throttle).
 */
public interface WorkerHandle {

    /** @return the worker id the core assigned (from {@link LaunchSpec#workerIds()}) */
    int workerId();

    /** @return a short description for messages, e.g. {@code local worker 3 (pid 4711)} */
    String description();

    /** @return the worker's state as the backend sees it */
    WorkerStatus status();

    /**
     * @param maxLines how many lines at most
     * @return the last lines of the worker's output, or an empty string when there is none
     */
    String outputTail(int maxLines);

    /** @return where the worker's output goes (a path or a URL), or {@code null} when nowhere */
    String logLocation();

    /** Ends the worker, forcibly if it does not go quietly. Idempotent; must not throw. */
    void stop();
}
