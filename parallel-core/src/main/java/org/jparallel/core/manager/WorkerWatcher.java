package org.jparallel.core.manager;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.jparallel.spi.UnstartedWorkerHandle;
import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.WorkerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches workers that were started but have not connected: polls each one's backend handle and
 * reports, with the exit code and the tail of its output, a worker that exited or failed, or that
 * did not connect within the start timeout. Runs on a thread of its own, so slow backends and file
 * reads never hold up the dispatcher.
 */
final class WorkerWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerWatcher.class);
    private static final long POLL_MILLIS = 200;
    private static final int TAIL_LINES = 20;

    private final Map<Integer, Watched> watched = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final Duration startTimeout;
    private final BiConsumer<Integer, String> onFailed;

    private record Watched(WorkerHandle handle, long startNanos) {
    }

    /**
     * @param startTimeout how long a worker may take to connect
     * @param onFailed told the worker id and the detail of each worker that will not connect
     */
    WorkerWatcher(Duration startTimeout, BiConsumer<Integer, String> onFailed) {
        this.startTimeout = startTimeout;
        this.onFailed = onFailed;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jparallel-watcher");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    void watch(WorkerHandle handle) {
        watched.put(handle.workerId(), new Watched(handle, System.nanoTime()));
    }

    void unwatch(int workerId) {
        watched.remove(workerId);
    }

    private void poll() {
        for (Watched w : watched.values()) {
            try {
                check(w);
            } catch (RuntimeException e) {
                LOG.warn("could not check {}: {}", w.handle.description(), e.toString());
            }
        }
    }

    private void check(Watched w) {
        WorkerHandle h = w.handle;
        WorkerStatus status = h.status();
        String detail = null;
        if (status.isTerminal()) {
            detail = status.detail();
        } else if (System.nanoTime() - w.startNanos > startTimeout.toNanos()) {
            detail = "did not connect within the start timeout of " + startTimeout.toSeconds() + " s (its backend says "
                    + status.phase().name().toLowerCase() + (status.detail().isEmpty() ? "" : ": " + status.detail())
                    + "); check that it can reach the manager's address";
        }
        if (detail != null && watched.remove(h.workerId(), w)) {
            onFailed.accept(h.workerId(), detail + tail(h));
        }
    }

    /**
     * @return the end of a worker's report: the last lines of its output and where they are, and what to fix when the
     *     JVM could not find the worker's main class (a classpath without parallel-core)
     */
    static String tail(WorkerHandle h) {
        String tail = h.outputTail(TAIL_LINES).strip();
        String where = h.logLocation() == null ? "" : " (" + h.logLocation() + ")";
        if (tail.isEmpty()) {
            // a worker never submitted (a refused sbatch or qsub) wrote nothing: its reason says it all
            return h instanceof UnstartedWorkerHandle ? "" : "; its output" + where + " is empty";
        }
        String hint = tail.contains("Could not find or load main class org.jparallel.")
                ? "\n  the workers' classpath lacks jparallel's parallel-core jar (and its dependencies): fix the classpath"
                        + " given to the workers (classpath(...) of the manager or the worker group,"
                        + " jparallel.worker.classpath), or leave it unset to use the manager's own; for SSH workers"
                        + " on hosts without a shared filesystem, ship the manager's jars to them: ship(true) of the"
                        + " SshWorker, jparallel.ssh.ship=true"
                : "";
        return "; last lines of its output" + where + ":\n" + tail.indent(4).stripTrailing() + hint;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
