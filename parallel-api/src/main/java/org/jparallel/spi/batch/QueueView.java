package org.jparallel.spi.batch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jparallel.spi.CommandRunner;

/**
 * A throttled view of a scheduler's queue, shared by the handles of one group (or of every group a
 * backend instance makes): one status command for every watched job at most once per maximum age,
 * whoever asks; the reason of a FAILED task and the history of tasks that left the listing, each
 * asked once per job. Handles are polled every 200 ms until their worker connects, so without this
 * every poll would run a scheduler command. The clock is injected, so tests need no sleeps.
 * Thread-safe; no static state.
 */
public final class QueueView {
    private static final System.Logger LOG = System.getLogger(QueueView.class.getName());
    /** How long a status result is reused by default. */
    public static final long DEFAULT_MAX_AGE_MS = 1_000;
    static final long COMMAND_TIMEOUT_MS = 30_000;

    private final BatchScheduler scheduler;
    private final BatchOptions<?> options;
    private final CommandRunner runner;
    private final LongSupplier nanoClock;
    private final long maxAgeNanos;
    private final Set<String> watched = ConcurrentHashMap.newKeySet();
    private final Map<String, String> reasonTexts = new ConcurrentHashMap<>();
    private final Map<String, History> histories = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private volatile Snapshot snapshot;
    private volatile boolean stale; // the next caller runs the status command, whatever the snapshot's age
    private volatile boolean noHistory;

    /**
     * One result of the status command.
     *
     * @param tasks the state of every task listed
     * @param startedNanos when the command began, on the view's clock
     * @param error why the command failed (the tasks are then the previous ones), or {@code null}
     * @param sequence counts the results, from 1
     */
    record Snapshot(Map<ArrayTask, TaskState> tasks, long startedNanos, String error, long sequence) {
    }

    private record History(long sequence, Map<ArrayTask, TaskState> tasks) {
    }

    /**
     * @param scheduler what to run and how to read it
     * @param options where each tool's command is configured
     * @param runner runs the commands
     * @param nanoClock the clock, in nanoseconds ({@code System::nanoTime}; a counter in tests)
     * @param maxAgeMillis how long a status result is reused
     */
    public QueueView(BatchScheduler scheduler, BatchOptions<?> options, CommandRunner runner, LongSupplier nanoClock,
                     long maxAgeMillis) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.options = Objects.requireNonNull(options, "options");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.maxAgeNanos = TimeUnit.MILLISECONDS.toNanos(maxAgeMillis);
    }

    /** @return now, on this view's clock */
    long now() {
        return nanoClock.getAsLong();
    }

    /** Adds a job to those the status command asks about. */
    void watch(String jobId) {
        watched.add(jobId);
    }

    /** Removes a job (every worker in it has been stopped). */
    void forget(String jobId) {
        watched.remove(jobId);
        reasonTexts.remove(jobId);
        histories.remove(jobId);
    }

    /** Makes the next {@link #snapshot} run the status command, e.g. after a cancel. */
    void invalidate() {
        stale = true;
    }

    /**
     * @return a status result no older than the maximum age; at most one status command runs at a
     *     time, and callers arriving meanwhile get its result
     */
    Snapshot snapshot() {
        Snapshot s = snapshot;
        if (fresh(s)) {
            return s;
        }
        synchronized (lock) {
            s = snapshot;
            if (fresh(s)) {
                return s;
            }
            stale = false;
            long seq = s == null ? 1 : s.sequence + 1;
            long started = now();
            Map<ArrayTask, TaskState> old = s == null ? Map.of() : s.tasks;
            List<String> jobs = new ArrayList<>(watched);
            jobs.sort(null);
            Snapshot next;
            if (jobs.isEmpty()) {
                next = new Snapshot(Map.of(), started, null, seq);
            } else {
                List<String> cmd = commandLine(scheduler.statusCommand(jobs));
                try {
                    next = new Snapshot(Map.copyOf(scheduler.parseStatus(runner.run(cmd, null, COMMAND_TIMEOUT_MS))),
                            started, null, seq);
                } catch (IOException | RuntimeException e) {
                    next = new Snapshot(old, started, String.join(" ", cmd) + ": " + e.getMessage(), seq);
                    LOG.log(System.Logger.Level.WARNING, next.error);
                }
            }
            snapshot = next;
            return next;
        }
    }

    private boolean fresh(Snapshot s) {
        return s != null && !stale && now() - s.startedNanos < maxAgeNanos;
    }

    /**
     * @param task a task the status reported FAILED
     * @return the scheduler's longer reason ({@link BatchScheduler#reasonCommand}), or an empty string
     */
    String reason(ArrayTask task) {
        List<String> words = scheduler.reasonCommand(task);
        if (words.isEmpty()) {
            return "";
        }
        String text = reasonTexts.computeIfAbsent(task.jobId(), j -> {
            try {
                CommandRunner.Result r = runner.run(commandLine(words), null, COMMAND_TIMEOUT_MS);
                return r.stdout() + "\n" + r.stderr();
            } catch (IOException | RuntimeException e) {
                return "";
            }
        });
        String reason = scheduler.parseReason(text, task);
        if (reason == null || reason.isEmpty()) {
            reasonTexts.remove(task.jobId()); // not written yet, perhaps: ask again next time
            return "";
        }
        return reason;
    }

    /**
     * @param task a task the status no longer lists
     * @param sequence the snapshot that missed it: the history is asked at most once per snapshot and job
     * @return its final state from the scheduler's history ({@link BatchScheduler#historyCommand}), if known
     */
    Optional<TaskState> history(ArrayTask task, long sequence) {
        List<String> words = scheduler.historyCommand(task.jobId());
        if (noHistory || words.isEmpty()) {
            return Optional.empty();
        }
        History h = histories.get(task.jobId());
        if (h == null || (!h.tasks.containsKey(task) && h.sequence != sequence)) {
            try {
                h = new History(sequence, Map.copyOf(scheduler.parseHistory(
                        runner.run(commandLine(words), null, COMMAND_TIMEOUT_MS))));
            } catch (UnsupportedOperationException e) {
                LOG.log(System.Logger.Level.DEBUG, scheduler.product() + " keeps no history: " + e.getMessage());
                noHistory = true;
                return Optional.empty();
            } catch (IOException | RuntimeException e) {
                h = new History(sequence, Map.of());
                LOG.log(System.Logger.Level.DEBUG, words + ": " + e);
            }
            histories.put(task.jobId(), h);
        }
        TaskState t = h.tasks.get(task);
        return t != null && (t.phase() == TaskState.Phase.DONE || t.phase() == TaskState.Phase.FAILED)
                ? Optional.of(t) : Optional.empty();
    }

    /**
     * Asks the scheduler now (not from the snapshot) about jobs this view does not watch, e.g. those of a dead
     * manager's run directory.
     *
     * @param jobIds jobs, at least one
     * @return those of them with a task that has not ended (queued, running, held)
     * @throws IOException when the status command cannot run or reports an error
     */
    Set<String> unended(Collection<String> jobIds) throws IOException {
        List<String> jobs = new ArrayList<>(jobIds);
        jobs.sort(null);
        Map<ArrayTask, TaskState> tasks;
        try {
            tasks = scheduler.parseStatus(runner.run(commandLine(scheduler.statusCommand(jobs)), null,
                    COMMAND_TIMEOUT_MS));
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
        Set<String> out = new HashSet<>();
        tasks.forEach((task, state) -> {
            if (!state.ended()) {
                out.add(task.jobId());
            }
        });
        return out;
    }

    /**
     * @param schedulerCommand a command as the scheduler writes it, beginning with a tool's name
     * @return the command to run: the tool's configured words in place of its name
     */
    List<String> commandLine(List<String> schedulerCommand) {
        List<String> cmd = new ArrayList<>(options.commandWords(schedulerCommand.get(0)));
        cmd.addAll(schedulerCommand.subList(1, schedulerCommand.size()));
        return cmd;
    }

    /** @return the runner the view's commands go through */
    CommandRunner runner() {
        return runner;
    }

    /** @return the scheduler */
    BatchScheduler scheduler() {
        return scheduler;
    }
}
