package org.jparallel.sge;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.WorkerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker in a Grid Engine array task: its state from the shared, throttled qstat snapshot; an
 * error state ({@code Eqw}) becomes FAILED with the job id, the state and Grid Engine's reason; a task
 * that left qstat without connecting reports the exit code its job recorded, or FAILED. Thread-safe.
 */
final class SgeTaskHandle implements WorkerHandle {
    private static final Logger LOG = LoggerFactory.getLogger(SgeTaskHandle.class);
    /** Snapshots in a row that must miss a task before it counts as gone without an exit code. */
    static final int MISSES_TO_VANISH = 2;

    private final int workerId;
    private final TaskKey task;
    private final String jobName;
    private final SgeCluster cluster;
    private final TaskKiller killer;
    private final SgeSubmission submission;
    private final Path output;
    private final long submittedNanos;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private long lastSequence;
    private int misses;
    private volatile WorkerStatus terminal;

    SgeTaskHandle(int workerId, TaskKey task, String jobName, SgeCluster cluster, TaskKiller killer,
                  SgeSubmission submission, Path output) {
        this.workerId = workerId;
        this.task = task;
        this.jobName = jobName;
        this.cluster = cluster;
        this.killer = killer;
        this.submission = submission;
        this.output = output;
        this.submittedNanos = System.nanoTime();
    }

    @Override
    public int workerId() {
        return workerId;
    }

    /** @return the Grid Engine task this worker runs in */
    TaskKey task() {
        return task;
    }

    @Override
    public String description() {
        return "Grid Engine worker " + workerId + " (job " + task + ", " + jobName + ")";
    }

    @Override
    public synchronized WorkerStatus status() {
        if (terminal != null) {
            return terminal;
        }
        if (stopped.get()) {
            return WorkerStatus.failed("stopped by the manager (job " + task + " deleted)");
        }
        SgeCluster.Snapshot snap = cluster.snapshot();
        if (snap.startedNanos() - submittedNanos < 0) {
            return WorkerStatus.pending("job " + task + " submitted");
        }
        String code = snap.states().get(task);
        if (code != null) {
            misses = 0;
            return switch (SgeJobState.of(code)) {
                case PENDING -> WorkerStatus.pending("job " + task + " is queued (" + code + ")");
                case RUNNING -> WorkerStatus.running();
                case SUSPENDED -> WorkerStatus.pending("job " + task + " is suspended (" + code + ")");
                case DELETING -> WorkerStatus.pending("job " + task + " is being deleted (" + code + ")");
                case ERROR -> error(code);
            };
        }
        if (snap.error() != null) {
            return WorkerStatus.pending("job " + task + ": " + snap.error());
        }
        Optional<Integer> exit = submission.run().exitCode(workerId);
        if (exit.isPresent()) {
            return terminal = new WorkerStatus(WorkerStatus.Phase.EXITED, exit.get(),
                    "Grid Engine job " + task + " ended; its worker exited with code " + exit.get());
        }
        if (snap.sequence() != lastSequence) {
            lastSequence = snap.sequence();
            misses++;
        }
        if (misses >= MISSES_TO_VANISH) {
            return terminal = WorkerStatus.failed("Grid Engine job " + task + " (" + jobName
                    + ") left qstat without its worker connecting and without recording an exit code"
                    + " (killed, or its job script could not run; see qacct -j " + task.jobId() + ")");
        }
        return WorkerStatus.pending("job " + task + " not in qstat");
    }

    private WorkerStatus error(String code) {
        String reason = cluster.errorReason(task);
        terminal = WorkerStatus.failed("Grid Engine job " + task + " (" + jobName + ") is in state " + code
                + (reason.isEmpty() ? "" : ": " + reason) + "; the task was deleted");
        LOG.warn("{}: {}", description(), terminal.detail());
        Thread t = new Thread(this::stop, "jparallel-sge-qdel-" + task);
        t.setDaemon(true);
        t.start();
        return terminal;
    }

    @Override
    public String outputTail(int maxLines) {
        return OutputTail.of(output, maxLines);
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
            if (submission.run().exitCode(workerId).isEmpty()) {
                killer.kill(List.of(task));
            }
        } catch (RuntimeException e) {
            LOG.warn("stopping {} failed: {}", description(), e.toString());
        } finally {
            submission.handleStopped();
        }
    }

    @Override
    public String toString() {
        return description();
    }
}
