package org.jparallel.spi;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The handle of a worker that was never started, e.g. because the scheduler refused its job or the
 * run was a dry run: its status is FAILED with the reason, its output tail is what was written to its
 * output file after the handle was made (a file an earlier run left there is not this worker's). It exists because the core wants one handle per worker id even when nothing started, and a
 * backend that submits workers in batches fails every worker of a batch alike. Thread-safe.
 */
public final class UnstartedWorkerHandle implements WorkerHandle {
    private final int workerId;
    private final String description;
    private final Path output;
    private final long outputStart;
    private final String reason;
    private final Runnable onStop;
    private final AtomicBoolean stopped = new AtomicBoolean();

    /**
     * @param workerId the worker's id
     * @param description what the worker is, e.g. {@code Slurm worker 3 (not submitted)}
     * @param output the worker's output file
     * @param reason why it did not start: what to fix
     * @param onStop run by the first {@link #stop}, e.g. to count the worker out of its submission
     */
    public UnstartedWorkerHandle(int workerId, String description, Path output, String reason, Runnable onStop) {
        this.workerId = workerId;
        this.description = description;
        this.output = output;
        this.outputStart = OutputFiles.size(output); // nothing in it now was written by this worker
        this.reason = reason;
        this.onStop = Objects.requireNonNull(onStop, "onStop");
    }

    @Override
    public int workerId() {
        return workerId;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public WorkerStatus status() {
        return WorkerStatus.failed(reason);
    }

    @Override
    public String outputTail(int maxLines) {
        return OutputFiles.tail(output, maxLines, outputStart);
    }

    @Override
    public String logLocation() {
        return output.toString();
    }

    @Override
    public void stop() {
        if (stopped.compareAndSet(false, true)) {
            onStop.run();
        }
    }
}
