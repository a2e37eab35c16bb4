package org.jparallel.spi;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One worker running as a task of a batch scheduler's array job. It exists because every scheduler
 * backend's handle lives the same way, and only the mapping of the scheduler's states differs (that
 * is what a subclass writes, in {@link #poll}): the status comes from a shared, throttled view of the
 * queue, never from one scheduler call per worker; a task that left the queue without connecting
 * reports the exit code its job recorded in the {@link RunDirectory}, or counts as gone once
 * {@link #MISSES_TO_VANISH} views in a row have missed it; a terminal status is remembered; {@link
 * #stop} cancels the task unless it recorded an exit, then counts the worker out of its submission.
 * Thread-safe.
 */
public abstract class ArrayTaskHandle implements WorkerHandle {
    /** Views of the queue in a row that must miss a task before it counts as gone without an exit code. */
    public static final int MISSES_TO_VANISH = 2;

    private final int workerId;
    private final Path output;
    private final RunDirectory run;
    private final Runnable onStopped;
    private final long submittedNanos;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private long lastSequence; // guarded by this
    private int misses; // guarded by this
    private volatile WorkerStatus terminal;

    /**
     * @param workerId the worker's id, which is its array task id
     * @param output the task's output file
     * @param run the submission's directory, where the job records the worker's exit code
     * @param onStopped run once by the first {@link #stop}, e.g. to delete the directory after the last worker
     */
    protected ArrayTaskHandle(int workerId, Path output, RunDirectory run, Runnable onStopped) {
        this.workerId = workerId;
        this.output = output;
        this.run = run;
        this.onStopped = onStopped;
        this.submittedNanos = System.nanoTime();
    }

    @Override
    public final int workerId() {
        return workerId;
    }

    /** @return the remembered terminal status, FAILED once stopped, else what {@link #poll} finds */
    @Override
    public final synchronized WorkerStatus status() {
        if (terminal != null) {
            return terminal;
        }
        if (stopped.get()) {
            return WorkerStatus.failed(stoppedDetail());
        }
        return poll();
    }

    /** @return the detail of the status of a worker the manager stopped, naming the task */
    protected abstract String stoppedDetail();

    /**
     * Reads the task's state from the scheduler's view. Called with this handle's lock held, neither
     * after a terminal status nor after a stop.
     *
     * @return the worker's status
     */
    protected abstract WorkerStatus poll();

    /** @return true when a view that began at {@code startedNanos} ({@link System#nanoTime}) predates the submission */
    protected final boolean predatesSubmission(long startedNanos) {
        return startedNanos - submittedNanos < 0;
    }

    /** Records that the view listed the task. */
    protected final synchronized void listed() {
        misses = 0;
    }

    /**
     * Records that a view did not list the task.
     *
     * @param sequence the view's sequence number; a view seen before does not count again
     * @return true once {@link #MISSES_TO_VANISH} views in a row have missed it
     */
    protected final synchronized boolean missing(long sequence) {
        if (sequence != lastSequence) {
            lastSequence = sequence;
            misses++;
        }
        return misses >= MISSES_TO_VANISH;
    }

    /** @return the exit code the task's job recorded, if it has */
    protected final Optional<Integer> recordedExitCode() {
        return run.exitCode(workerId);
    }

    /**
     * Remembers a terminal status: {@link #status} returns it from now on.
     *
     * @param status EXITED or FAILED
     * @return {@code status}
     */
    protected final WorkerStatus end(WorkerStatus status) {
        terminal = status;
        return status;
    }

    /** Stops the worker on a daemon thread, so that a {@link #poll} that found the task hopeless need not wait. */
    protected final void stopInBackground(String threadName) {
        Thread t = new Thread(this::stop, threadName);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public final String outputTail(int maxLines) {
        return OutputFiles.tail(output, maxLines);
    }

    @Override
    public final String logLocation() {
        return output.toString();
    }

    /** Cancels the task unless its job recorded an exit code, then runs the stop action. Idempotent. */
    @Override
    public final void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            if (recordedExitCode().isEmpty()) {
                cancel();
            }
        } finally {
            onStopped.run();
        }
    }

    /** Removes the task from the scheduler, queued or running. Must not throw: log a failure instead. */
    protected abstract void cancel();

    @Override
    public String toString() {
        return description();
    }
}
