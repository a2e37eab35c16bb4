package org.jparallel.spi.batch;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jparallel.spi.OutputFileWorkerHandle;
import org.jparallel.spi.WorkerStatus;

/**
 * One worker running as an array task. Its status comes from the group's shared {@link QueueView},
 * never from a scheduler call of its own:
 * <ul>
 * <li>a view taken before the submission says PENDING (the task cannot be in it yet);</li>
 * <li>listed PENDING or RUNNING: so; listed DONE: EXITED with the code the job script recorded, else
 *     the scheduler's; listed FAILED: FAILED at once with the scheduler's reason (and the longer
 *     {@link BatchScheduler#reasonCommand reason} when it has one), and the task is cancelled unless
 *     it has {@link TaskState#ended ended};</li>
 * <li>no longer listed: the recorded exit code, else the scheduler's history, else FAILED once
 *     {@link #MISSES_TO_VANISH} views in a row have missed it;</li>
 * <li>a terminal status is remembered; after {@link #stop} the status is FAILED "stopped".</li>
 * </ul>
 * {@link #stop} is idempotent, never throws, cancels the task through the batched {@link
 * CancelBatcher} unless the job recorded an exit, and counts the worker out of its {@link RunRecord};
 * a second call returns once the first has done so.
 * Thread-safe.
 */
final class BatchTaskHandle extends OutputFileWorkerHandle {
    /** Views in a row that must miss a task before it counts as gone without an exit code. */
    static final int MISSES_TO_VANISH = 2;
    private static final System.Logger LOG = System.getLogger(BatchTaskHandle.class.getName());
    private static final long CANCEL_WAIT_MS = QueueView.COMMAND_TIMEOUT_MS + 5_000;

    private final ArrayTask task;
    private final String jobName;
    private final QueueView view;
    private final CancelBatcher cancels;
    private final RunRecord run;
    private final long submittedNanos;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountDownLatch stopDone = new CountDownLatch(1);
    private long lastSequence; // guarded by this
    private int misses; // guarded by this
    private volatile WorkerStatus terminal;

    /**
     * @param task the array task, whose index is the worker id
     * @param jobName the job name, for messages
     * @param view the shared view of the queue
     * @param cancels the shared batched cancel
     * @param run the submission's bookkeeping
     * @param output the task's output file
     */
    BatchTaskHandle(ArrayTask task, String jobName, QueueView view, CancelBatcher cancels, RunRecord run, Path output) {
        super(task.index(), output);
        this.task = task;
        this.jobName = jobName;
        this.view = view;
        this.cancels = cancels;
        this.run = run;
        this.submittedNanos = view.now();
    }

    /** @return the array task this worker runs in */
    ArrayTask task() {
        return task;
    }

    @Override
    public String description() {
        return product() + " worker " + workerId() + " (job " + taskName() + ", " + jobName + ")";
    }

    @Override
    public synchronized WorkerStatus status() {
        if (terminal != null) {
            return terminal;
        }
        if (stopped.get()) {
            return WorkerStatus.failed("stopped by the manager (" + product() + " job " + taskName() + " cancelled)");
        }
        QueueView.Snapshot snap = view.snapshot();
        if (snap.startedNanos() - submittedNanos < 0) {
            return WorkerStatus.pending(job() + " submitted");
        }
        TaskState listed = snap.tasks().get(task);
        if (listed != null) {
            misses = 0;
            return fromState(listed, true);
        }
        if (snap.error() != null) {
            return WorkerStatus.pending(job() + ": " + snap.error());
        }
        Optional<Integer> exit = run.directory().exitCode(workerId());
        if (exit.isPresent()) {
            return end(exited(exit.get(), job() + " ended"));
        }
        Optional<TaskState> past = view.history(task, snap.sequence());
        if (past.isPresent()) {
            return fromState(past.get(), false);
        }
        if (snap.sequence() != lastSequence) {
            lastSequence = snap.sequence();
            misses++;
        }
        if (misses >= MISSES_TO_VANISH) {
            return end(WorkerStatus.failed(job() + " (" + jobName + ") left the queue without its worker connecting"
                    + " and without recording an exit code (cancelled while queued, killed, or its job script could"
                    + " not run; see the scheduler's accounting for job " + task.jobId() + ")"));
        }
        return WorkerStatus.pending(job() + " not in the queue");
    }

    private WorkerStatus fromState(TaskState state, boolean inQueue) {
        String detail = state.detail().isEmpty() ? "" : " " + state.detail();
        switch (state.phase()) {
            case PENDING:
                return WorkerStatus.pending(job() + " is" + (detail.isEmpty() ? " queued" : detail));
            case RUNNING:
                return WorkerStatus.running();
            case DONE: {
                Optional<Integer> recorded = run.directory().exitCode(workerId());
                int code = recorded.orElse(state.exitCode());
                if (code >= 0) {
                    return end(exited(code, job() + " (" + jobName + ")" + detail));
                }
                return end(failed(job() + " (" + jobName + ")" + detail + " before its worker recorded an exit code"
                        + " (its job script could not run, or its output file could not be written)"));
            }
            default: {
                boolean cancel = inQueue && !state.ended();
                String reason = cancel ? view.reason(task) : "";
                WorkerStatus s = end(failed(job() + " (" + jobName + ")" + detail
                        + (reason.isEmpty() ? "" : ": " + reason) + (cancel ? "; the task was cancelled" : "")));
                if (cancel) {
                    Thread t = new Thread(this::stop, "jparallel-cancel-" + task);
                    t.setDaemon(true);
                    t.start();
                }
                return s;
            }
        }
    }

    private WorkerStatus failed(String reason) {
        LOG.log(System.Logger.Level.WARNING, description() + ": " + reason);
        return WorkerStatus.failed(reason);
    }

    private static WorkerStatus exited(int code, String what) {
        return new WorkerStatus(WorkerStatus.Phase.EXITED, code, what + "; its worker exited with code " + code);
    }

    private WorkerStatus end(WorkerStatus s) {
        terminal = s;
        return s;
    }

    /** Cancels the task unless its job recorded an exit code, then counts the worker out. Idempotent. */
    @Override
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            awaitStopped(); // e.g. the core's close() while a FAILED task's cancel is under way
            return;
        }
        try {
            if (run.directory().exitCode(workerId()).isEmpty()) {
                cancels.cancelAndWait(List.of(task), CANCEL_WAIT_MS);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "stopping " + description() + " failed: " + e);
        } finally {
            run.workerStopped();
            stopDone.countDown();
        }
    }

    private void awaitStopped() {
        try {
            stopDone.await(CANCEL_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String product() {
        return view.scheduler().product();
    }

    private String taskName() {
        return view.scheduler().taskName(task);
    }

    private String job() {
        return product() + " job " + taskName();
    }
}
