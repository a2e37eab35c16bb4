package org.jparallel.tests.backend;

import java.nio.file.Path;
import org.jparallel.spi.ProcessWorkerHandle;

/** One {@code shellwrapped} worker: the SPI's process handle (status from its process, output from its file, stop by signal). */
final class ShellWrappedHandle extends ProcessWorkerHandle {

    ShellWrappedHandle(int workerId, Process process, Path output, String failure) {
        super(workerId, process, failure, output, 2_000);
    }

    @Override
    public String description() {
        return process() == null ? "shellwrapped worker " + workerId() + " (not started)"
                : "shellwrapped worker " + workerId() + " (pid " + process().pid() + ")";
    }
}
