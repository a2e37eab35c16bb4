package org.jparallel.spi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A worker that is an operating-system process of this machine (the worker JVM, or a command such as
 * {@code qrsh -inherit} or a shell that runs it), or the failure to start one: its status comes from
 * the process, its output from its output file, and {@link #stop} leaves none of the process's tree
 * behind. Backends that start local processes extend it with their description and, if they need
 * one, a step after the stop ({@link #afterStop}). Thread-safe.
 */
public abstract class ProcessWorkerHandle extends OutputFileWorkerHandle {
    private static final System.Logger LOG = System.getLogger(ProcessWorkerHandle.class.getName());
    private static final long KILL_WAIT_MS = 5_000;
    private static final long POLL_MS = 20;

    private final Process process;
    private final String failure;
    private final long termGraceMs;

    /**
     * @param workerId the worker id
     * @param process the process, or {@code null} when it could not be started
     * @param failure why it could not be started (with a {@code null} process)
     * @param output the worker's output file
     * @param termGraceMs how long {@link #stop} waits after SIGTERM before SIGKILL
     */
    protected ProcessWorkerHandle(int workerId, Process process, String failure, Path output, long termGraceMs) {
        super(workerId, output);
        this.process = process;
        this.failure = failure;
        this.termGraceMs = termGraceMs;
    }

    /** @return the process, or {@code null} when it could not be started */
    protected final Process process() {
        return process;
    }

    /** @return RUNNING while the process lives, then EXITED with its code; FAILED when it never started */
    @Override
    public WorkerStatus status() {
        if (process == null) {
            return WorkerStatus.failed(failure);
        }
        return process.isAlive() ? WorkerStatus.running() : WorkerStatus.exited(process.exitValue());
    }

    /**
     * Asks the process and its descendants to end (SIGTERM), kills whatever is left after the grace
     * (SIGKILL), and waits up to 5 s more until they are gone; then runs {@link #afterStop}. Never throws.
     */
    @Override
    public void stop() {
        boolean interrupted = false;
        try {
            if (process != null) {
                interrupted = endTree();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "stopping " + description() + " failed: " + e);
        } finally {
            try {
                afterStop();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, description() + ": the step after stopping failed: " + e);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What to do once {@link #stop} has ended the process (also when it never started); nothing by default. */
    protected void afterStop() {
    }

    /** @return true when the waiting thread was interrupted */
    private boolean endTree() {
        // Take the descendants first: once the process is gone they are no longer its descendants.
        List<ProcessHandle> all = new ArrayList<>();
        try {
            process.descendants().forEach(all::add);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, description() + ": cannot list descendants: " + e);
        }
        all.add(0, process.toHandle());
        if (all.stream().noneMatch(ProcessHandle::isAlive)) {
            // ended already; wait until the JVM has reaped it, so its exit code is there
            return awaitGone(all, deadline(KILL_WAIT_MS));
        }
        all.forEach(ProcessHandle::destroy);
        boolean interrupted = awaitGone(all, deadline(termGraceMs));
        if (all.stream().anyMatch(ProcessHandle::isAlive)) {
            LOG.log(System.Logger.Level.DEBUG, description() + " did not end on SIGTERM; killing it");
            all.forEach(ProcessHandle::destroyForcibly);
            interrupted |= awaitGone(all, deadline(KILL_WAIT_MS));
            if (all.stream().anyMatch(ProcessHandle::isAlive)) {
                LOG.log(System.Logger.Level.WARNING, description() + " still runs " + KILL_WAIT_MS + " ms after SIGKILL");
            }
        }
        return interrupted;
    }

    private static long deadline(long ms) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    }

    /**
     * Waits until every process has ended or the deadline passes. The process itself is waited for
     * through {@link Process#waitFor}, which also reaps it; its descendants are polled.
     *
     * @return true when the waiting thread was interrupted (the wait then ends at once)
     */
    private boolean awaitGone(List<ProcessHandle> all, long deadline) {
        try {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                process.waitFor(left, TimeUnit.NANOSECONDS);
            }
            while (System.nanoTime() < deadline && all.stream().anyMatch(ProcessHandle::isAlive)) {
                Thread.sleep(POLL_MS);
            }
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }
}
