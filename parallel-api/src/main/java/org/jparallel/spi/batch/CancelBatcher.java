package org.jparallel.spi.batch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Cancels array tasks in batches: every task asked to stop before the batch runs goes in one cancel
 * command. The core stops every worker at once at {@code close()} and from its shutdown hook, each on
 * its own thread; one {@code qdel} per worker would be slow and load the scheduler. A batch runs on
 * the {@code afterWindow} executor (by default {@value #DEFAULT_WINDOW_MS} ms after its first task
 * was added; tests pass an executor they run by hand). Thread-safe.
 */
public final class CancelBatcher {
    private static final System.Logger LOG = System.getLogger(CancelBatcher.class.getName());
    /** How long the first stop of a batch waits for others to join it, by default. */
    public static final long DEFAULT_WINDOW_MS = 250;

    private final QueueView view;
    private final Executor afterWindow;
    private final Object lock = new Object();
    private Set<ArrayTask> pending = new LinkedHashSet<>(); // guarded by lock
    private CompletableFuture<Void> next; // completed when the next batch has run; guarded by lock

    /** @param view whose scheduler, commands and runner cancel, and whose next snapshot is made fresh */
    public CancelBatcher(QueueView view) {
        this(view, CompletableFuture.delayedExecutor(DEFAULT_WINDOW_MS, TimeUnit.MILLISECONDS));
    }

    /**
     * @param view whose scheduler, commands and runner cancel, and whose next snapshot is made fresh
     * @param afterWindow runs each batch once its window has passed
     */
    public CancelBatcher(QueueView view, Executor afterWindow) {
        this.view = Objects.requireNonNull(view, "view");
        this.afterWindow = Objects.requireNonNull(afterWindow, "afterWindow");
    }

    /**
     * Adds tasks to the next batch.
     *
     * @param tasks what to cancel
     * @return completed once the batch holding them has run (at once for none)
     */
    public CompletableFuture<Void> add(Collection<ArrayTask> tasks) {
        if (tasks.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        synchronized (lock) {
            pending.addAll(tasks);
            if (next == null) {
                next = new CompletableFuture<>();
                CompletableFuture<Void> ran = next;
                afterWindow.execute(() -> runBatch(ran));
            }
            return next;
        }
    }

    /**
     * Adds tasks to the next batch and waits until it has run; never throws.
     *
     * @param tasks what to cancel
     * @param maxWaitMillis how long to wait at most
     */
    public void cancelAndWait(Collection<ArrayTask> tasks, long maxWaitMillis) {
        try {
            add(tasks).get(maxWaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "cancelling " + tasks + " did not complete: " + e);
        }
    }

    private void runBatch(CompletableFuture<Void> ran) {
        Set<ArrayTask> batch;
        synchronized (lock) {
            batch = pending;
            pending = new LinkedHashSet<>();
            next = null;
        }
        try {
            run(view.commandLine(view.scheduler().cancelCommand(byJob(batch))), batch);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not cancel " + batch + ": " + e);
        } finally {
            view.invalidate(); // the next status reads the effect
            ran.complete(null);
        }
    }

    private void run(List<String> cmd, Set<ArrayTask> batch) {
        try {
            var r = view.runner().run(cmd, null, QueueView.COMMAND_TIMEOUT_MS);
            if (r.exitCode() != 0) { // some tasks may have ended meanwhile: that is fine
                LOG.log(System.Logger.Level.DEBUG, cmd + " exited with " + r.exitCode() + ": " + r.both());
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not cancel " + view.scheduler().product() + " tasks "
                    + batch + ": " + e);
        }
    }

    /** @return the tasks' indices, ascending, by job id in the order first seen */
    static Map<String, List<Integer>> byJob(Collection<ArrayTask> tasks) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        for (ArrayTask t : tasks) {
            out.computeIfAbsent(t.jobId(), j -> new ArrayList<>()).add(t.index());
        }
        out.values().forEach(ids -> ids.sort(null));
        return out;
    }
}
