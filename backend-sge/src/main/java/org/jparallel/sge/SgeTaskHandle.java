package org.jparallel.sge;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jparallel.spi.ArrayTaskHandle;
import org.jparallel.spi.WorkerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker in a Grid Engine array task: its state from the shared, throttled qstat snapshot; an
 * error state ({@code Eqw}) becomes FAILED with the job id, the state and Grid Engine's reason; a task
 * that left qstat without connecting reports the exit code its job recorded, or FAILED. Thread-safe.
 */
final class SgeTaskHandle extends ArrayTaskHandle {
    private static final Logger LOG = LoggerFactory.getLogger(SgeTaskHandle.class);

    private final TaskKey task;
    private final String jobName;
    private final SgeCluster cluster;
    private final TaskKiller killer;

    SgeTaskHandle(int workerId, TaskKey task, String jobName, SgeCluster cluster, TaskKiller killer,
                  SgeSubmission submission, Path output) {
        super(workerId, output, submission.run(), submission::handleStopped);
        this.task = task;
        this.jobName = jobName;
        this.cluster = cluster;
        this.killer = killer;
    }

    /** @return the Grid Engine task this worker runs in */
    TaskKey task() {
        return task;
    }

    @Override
    public String description() {
        return "Grid Engine worker " + workerId() + " (job " + task + ", " + jobName + ")";
    }

    @Override
    protected String stoppedDetail() {
        return "stopped by the manager (job " + task + " deleted)";
    }

    @Override
    protected WorkerStatus poll() {
        SgeCluster.Snapshot snap = cluster.snapshot();
        if (predatesSubmission(snap.startedNanos())) {
            return WorkerStatus.pending("job " + task + " submitted");
        }
        String code = snap.states().get(task);
        if (code != null) {
            listed();
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
        Optional<Integer> exit = recordedExitCode();
        if (exit.isPresent()) {
            return end(new WorkerStatus(WorkerStatus.Phase.EXITED, exit.get(),
                    "Grid Engine job " + task + " ended; its worker exited with code " + exit.get()));
        }
        if (missing(snap.sequence())) {
            return end(WorkerStatus.failed("Grid Engine job " + task + " (" + jobName
                    + ") left qstat without its worker connecting and without recording an exit code"
                    + " (killed, or its job script could not run; see qacct -j " + task.jobId() + ")"));
        }
        return WorkerStatus.pending("job " + task + " not in qstat");
    }

    private WorkerStatus error(String code) {
        String reason = cluster.errorReason(task);
        WorkerStatus failed = end(WorkerStatus.failed("Grid Engine job " + task + " (" + jobName + ") is in state "
                + code + (reason.isEmpty() ? "" : ": " + reason) + "; the task was deleted"));
        LOG.warn("{}: {}", description(), failed.detail());
        stopInBackground("jparallel-sge-qdel-" + task);
        return failed;
    }

    @Override
    protected void cancel() {
        try {
            killer.kill(List.of(task));
        } catch (RuntimeException e) {
            LOG.warn("stopping {} failed: {}", description(), e.toString());
        }
    }
}
