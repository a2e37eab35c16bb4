package org.jparallel.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.jparallel.spi.OutputFiles;
import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.WorkerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's grip on one local worker process (or on the failure to start it): its state from the
 * process itself, its output from its output file, and a stop that leaves no process behind.
 * Thread-safe.
 */
public final class LocalProcessHandle implements WorkerHandle {
    private static final Logger LOG = LoggerFactory.getLogger(LocalProcessHandle.class);

    /** How much of the end of the output file {@link #outputTail} reads at most. */
    static final int TAIL_BYTES = OutputFiles.TAIL_BYTES;
    private static final long TERM_GRACE_MS = 2_000;
    private static final long KILL_WAIT_MS = 5_000;

    private final int workerId;
    private final Process process;
    private final String failure;
    private final Path output;
    private final long termGraceMs;
    private final IntConsumer afterExit;
    private boolean afterExitRun; // guarded by this

    LocalProcessHandle(int workerId, Process process, Path output) {
        this(workerId, process, null, output, TERM_GRACE_MS, null);
    }

    /**
     * @param termGraceMs how long {@link #stop} waits after SIGTERM before SIGKILL
     * @param afterExit told the exit code once the process has ended (from the process reaper or
     *     from {@link #stop}, whichever sees it first), or {@code null}
     */
    LocalProcessHandle(int workerId, Process process, Path output, long termGraceMs, IntConsumer afterExit) {
        this(workerId, process, null, output, termGraceMs, afterExit);
    }

    private LocalProcessHandle(int workerId, Process process, String failure, Path output, long termGraceMs,
                               IntConsumer afterExit) {
        this.workerId = workerId;
        this.process = process;
        this.failure = failure;
        this.output = output;
        this.termGraceMs = termGraceMs;
        this.afterExit = afterExit;
        if (process != null && afterExit != null) {
            process.onExit().thenRun(this::runAfterExit);
        }
    }

    /** @return the handle of a worker that never started, for {@code reason} */
    static LocalProcessHandle failed(int workerId, Path output, String reason) {
        return new LocalProcessHandle(workerId, null, reason, output, TERM_GRACE_MS, null);
    }

    /** Runs the after-exit step once the process has ended; a second caller waits until the first is done. */
    private synchronized void runAfterExit() {
        if (afterExit != null && !afterExitRun && !process.isAlive()) {
            afterExitRun = true;
            try {
                afterExit.accept(process.exitValue());
            } catch (RuntimeException e) {
                LOG.warn("{}: after-exit step failed: {}", description(), e.toString());
            }
        }
    }

    @Override
    public int workerId() {
        return workerId;
    }

    /** @return the process id, or -1 when the worker never started */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    @Override
    public String description() {
        return process == null ? "local worker " + workerId + " (not started)"
                : "local worker " + workerId + " (pid " + process.pid() + ")";
    }

    @Override
    public WorkerStatus status() {
        if (process == null) {
            return WorkerStatus.failed(failure);
        }
        if (process.isAlive()) {
            return WorkerStatus.running();
        }
        return WorkerStatus.exited(process.exitValue());
    }

    @Override
    public String outputTail(int maxLines) {
        return OutputFiles.tail(output, maxLines);
    }

    @Override
    public String logLocation() {
        return output.toString();
    }

    /**
     * Asks the process and its descendants to end (SIGTERM), kills whatever is left after 2 s
     * (SIGKILL; longer for a worker writing its class data sharing archive as it exits), and waits
     * up to 5 s more until they are gone.
     */
    @Override
    public void stop() {
        if (process == null) {
            return;
        }
        boolean interrupted = false;
        try {
            // Take the descendants first: once the worker is gone they are no longer its descendants.
            List<ProcessHandle> all = new ArrayList<>();
            try {
                process.descendants().forEach(all::add);
            } catch (RuntimeException e) {
                LOG.debug("{}: cannot list descendants: {}", description(), e.toString());
            }
            all.add(0, process.toHandle());
            if (all.stream().noneMatch(ProcessHandle::isAlive)) {
                // ended already; wait until the JVM has reaped it, so its exit code (and after-exit step) is there
                interrupted = awaitGone(all, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KILL_WAIT_MS));
                return;
            }
            LOG.debug("stopping {} and {} descendant(s)", description(), all.size() - 1);
            all.forEach(ProcessHandle::destroy);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(termGraceMs);
            interrupted = awaitGone(all, deadline);
            if (all.stream().anyMatch(ProcessHandle::isAlive)) {
                LOG.debug("{} did not end on SIGTERM; killing it", description());
                all.forEach(ProcessHandle::destroyForcibly);
                deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KILL_WAIT_MS);
                interrupted |= awaitGone(all, deadline);
                if (all.stream().anyMatch(ProcessHandle::isAlive)) {
                    LOG.warn("{} still runs {} ms after SIGKILL", description(), KILL_WAIT_MS);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("stopping {} failed: {}", description(), e.toString());
        } finally {
            runAfterExit();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits until every process has ended or the deadline passes. The worker itself is waited for
     * through {@link Process#waitFor}, which also reaps it.
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
                Thread.sleep(20);
            }
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    @Override
    public String toString() {
        return description();
    }

    /** @return the last {@code maxLines} lines of {@code text}, without a trailing line break */
    static String lastLines(String text, int maxLines) {
        return OutputFiles.lastLines(text, maxLines);
    }
}
