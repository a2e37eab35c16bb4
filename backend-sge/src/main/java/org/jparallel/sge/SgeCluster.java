package org.jparallel.sge;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jparallel.spi.CommandRunner;
import org.jparallel.spi.RequestBatcher;
import org.jparallel.spi.TaskIdRanges;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's view of its Grid Engine jobs: one throttled {@code qstat -xml} for every task not yet
 * connected (cached for {@link #DEFAULT_MAX_AGE_MS}), the error reason of a task in {@code Eqw} from one
 * {@code qstat -j} per job, and {@code qdel} calls batched: every task asked to stop within
 * {@link #DELETE_BATCH_MS} goes in one call. Thread-safe; shared by the groups of one process that use
 * the same commands.
 */
public final class SgeCluster {
    private static final Logger LOG = LoggerFactory.getLogger(SgeCluster.class);
    /** How long a qstat snapshot is reused. */
    public static final long DEFAULT_MAX_AGE_MS = 1_000;
    /** How long a stop waits for others to join its qdel. */
    static final long DELETE_BATCH_MS = 250;
    private static final long COMMAND_TIMEOUT_MS = 30_000;
    private static final Map<List<String>, SgeCluster> SHARED = new ConcurrentHashMap<>();

    private final CommandRunner runner;
    private final List<String> qstat;
    private final List<String> qdel;
    private final long maxAgeMillis;

    private final Object snapshotLock = new Object();
    private volatile Snapshot snapshot;
    private final Map<Long, String> reasonsText = new ConcurrentHashMap<>();
    private final RequestBatcher<TaskKey> deletes = new RequestBatcher<>(DELETE_BATCH_MS, this::runDelete);

    /**
     * One qstat result.
     *
     * @param states the state code of each listed task
     * @param startedNanos when the qstat call began ({@link System#nanoTime()})
     * @param error why qstat failed, or {@code null}
     * @param sequence counts the snapshots taken
     */
    record Snapshot(Map<TaskKey, String> states, long startedNanos, String error, long sequence) {
    }

    /**
     * @param runner runs the commands
     * @param qstat the qstat command (words)
     * @param qdel the qdel command (words)
     * @param maxAgeMillis how long a qstat result is reused
     */
    public SgeCluster(CommandRunner runner, List<String> qstat, List<String> qdel, long maxAgeMillis) {
        this.runner = runner;
        this.qstat = List.copyOf(qstat);
        this.qdel = List.copyOf(qdel);
        this.maxAgeMillis = maxAgeMillis;
    }

    /** @return the cluster view shared by every group of this process using these commands */
    static SgeCluster shared(List<String> qstat, List<String> qdel) {
        List<String> key = new ArrayList<>(qstat);
        key.add("\u0000");
        key.addAll(qdel);
        return SHARED.computeIfAbsent(key, k -> new SgeCluster(CommandRunner.system(), qstat, qdel, DEFAULT_MAX_AGE_MS));
    }

    /**
     * @return a qstat snapshot no older than the maximum age; at most one qstat runs at a time, and
     *     callers arriving meanwhile get the fresh result
     */
    Snapshot snapshot() {
        Snapshot s = snapshot;
        if (s != null && System.nanoTime() - s.startedNanos < TimeUnit.MILLISECONDS.toNanos(maxAgeMillis)) {
            return s;
        }
        synchronized (snapshotLock) {
            s = snapshot;
            if (s != null && System.nanoTime() - s.startedNanos < TimeUnit.MILLISECONDS.toNanos(maxAgeMillis)) {
                return s;
            }
            long seq = s == null ? 1 : s.sequence + 1;
            long started = System.nanoTime();
            List<String> cmd = new ArrayList<>(qstat);
            cmd.add("-xml");
            cmd.add("-u");
            cmd.add(System.getProperty("user.name"));
            Snapshot next;
            try {
                CommandRunner.Result r = runner.run(cmd, null, COMMAND_TIMEOUT_MS);
                if (r.exitCode() != 0) {
                    next = new Snapshot(s == null ? Map.of() : s.states, started,
                            String.join(" ", cmd) + " failed with exit code " + r.exitCode() + ": " + r.both(), seq);
                } else {
                    next = new Snapshot(QstatParser.parse(r.stdout()), started, null, seq);
                }
            } catch (IOException | RuntimeException e) {
                next = new Snapshot(s == null ? Map.of() : s.states, started, String.join(" ", cmd) + ": " + e.getMessage(), seq);
            }
            if (next.error != null) {
                LOG.warn("{}", next.error);
            }
            snapshot = next;
            return next;
        }
    }

    /**
     * @param task a task in error
     * @return Grid Engine's reason for the error, from {@code qstat -j} (asked once per job)
     */
    String errorReason(TaskKey task) {
        String text = reasonsText.computeIfAbsent(task.jobId(), id -> {
            List<String> cmd = new ArrayList<>(qstat);
            cmd.add("-j");
            cmd.add(Long.toString(id));
            try {
                CommandRunner.Result r = runner.run(cmd, null, COMMAND_TIMEOUT_MS);
                return r.stdout() + "\n" + r.stderr();
            } catch (IOException | RuntimeException e) {
                return "";
            }
        });
        String reason = QstatReasonParser.reason(text, task.taskId());
        if (reason.isEmpty()) {
            reasonsText.remove(task.jobId()); // ask again next time: the reason may not be written yet
        }
        return reason;
    }

    /**
     * Deletes tasks with one {@code qdel} shared with every other stop asked for meanwhile, and waits
     * until it has run.
     *
     * @param tasks the tasks to delete
     */
    void delete(List<TaskKey> tasks) {
        try {
            deletes.addAndWait(tasks, COMMAND_TIMEOUT_MS + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("qdel of {} did not complete: {}", tasks, e.toString());
        }
    }

    private void runDelete(Set<TaskKey> batch) {
        try {
            List<String> cmd = new ArrayList<>(qdel);
            cmd.addAll(compact(batch));
            LOG.debug("deleting {} Grid Engine task(s): {}", batch.size(), cmd);
            CommandRunner.Result r = runner.run(cmd, null, COMMAND_TIMEOUT_MS);
            if (r.exitCode() != 0) {
                // qdel fails for tasks that ended meanwhile; that is fine
                LOG.debug("{} exited with {}: {}", cmd, r.exitCode(), r.both());
            }
            snapshot = null; // the next status reads the effect
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not delete Grid Engine tasks {}: {}", batch, e.toString());
        }
    }

    /** @return qdel arguments naming the tasks, with contiguous task ids of a job as one range */
    static List<String> compact(Set<TaskKey> tasks) {
        Map<Long, List<Integer>> byJob = new HashMap<>();
        List<Long> order = new ArrayList<>();
        for (TaskKey t : tasks) {
            byJob.computeIfAbsent(t.jobId(), j -> {
                order.add(j);
                return new ArrayList<>();
            }).add(t.taskId());
        }
        List<String> args = new ArrayList<>();
        for (long job : order) {
            List<Integer> ids = byJob.get(job);
            if (ids.contains(0)) {
                args.add(Long.toString(job));
                continue;
            }
            ids.sort(null);
            for (int[] run : TaskIdRanges.runs(ids)) {
                args.add(job + "." + (run[0] == run[1] ? Integer.toString(run[0]) : run[0] + "-" + run[1]));
            }
        }
        return args;
    }
}
