package org.jparallel.tests.model;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.Task;
import org.jparallel.TaskAttempt;
import org.jparallel.TaskFailedException;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;

/**
 * The state of one random sequence of {@link ApiModelTest}: a real manager with two local worker JVMs, used only
 * through the public API, beside a simple model of what the program did (tasks added, cancelled, contexts and the
 * manager closed, workers killed). Each action checks what it saw against the promises; every blocking call runs
 * with a deadline, so a hang is a failure that names its action.
 */
final class ApiModel implements AutoCloseable {
    static final long HANG_SECONDS = 90;

    /** A context and the tasks added to it, in the order added (its sequence order). */
    static final class Ctx {
        final int id;
        final Context<Object, Integer> context;
        final List<ApiTask> tasks = new ArrayList<>();
        boolean closed;

        Ctx(int id, Context<Object, Integer> context) {
            this.id = id;
            this.context = context;
        }
    }

    final int prefetch;
    final int maxLost;
    private final Manager manager;
    final List<Ctx> contexts = new ArrayList<>();
    final List<ApiTask> tasks = new ArrayList<>();
    private final Map<Integer, ApiTask> byValue = new HashMap<>();
    private final Map<Long, ApiTask> byTaskId = new HashMap<>();
    /** Pids of workers the test killed or stopped: a task may be charged a lost worker there. */
    private final Set<Long> faulted = new HashSet<>();
    /** Task ids charged WORKER_LOST per worker pid, from every failure seen. */
    private final Map<Long, Set<Long>> chargedAt = new HashMap<>();
    final List<String> violations = new ArrayList<>();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "model-action");
        t.setDaemon(true);
        return t;
    });
    boolean managerClosed;
    private int nextValue = 1;
    /**
     * Tasks handed to addTask (and accepted) or to map, whether or not map pulled them yet: unlike
     * {@code tasks.size()} it does not depend on timing, so actions drawn from it replay the same for a seed.
     */
    int requested;

    ApiModel(Path dir, int prefetch, int maxLost) {
        this.prefetch = prefetch;
        this.maxLost = maxLost;
        this.manager = Manager.builder().outputPattern(dir.resolve("worker%d.output").toString())
                .bindAddress("127.0.0.1").prefetch(prefetch).maxLostAttempts(maxLost).taskRetries(0)
                .replaceLostWorkers(1000).build();
        manager.addWorker(new LocalWorker(2));
    }

    // ---- actions ------------------------------------------------------------------------------------------

    void newContext(boolean withSetup) {
        try {
            @SuppressWarnings({"unchecked", "rawtypes"})
            Context<Object, Integer> c = withSetup ? manager.<Object, Integer>getContext(() -> 10)
                    : (Context) manager.<Integer>getContext();
            if (managerClosed) {
                violations.add("getContext worked on a closed manager");
            }
            contexts.add(new Ctx(contexts.size() + 1, c));
        } catch (IllegalStateException e) {
            if (!managerClosed) {
                violations.add("getContext threw " + e);
            }
        }
    }

    void addTasks(Ctx ctx, List<ApiTask.Kind> kinds) {
        for (ApiTask.Kind kind : kinds) {
            ApiTask t = new ApiTask(nextValue++, kind, ctx);
            try {
                t.future = kind.limitMillis() > 0 ? ctx.context.addTask(t.body(), Duration.ofMillis(kind.limitMillis()))
                        : ctx.context.addTask(t.body());
                if (ctx.closed || managerClosed) {
                    violations.add("addTask worked on a closed " + (managerClosed ? "manager" : "context"));
                }
                register(t);
                requested++;
                byTaskId.put(t.future.taskId(), t);
            } catch (IllegalStateException e) {
                if (!ctx.closed && !managerClosed) {
                    violations.add("addTask threw " + e);
                }
            }
        }
    }

    /** @return the tasks added by addTask (they have futures), in the order added */
    List<ApiTask> withFutures() {
        return tasks.stream().filter(t -> t.future != null).toList();
    }

    private void register(ApiTask t) {
        t.context.tasks.add(t);
        tasks.add(t);
        byValue.put(t.value, t);
    }

    void cancel(ApiTask t, boolean interrupt) {
        if (t.future.cancel(interrupt)) {
            t.cancelled = true;
            if (!t.future.isCancelled() || !t.future.isDone()) {
                violations.add(t + ": cancel returned true, yet isCancelled/isDone are false");
            }
        }
    }

    /** Reads results through an iterator of the context, to the end or only {@code limit} of them (0: all). */
    void iterate(Ctx ctx, boolean ordered, int limit) {
        blocking("iterating " + (ordered ? "getResults" : "getResultsUnordered") + " of context " + ctx.id, () ->
                read(ctx, (ordered ? ctx.context.getResults() : ctx.context.getResultsUnordered()).iterator(),
                        ordered, limit, "the iterator"));
    }

    /** Runs tasks through map or mapUnordered with a small window, reading to the end or {@code limit} results. */
    void map(Ctx ctx, boolean ordered, List<ApiTask.Kind> kinds, int window, int limit) {
        requested += kinds.size();
        Iterable<Task<Object, Integer>> source = () -> new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < kinds.size();
            }

            @Override
            public Task<Object, Integer> next() {
                ApiTask t = new ApiTask(nextValue++, kinds.get(i++), ctx);
                register(t);
                return t.body();
            }
        };
        Iterable<Integer> results = ordered ? ctx.context.map(source, window) : ctx.context.mapUnordered(source, window);
        blocking((ordered ? "map" : "mapUnordered") + " on context " + ctx.id, () ->
                read(ctx, results.iterator(), ordered, limit, ordered ? "map's iterator" : "mapUnordered's iterator"));
    }

    private void read(Ctx ctx, Iterator<Integer> it, boolean ordered, int limit, String what) {
        int lastSequence = -1;
        for (int n = 0; limit == 0 || n < limit; n++) {
            if (!it.hasNext()) {
                try {
                    Integer v = it.next();
                    violations.add(what + ": hasNext() was false, then next() returned " + v);
                } catch (NoSuchElementException expected) {
                    // the contract
                } catch (RuntimeException e) {
                    violations.add(what + ": hasNext() was false, then next() threw " + e + ", not NoSuchElementException");
                }
                if (!ctx.closed && !managerClosed) {
                    everyTaskDelivered(ctx, what);
                }
                return;
            }
            ApiTask t;
            try {
                Integer v = it.next();
                t = byValue.get(v);
                if (t == null || t.context != ctx) {
                    violations.add(what + " of context " + ctx.id + " delivered value " + v + ", not a task of it: " + t);
                    return;
                }
                judge(t, "value", v, null, what);
            } catch (TaskFailedException f) {
                t = failedTask(ctx, f);
                if (t == null) {
                    return;
                }
                judge(t, "failure", null, f, what);
            } catch (NoSuchElementException e) {
                violations.add(what + ": hasNext() was true, then next() threw " + e);
                return;
            } catch (IllegalStateException e) {
                if (!ctx.closed && !managerClosed) {
                    violations.add(what + ": next() threw " + e + " though context and manager are open");
                }
                return;
            } catch (RuntimeException e) {
                violations.add(what + ": next() threw " + e);
                return;
            }
            if (++t.delivered > 1) {
                violations.add(t + " was delivered " + t.delivered + " times (now by " + what + ")");
            }
            int sequence = ctx.tasks.indexOf(t);
            if (ordered && sequence < lastSequence) {
                violations.add(what + " (ordered) delivered " + t + " after a later task");
            }
            lastSequence = sequence;
        }
    }

    /** The iteration ended with the context open: every task not cancelled by the program came out of it. */
    private void everyTaskDelivered(Ctx ctx, String what) {
        for (ApiTask t : ctx.tasks) {
            if (!t.cancelled && t.delivered == 0) {
                violations.add("dropped: " + t + " was never delivered, though " + what + " ended; its future: "
                        + peek(t));
            }
        }
    }

    private static String peek(ApiTask t) {
        if (t.future == null) {
            return "none (added by map)";
        }
        try {
            return "value " + t.future.get(1, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return "failed: " + e.getCause();
        } catch (CancellationException e) {
            return "cancelled: " + e.getMessage();
        } catch (TimeoutException e) {
            return "not done";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** @return the task a failure from an iterator is about: by its id, or for a map's task by its kind */
    private ApiTask failedTask(Ctx ctx, TaskFailedException f) {
        ApiTask t = byTaskId.get(f.getTaskId());
        if (t != null) {
            return t;
        }
        TaskAttempt last = f.getAttempts().get(f.getAttempts().size() - 1);
        for (ApiTask m : ctx.tasks) {
            boolean matches = last.outcome() == TaskAttempt.Outcome.THREW
                    ? last.detail().contains("task of value " + m.value + " threw")
                    : m.kind == ApiTask.Kind.HALTS || faulted.contains(ApiTask.pidOf(last.worker()));
            if (m.future == null && m.delivered == 0 && matches) {
                return m;
            }
        }
        violations.add("a failure of a task added by map fits none of its tasks (an innocent task charged?): "
                + f.getMessage());
        return null;
    }

    /** Reads every future of the context, with a deadline, and judges what each says. */
    void readFutures(Ctx ctx) {
        blocking("reading the futures of context " + ctx.id, () -> {
            for (ApiTask t : List.copyOf(ctx.tasks)) {
                if (t.future == null) {
                    continue;
                }
                try {
                    judge(t, "value", t.future.get(HANG_SECONDS, TimeUnit.SECONDS), null, "its future");
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TaskFailedException f) {
                        judge(t, "failure", null, f, "its future");
                    } else {
                        violations.add(t + ": its future threw " + e);
                    }
                } catch (CancellationException e) {
                    judgeCancel(t, e);
                } catch (TimeoutException e) {
                    violations.add(t + ": its future did not complete in " + HANG_SECONDS + " s (hung)");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
    }

    void closeContext(Ctx ctx) {
        blocking("closing context " + ctx.id, ctx.context::close);
        ctx.closed = true;
    }

    void kill(int pick) {
        long pid = connectedPid(pick);
        if (pid > 0) {
            faulted.add(pid);
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Stops a worker with SIGSTOP for 300 ms, then lets it go on with SIGCONT. */
    void pause(int pick) {
        long pid = connectedPid(pick);
        if (pid > 0) {
            faulted.add(pid);
            blocking("SIGSTOP/SIGCONT of pid " + pid, () -> {
                signal("STOP", pid);
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                signal("CONT", pid);
            });
        }
    }

    private long connectedPid(int pick) {
        if (managerClosed) {
            return -1;
        }
        List<Long> pids = manager.workers().stream().filter(w -> w.state() == WorkerInfo.State.CONNECTED)
                .map(WorkerInfo::pid).toList();
        return pids.isEmpty() ? -1 : pids.get(pick % pids.size());
    }

    private static void signal(String signal, long pid) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("kill -" + signal + " " + pid, e);
        }
    }

    void closeManager() {
        blocking("manager.close()", manager::close);
        managerClosed = true;
    }

    /** The end of a sequence: read every open context to its end, then every future, then close the manager. */
    void settle() {
        if (!managerClosed) {
            for (Ctx ctx : contexts) {
                if (!ctx.closed) {
                    iterate(ctx, false, 0);
                }
            }
        }
        contexts.forEach(this::readFutures);
        closeManager();
        contexts.forEach(this::readFutures);
        check();
    }

    // ---- judging --------------------------------------------------------------------------------------------

    /** Judges one outcome of a task (a value or a failure), seen through {@code where}. */
    private void judge(ApiTask t, String kind, Integer value, TaskFailedException f, String where) {
        String seen;
        if (f == null) {
            seen = "value " + value;
            if (t.cancelled) {
                violations.add(t + " was cancelled, yet " + where + " gave its value");
            } else if (!t.kind.returns() || value != t.value) {
                violations.add(t + ": " + where + " gave value " + value);
            }
        } else {
            List<TaskAttempt> attempts = f.getAttempts();
            TaskAttempt.Outcome last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1).outcome();
            seen = "failed " + last;
            for (TaskAttempt a : attempts) {
                if (a.outcome() == TaskAttempt.Outcome.WORKER_LOST) {
                    long pid = ApiTask.pidOf(a.worker());
                    chargedAt.computeIfAbsent(pid, p -> new HashSet<>()).add(f.getTaskId());
                    if (t.kind != ApiTask.Kind.HALTS && !faulted.contains(pid)) {
                        violations.add(t + " was charged WORKER_LOST for " + a.worker() + ", which the test never"
                                + " killed: it cannot have been running when a halting task took that worker down\n    "
                                + f.getMessage().replace("\n", "\n    "));
                    }
                }
            }
            boolean lostOut = last == TaskAttempt.Outcome.WORKER_LOST && attempts.size() >= maxLost;
            boolean fits = switch (t.kind) {
                case THROWS -> last == TaskAttempt.Outcome.THREW || lostOut;
                case OVER_LIMIT -> last == TaskAttempt.Outcome.TIMED_OUT || lostOut;
                case HALTS -> lostOut;
                default -> lostOut;
            };
            if (!fits) {
                violations.add(t + " failed as it should not: " + where + " says\n    "
                        + f.getMessage().replace("\n", "\n    "));
            }
        }
        if (t.seen != null && !t.seen.equals(seen)) {
            violations.add(t + ": " + where + " says " + seen + ", but earlier it was " + t.seen);
        }
        t.seen = seen;
    }

    private void judgeCancel(ApiTask t, CancellationException e) {
        String m = String.valueOf(e.getMessage());
        boolean fair = t.cancelled && m.contains("it was cancelled")
                || t.context.closed && m.contains("its context was closed")
                || managerClosed && m.contains("the manager");
        if (!fair) {
            violations.add("dropped: " + t + " was cancelled though the program did not cancel it or close its "
                    + (m.contains("context") ? "context" : "manager") + ": " + m);
        }
    }

    /** Throws with every broken promise seen so far; checks each killed worker was charged for one task at most. */
    void check() {
        chargedAt.forEach((pid, ids) -> {
            if (faulted.contains(pid) && ids.size() > 1) {
                violations.add("one loss of worker pid " + pid + " was charged to " + ids.size() + " tasks " + ids
                        + ": only the one it ran may be");
            }
        });
        if (!violations.isEmpty()) {
            String all = String.join("\n  ", violations);
            violations.clear();
            throw new AssertionError("jparallel broke its promise:\n  " + all + "\n  prefetch " + prefetch
                    + ", lost-worker budget " + maxLost + ", " + tasks.size() + " task(s)");
        }
    }

    // ---- deadlines ------------------------------------------------------------------------------------------

    private void blocking(String action, Runnable r) {
        Future<?> f = runner.submit(r);
        try {
            f.get(HANG_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("hung: " + action + " did not return in " + HANG_SECONDS + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new AssertionError(action + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during " + action);
        }
    }

    @Override
    public void close() {
        Thread closer = new Thread(manager::close, "model-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runner.shutdownNow();
    }

    @Override
    public String toString() {
        return "a manager with prefetch " + prefetch + " and a lost-worker budget of " + maxLost;
    }
}
