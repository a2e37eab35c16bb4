package org.jparallel.sge;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jparallel.spi.OutputFiles;
import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.WorkerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker of a {@link SgePeWorkerArray}: a local process, or the {@code qrsh -inherit} process that
 * runs it on another host of the parallel environment (ending qrsh ends the remote worker).
 */
final class ProcessWorkerHandle implements WorkerHandle {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessWorkerHandle.class);

    private final int workerId;
    private final String what;
    private final Process process;
    private final String failure;
    private final Path output;
    private final Runnable onStop;
    private final AtomicBoolean stopped = new AtomicBoolean();

    ProcessWorkerHandle(int workerId, String what, Process process, String failure, Path output, Runnable onStop) {
        this.workerId = workerId;
        this.what = what;
        this.process = process;
        this.failure = failure;
        this.output = output;
        this.onStop = onStop;
    }

    @Override
    public int workerId() {
        return workerId;
    }

    @Override
    public String description() {
        return "Grid Engine PE worker " + workerId + " (" + what + (process == null ? ", not started)"
                : ", pid " + process.pid() + ")");
    }

    @Override
    public WorkerStatus status() {
        if (process == null) {
            return WorkerStatus.failed(failure);
        }
        return process.isAlive() ? WorkerStatus.running() : WorkerStatus.exited(process.exitValue());
    }

    @Override
    public String outputTail(int maxLines) {
        return OutputFiles.tail(output, maxLines);
    }

    @Override
    public String logLocation() {
        return output.toString();
    }

    @Override
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            if (process != null && process.isAlive()) {
                List<ProcessHandle> all = new ArrayList<>();
                process.descendants().forEach(all::add);
                all.add(0, process.toHandle());
                all.forEach(ProcessHandle::destroy);
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    all.forEach(ProcessHandle::destroyForcibly);
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("stopping {} failed: {}", description(), e.toString());
        } finally {
            onStop.run();
        }
    }

    @Override
    public String toString() {
        return description();
    }
}
