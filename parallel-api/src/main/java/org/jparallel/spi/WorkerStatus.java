package org.jparallel.spi;

/**
 * What a backend knows about one worker it started: the core asks this of workers that have not
 * connected yet, to fail fast when they cannot start instead of waiting for a timeout.
 *
 * @param phase where the worker is in its life, as the backend sees it
 * @param exitCode the exit code for {@link Phase#EXITED}, otherwise -1
 * @param detail a human-readable explanation (e.g. the scheduler's reason), may be empty
 */
public record WorkerStatus(Phase phase, int exitCode, String detail) {

    /** A worker's life as a backend sees it. */
    public enum Phase {
        /** Asked for, not running yet (e.g. queued on a cluster). */
        PENDING,
        /** Its process runs. */
        RUNNING,
        /** Its process ended with an exit code. */
        EXITED,
        /** It could not be started or the scheduler reports an error; see the detail. */
        FAILED
    }

    /** @return a pending status */
    public static WorkerStatus pending(String detail) {
        return new WorkerStatus(Phase.PENDING, -1, detail);
    }

    /** @return a running status */
    public static WorkerStatus running() {
        return new WorkerStatus(Phase.RUNNING, -1, "");
    }

    /** @return the status of a process that exited with {@code code} */
    public static WorkerStatus exited(int code) {
        return new WorkerStatus(Phase.EXITED, code, "exited with code " + code);
    }

    /** @return the status of a worker that could not run, with the reason */
    public static WorkerStatus failed(String reason) {
        return new WorkerStatus(Phase.FAILED, -1, reason);
    }

    /** @return true when the worker will never connect (exited or failed) */
    public boolean isTerminal() {
        return phase == Phase.EXITED || phase == Phase.FAILED;
    }
}
