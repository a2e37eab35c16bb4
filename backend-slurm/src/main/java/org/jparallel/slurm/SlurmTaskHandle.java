package org.jparallel.slurm;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jparallel.spi.ArrayTaskHandle;
import org.jparallel.spi.WorkerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker in a Slurm array task. Its state comes from the shared, throttled squeue snapshot:
 * pending and running as such; a held job or one whose request can never be granted fails at once
 * (and is cancelled); an ended job reports its state with Slurm's reason (failed, timeout, out of
 * memory, cancelled ...) and the exit code its job script recorded. A task that left squeue is looked
 * up in sacct when the cluster keeps accounting, else in the exit code file. Thread-safe.
 */
final class SlurmTaskHandle extends ArrayTaskHandle {
    private static final Logger LOG = LoggerFactory.getLogger(SlurmTaskHandle.class);

    private final TaskKey task;
    private final String jobName;
    private final SlurmCluster cluster;

    SlurmTaskHandle(int workerId, TaskKey task, String jobName, SlurmCluster cluster, SlurmSubmission submission,
                    Path output) {
        super(workerId, output, submission.run(), submission::handleStopped);
        this.task = task;
        this.jobName = jobName;
        this.cluster = cluster;
    }

    /** @return the Slurm array task this worker runs in */
    TaskKey task() {
        return task;
    }

    @Override
    public String description() {
        return "Slurm worker " + workerId() + " (job " + task + ", " + jobName + ")";
    }

    @Override
    protected String stoppedDetail() {
        return "stopped by the manager (Slurm job " + task + " cancelled)";
    }

    @Override
    protected WorkerStatus poll() {
        SlurmCluster.Snapshot snap = cluster.snapshot();
        if (predatesSubmission(snap.startedNanos())) {
            return WorkerStatus.pending("Slurm job " + task + " submitted");
        }
        SqueueParser.Entry e = snap.tasks().get(task);
        if (e != null) {
            listed();
            SlurmJobState state = SlurmJobState.of(e.state());
            if (state.ended()) {
                return end(ended(state, e.state(), e.reasonOrEmpty(), recordedExitCode()));
            }
            if (SlurmJobState.hopeless(e.state(), e.reason())) {
                return hopeless(e);
            }
            if (state == SlurmJobState.RUNNING) {
                return WorkerStatus.running();
            }
            return WorkerStatus.pending("Slurm job " + task + " is " + e.state()
                    + (e.reasonOrEmpty().isEmpty() ? "" : " (" + e.reasonOrEmpty() + ")"));
        }
        if (snap.error() != null) {
            return WorkerStatus.pending("Slurm job " + task + ": " + snap.error());
        }
        Optional<Integer> exit = recordedExitCode();
        Optional<SacctParser.Entry> acct = cluster.accounting(task);
        if (acct.isPresent()) {
            SacctParser.Entry a = acct.get();
            Optional<Integer> code = exit.isPresent() || a.exitCode() < 0 ? exit : Optional.of(a.exitCode());
            return end(ended(SlurmJobState.of(a.state()), a.state(), a.reason(), code));
        }
        if (exit.isPresent()) {
            return end(exited(exit.get(), "Slurm job " + task + " ended"));
        }
        if (missing(snap.sequence())) {
            return end(WorkerStatus.failed("Slurm job " + task + " (" + jobName
                    + ") left squeue without its worker connecting and without recording an exit code"
                    + " (cancelled while queued, or its job script could not run; see sacct -j " + task.jobId() + ")"));
        }
        return WorkerStatus.pending("Slurm job " + task + " not in squeue");
    }

    /** @return the final status of a job that ended in {@code state} */
    private WorkerStatus ended(SlurmJobState state, String printed, String reason, Optional<Integer> exit) {
        String job = "Slurm job " + task + " (" + jobName + ")";
        String why = reason.isEmpty() ? "" : ", reason " + reason;
        WorkerStatus s = switch (state) {
            case COMPLETED -> exited(exit.orElse(0), job + " completed");
            case FAILED -> exit.isPresent() ? exited(exit.get(), job + " FAILED" + why)
                    : WorkerStatus.failed(job + " FAILED" + why + " before its worker recorded an exit code"
                    + " (its job script could not run, or its output file could not be written)");
            case TIMEOUT -> WorkerStatus.failed(job + " reached its time limit (" + printed + why
                    + "); raise it with jparallel.slurm.time (SlurmOptions.time)");
            case OUT_OF_MEMORY -> WorkerStatus.failed(job + " ran out of memory (" + printed + why
                    + "); ask for more with jparallel.slurm.memory (SlurmOptions.memory)");
            case CANCELLED -> WorkerStatus.failed(job + " was cancelled outside this manager (" + printed + why + ")");
            default -> WorkerStatus.failed(job + " ended in state " + printed + why);
        };
        if (s.phase() == WorkerStatus.Phase.FAILED) {
            LOG.warn("{}: {}", description(), s.detail());
        }
        return s;
    }

    private static WorkerStatus exited(int code, String what) {
        return new WorkerStatus(WorkerStatus.Phase.EXITED, code, what + "; its worker exited with code " + code);
    }

    private WorkerStatus hopeless(SqueueParser.Entry e) {
        boolean held = e.reason().startsWith("JobHeld") || e.state().equals("REQUEUE_HOLD") || e.reason().contains("held");
        WorkerStatus failed = end(WorkerStatus.failed("Slurm job " + task + " (" + jobName + ") is " + e.state()
                + " with reason " + e.reason() + (held ? ": it is held and will not start until released (scontrol release "
                + task.jobId() + ")" : ": Slurm will never start it as submitted; check the partition, account,"
                + " time limit and extra options") + "; the task was cancelled"));
        LOG.warn("{}: {}", description(), failed.detail());
        stopInBackground("jparallel-slurm-scancel-" + task);
        return failed;
    }

    @Override
    protected void cancel() {
        try {
            cluster.cancel(List.of(task));
        } catch (RuntimeException ex) {
            LOG.warn("stopping {} failed: {}", description(), ex.toString());
        }
    }
}
