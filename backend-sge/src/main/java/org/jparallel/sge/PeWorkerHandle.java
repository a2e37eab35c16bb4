package org.jparallel.sge;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jparallel.spi.ProcessWorkerHandle;

/**
 * A worker of a {@link SgePeWorkerArray}: a local process, or the {@code qrsh -inherit} process that
 * runs it on another host of the parallel environment (ending qrsh ends the remote worker). Its first
 * stop tells the array, which deletes the run's directory after the last worker.
 */
final class PeWorkerHandle extends ProcessWorkerHandle {
    private static final long TERM_GRACE_MS = 2_000;

    private final String where;
    private final Runnable onStop;
    private final AtomicBoolean stopped = new AtomicBoolean();

    /**
     * @param where where the worker runs, for messages
     * @param process the process, or {@code null} when it could not be started
     * @param failure why it could not be started
     * @param onStop run once, after the first stop
     */
    PeWorkerHandle(int workerId, String where, Process process, String failure, Path output, Runnable onStop) {
        super(workerId, process, failure, output, TERM_GRACE_MS);
        this.where = where;
        this.onStop = onStop;
    }

    @Override
    public String description() {
        return "Grid Engine PE worker " + workerId() + " (" + where + (process() == null ? ", not started)"
                : ", pid " + process().pid() + ")");
    }

    @Override
    protected void afterStop() {
        if (stopped.compareAndSet(false, true)) {
            onStop.run();
        }
    }
}
