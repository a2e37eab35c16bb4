package org.jparallel.spi;

import java.nio.file.Path;

/**
 * The part of a {@link WorkerHandle} that every backend writing its worker's output to a file shares:
 * the worker id, the end of that file for {@link #outputTail}, the file as the {@link #logLocation},
 * and the description as {@link #toString}. A subclass says how the worker is described, what its
 * status is and how it is stopped.
 */
public abstract class OutputFileWorkerHandle implements WorkerHandle {
    private final int workerId;
    private final Path output;

    /**
     * @param workerId the worker id the core assigned
     * @param output the worker's output file
     */
    protected OutputFileWorkerHandle(int workerId, Path output) {
        this.workerId = workerId;
        this.output = output;
    }

    @Override
    public final int workerId() {
        return workerId;
    }

    /** @return the last lines of the output file ({@link OutputFiles#tail}), empty when there is none */
    @Override
    public String outputTail(int maxLines) {
        return OutputFiles.tail(output, maxLines);
    }

    @Override
    public final String logLocation() {
        return output.toString();
    }

    @Override
    public final String toString() {
        return description();
    }
}
