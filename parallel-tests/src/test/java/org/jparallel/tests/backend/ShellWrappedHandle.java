package org.jparallel.tests.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.WorkerStatus;

/** One {@code shellwrapped} worker: status from its process, output from its file, stop by signal. */
final class ShellWrappedHandle implements WorkerHandle {
    private final int workerId;
    private final Process process;
    private final Path output;
    private final String failure;

    ShellWrappedHandle(int workerId, Process process, Path output, String failure) {
        this.workerId = workerId;
        this.process = process;
        this.output = output;
        this.failure = failure;
    }

    @Override
    public int workerId() {
        return workerId;
    }

    @Override
    public String description() {
        return process == null ? "shellwrapped worker " + workerId + " (not started)"
                : "shellwrapped worker " + workerId + " (pid " + process.pid() + ")";
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
        if (maxLines <= 0 || !Files.isRegularFile(output)) {
            return "";
        }
        try {
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - maxLines), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    @Override
    public String logLocation() {
        return output.toString();
    }

    @Override
    public void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            process.destroy();
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // stop must not throw
        }
    }

    @Override
    public String toString() {
        return description();
    }
}
