package org.jparallel.slurm;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jparallel.spi.CommandRunner;
import org.jparallel.spi.RequestBatcher;
import org.jparallel.spi.TaskIdRanges;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's view of its Slurm jobs: one throttled {@code squeue -h -r -t all -j ID,ID -o '%i|%T|%r'}
 * for every job it watches (cached for {@link #DEFAULT_MAX_AGE_MS}), {@code sacct} for tasks that have
 * left squeue (asked once per job; never again once it says accounting is disabled), and
 * {@code scancel} calls batched: every task asked to stop within {@link #CANCEL_BATCH_MS} goes in one
 * call. Thread-safe; shared by the groups of one process that use the same commands.
 */
final class SlurmCluster {
    private static final Logger LOG = LoggerFactory.getLogger(SlurmCluster.class);
    /** How long a squeue snapshot is reused. */
    static final long DEFAULT_MAX_AGE_MS = 1_000;
    /** How long a stop waits for others to join its scancel. */
    static final long CANCEL_BATCH_MS = 250;
    private static final long COMMAND_TIMEOUT_MS = 30_000;
    private static final Map<List<String>, SlurmCluster> SHARED = new ConcurrentHashMap<>();

    private final CommandRunner runner;
    private final List<String> squeue;
    private final List<String> scancel;
    private final List<String> sacct;
    private final long maxAgeMillis;
    private final Set<Long> watched = ConcurrentHashMap.newKeySet();

    private final Object snapshotLock = new Object();
    private volatile Snapshot snapshot;
    private volatile boolean accountingDisabled;
    private final Map<Long, Map<TaskKey, SacctParser.Entry>> accounting = new ConcurrentHashMap<>();
    private final RequestBatcher<TaskKey> cancels = new RequestBatcher<>(CANCEL_BATCH_MS, this::runCancel);

    /**
     * One squeue result.
     *
     * @param tasks every listed task with its state and reason
     * @param startedNanos when the squeue call began ({@link System#nanoTime()})
     * @param error why squeue failed, or {@code null}
     * @param sequence counts the snapshots taken
     */
    record Snapshot(Map<TaskKey, SqueueParser.Entry> tasks, long startedNanos, String error, long sequence) {
    }

    /**
     * @param runner runs the commands
     * @param squeue the squeue command (words)
     * @param scancel the scancel command (words)
     * @param sacct the sacct command (words), or {@code none} to never ask it
     * @param maxAgeMillis how long a squeue result is reused
     */
    SlurmCluster(CommandRunner runner, List<String> squeue, List<String> scancel, List<String> sacct, long maxAgeMillis) {
        this.runner = runner;
        this.squeue = List.copyOf(squeue);
        this.scancel = List.copyOf(scancel);
        this.sacct = List.copyOf(sacct);
        this.maxAgeMillis = maxAgeMillis;
        this.accountingDisabled = sacct.equals(List.of("none"));
    }

    /** @return the cluster view shared by every group of this process using these commands */
    static SlurmCluster shared(List<String> squeue, List<String> scancel, List<String> sacct) {
        List<String> key = new ArrayList<>(squeue);
        key.add("\u0000");
        key.addAll(scancel);
        key.add("\u0000");
        key.addAll(sacct);
        return SHARED.computeIfAbsent(key, k -> new SlurmCluster(CommandRunner.system(), squeue, scancel, sacct,
                DEFAULT_MAX_AGE_MS));
    }

    /** Adds a job to those squeue is asked about. */
    void watch(long jobId) {
        watched.add(jobId);
    }

    /** Removes a job from those squeue is asked about (every worker in it has been stopped). */
    void forget(long jobId) {
        watched.remove(jobId);
        accounting.remove(jobId);
    }

    /**
     * @return a squeue snapshot no older than the maximum age; at most one squeue runs at a time, and
     *     callers arriving meanwhile get the fresh result
     */
    Snapshot snapshot() {
        Snapshot s = snapshot;
        if (fresh(s)) {
            return s;
        }
        synchronized (snapshotLock) {
            s = snapshot;
            if (fresh(s)) {
                return s;
            }
            long seq = s == null ? 1 : s.sequence + 1;
            long started = System.nanoTime();
            List<Long> jobs = new ArrayList<>(watched);
            if (jobs.isEmpty()) {
                return snapshot = new Snapshot(Map.of(), started, null, seq);
            }
            jobs.sort(null);
            List<String> cmd = new ArrayList<>(squeue);
            cmd.addAll(List.of("-h", "-r", "-t", "all", "-j",
                    jobs.stream().map(String::valueOf).collect(Collectors.joining(",")), "-o", "%i|%T|%r"));
            Map<TaskKey, SqueueParser.Entry> old = s == null ? Map.of() : s.tasks;
            Snapshot next;
            try {
                CommandRunner.Result r = runner.run(cmd, null, COMMAND_TIMEOUT_MS);
                if (r.exitCode() == 0) {
                    next = new Snapshot(SqueueParser.parse(r.stdout()), started, null, seq);
                } else if (r.stderr().contains("Invalid job id specified")) {
                    // every job asked about has been purged from slurmctld's memory (squeue says so for one id)
                    next = new Snapshot(Map.of(), started, null, seq);
                } else {
                    next = new Snapshot(old, started, String.join(" ", cmd) + " failed with exit code " + r.exitCode()
                            + ": " + r.both(), seq);
                }
            } catch (IOException | RuntimeException e) {
                next = new Snapshot(old, started, String.join(" ", cmd) + ": " + e.getMessage(), seq);
            }
            if (next.error != null) {
                LOG.warn("{}", next.error);
            }
            snapshot = next;
            return next;
        }
    }

    private boolean fresh(Snapshot s) {
        return s != null && System.nanoTime() - s.startedNanos < TimeUnit.MILLISECONDS.toNanos(maxAgeMillis);
    }

    /**
     * @param task a task that has left squeue
     * @return its final state from sacct, when the cluster keeps accounting and sacct knows it
     */
    Optional<SacctParser.Entry> accounting(TaskKey task) {
        if (accountingDisabled) {
            return Optional.empty();
        }
        Map<TaskKey, SacctParser.Entry> entries = accounting.get(task.jobId());
        if (entries == null || !entries.containsKey(task)) {
            List<String> cmd = new ArrayList<>(sacct);
            cmd.addAll(List.of("-n", "-P", "-X", "-j", Long.toString(task.jobId()), "-o", "JobID,State,ExitCode,Reason"));
            try {
                CommandRunner.Result r = runner.run(cmd, null, COMMAND_TIMEOUT_MS);
                if (r.both().contains("accounting storage is disabled")) {
                    LOG.debug("Slurm keeps no accounting: the job scripts' exit code files are used instead");
                    accountingDisabled = true;
                    return Optional.empty();
                }
                if (r.exitCode() != 0) {
                    LOG.debug("{} exited with {}: {}", cmd, r.exitCode(), r.both());
                    return Optional.empty();
                }
                entries = new LinkedHashMap<>(SacctParser.parse(r.stdout()));
                accounting.put(task.jobId(), entries);
            } catch (IOException | RuntimeException e) {
                LOG.debug("{}: {}", cmd, e.toString());
                return Optional.empty();
            }
        }
        SacctParser.Entry e = entries.get(task);
        return e == null || SlurmJobState.of(e.state()).ended() ? Optional.ofNullable(e) : Optional.empty();
    }

    /**
     * Cancels tasks with one {@code scancel} shared with every other stop asked for meanwhile, and waits
     * until it has run.
     *
     * @param tasks the tasks to cancel
     */
    void cancel(List<TaskKey> tasks) {
        try {
            cancels.addAndWait(tasks, COMMAND_TIMEOUT_MS + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("scancel of {} did not complete: {}", tasks, e.toString());
        }
    }

    private void runCancel(Set<TaskKey> batch) {
        try {
            List<String> cmd = new ArrayList<>(scancel);
            cmd.addAll(compact(batch));
            LOG.debug("cancelling {} Slurm task(s): {}", batch.size(), cmd);
            CommandRunner.Result r = runner.run(cmd, null, COMMAND_TIMEOUT_MS);
            if (r.exitCode() != 0) {
                // scancel complains about tasks that ended meanwhile; that is fine
                LOG.debug("{} exited with {}: {}", cmd, r.exitCode(), r.both());
            }
            snapshot = null; // the next status reads the effect
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not cancel Slurm tasks {}: {}", batch, e.toString());
        }
    }

    /** @return scancel arguments naming the tasks: {@code JOB_[1-3,5]} per job, {@code JOB} for a plain job */
    static List<String> compact(Set<TaskKey> tasks) {
        Map<Long, List<Integer>> byJob = new LinkedHashMap<>();
        for (TaskKey t : tasks) {
            byJob.computeIfAbsent(t.jobId(), j -> new ArrayList<>()).add(t.taskId());
        }
        List<String> args = new ArrayList<>();
        byJob.forEach((job, ids) -> {
            if (ids.contains(-1)) {
                args.add(Long.toString(job));
            } else {
                String list = TaskIdRanges.format(ids);
                args.add(job + "_" + (list.matches("\\d+") ? list : "[" + list + "]"));
            }
        });
        return args;
    }
}
