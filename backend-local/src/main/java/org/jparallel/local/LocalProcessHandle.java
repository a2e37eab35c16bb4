package org.jparallel.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    static final int TAIL_BYTES = 16 * 1024;
    private static final long TERM_GRACE_MS = 2_000;
    private static final long KILL_WAIT_MS = 5_000;

    private final int workerId;
    private final Process process;
    private final String failure;
    private final Path output;

    LocalProcessHandle(int workerId, Process process, Path output) {
        this(workerId, process, null, output);
    }

    private LocalProcessHandle(int workerId, Process process, String failure, Path output) {
        this.workerId = workerId;
        this.process = process;
        this.failure = failure;
        this.output = output;
    }

    /** @return the handle of a worker that never started, for {@code reason} */
    static LocalProcessHandle failed(int workerId, Path output, String reason) {
        return new LocalProcessHandle(workerId, null, reason, output);
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
        if (maxLines <= 0) {
            return "";
        }
        try {
            return lastLines(readEnd(output, TAIL_BYTES), maxLines);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    @Override
    public String logLocation() {
        return output.toString();
    }

    /**
     * Asks the process and its descendants to end (SIGTERM), kills whatever is left after 2 s
     * (SIGKILL), and waits up to 5 s more until they are gone.
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
                return;
            }
            LOG.debug("stopping {} and {} descendant(s)", description(), all.size() - 1);
            all.forEach(ProcessHandle::destroy);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TERM_GRACE_MS);
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

    /** @return the last {@code maxBytes} of a file as text; empty when the file does not exist */
    static String readEnd(Path file, int maxBytes) throws IOException {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            long size = ch.size();
            long start = Math.max(0, size - maxBytes);
            ch.position(start);
            ByteBuffer buf = ByteBuffer.allocate((int) (size - start));
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read until full or end of file (the file may shrink while we read)
            }
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            if (start > 0) {
                int nl = text.indexOf('\n'); // drop the partial first line
                text = nl >= 0 ? text.substring(nl + 1) : text;
            }
            return text;
        }
    }

    /** @return the last {@code maxLines} lines of {@code text}, without a trailing line break */
    static String lastLines(String text, int maxLines) {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        int from = end;
        int lines = 0;
        while (from > 0) {
            if (text.charAt(from - 1) == '\n' && ++lines == maxLines) {
                break;
            }
            from--;
        }
        return text.substring(from, end);
    }
}
