package org.jparallel.local;

import java.nio.file.Path;
import java.util.function.IntConsumer;
import org.jparallel.spi.OutputFiles;
import org.jparallel.spi.ProcessWorkerHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's grip on one local worker process (or on the failure to start it): the SPI's {@link
 * ProcessWorkerHandle} (status from the process, output from its output file, a stop that leaves no
 * process behind) with the worker's pid and an after-exit step run once the process has ended.
 * Thread-safe.
 */
public final class LocalProcessHandle extends ProcessWorkerHandle {
    private static final Logger LOG = LoggerFactory.getLogger(LocalProcessHandle.class);

    /** How much of the end of the output file {@link #outputTail} reads at most. */
    static final int TAIL_BYTES = OutputFiles.TAIL_BYTES;
    private static final long TERM_GRACE_MS = 2_000;

    private final IntConsumer afterExit;
    private boolean afterExitRun; // guarded by this

    LocalProcessHandle(int workerId, Process process, Path output) {
        this(workerId, process, null, output, null);
    }

    /**
     * @param afterExit told the exit code once the process has ended (from the process reaper or
     *     from {@link #stop}, whichever sees it first), or {@code null}
     */
    LocalProcessHandle(int workerId, Process process, Path output, IntConsumer afterExit) {
        this(workerId, process, null, output, afterExit);
    }

    private LocalProcessHandle(int workerId, Process process, String failure, Path output, IntConsumer afterExit) {
        super(workerId, process, failure, output, TERM_GRACE_MS);
        this.afterExit = afterExit;
        if (process != null && afterExit != null) {
            process.onExit().thenRunAsync(this::runAfterExit, AfterExit.THREAD);
        }
    }

    /** @return the handle of a worker that never started, for {@code reason} */
    static LocalProcessHandle failed(int workerId, Path output, String reason) {
        return new LocalProcessHandle(workerId, null, reason, output, null);
    }

    /** Runs the after-exit step once the process has ended; a second caller waits until the first is done. */
    private synchronized void runAfterExit() {
        if (afterExit != null && !afterExitRun && !process().isAlive()) {
            afterExitRun = true;
            try {
                afterExit.accept(process().exitValue());
            } catch (RuntimeException e) {
                LOG.warn("{}: after-exit step failed: {}", description(), e.toString());
            }
        }
    }

    /** @return the process id, or -1 when the worker never started */
    public long pid() {
        return process() == null ? -1 : process().pid();
    }

    @Override
    public String description() {
        return process() == null ? "local worker " + workerId() + " (not started)"
                : "local worker " + workerId() + " (pid " + process().pid() + ")";
    }

    /** The after-exit step, once {@link #stop} has ended the process. */
    @Override
    protected void afterStop() {
        runAfterExit();
    }

    /** @return the last {@code maxLines} lines of {@code text}, without a trailing line break */
    static String lastLines(String text, int maxLines) {
        return OutputFiles.lastLines(text, maxLines);
    }
}
