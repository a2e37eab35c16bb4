package org.jparallel.core.dispatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jparallel.Manager;
import org.jparallel.RemoteTaskException;
import org.jparallel.TaskAttempt.Outcome;
import org.jparallel.core.dispatch.ModelTask.End;
import org.jparallel.core.protocol.Message;

/**
 * The state of one random sequence of {@link DispatcherModelTest}: a real {@link Dispatcher} driven on the test
 * thread by fake workers and a virtual clock, beside a model of what must become of every task. The model
 * follows what the dispatcher sends (which worker got which task is the dispatcher's choice) and decides, from
 * what the workers answer, how each task must end: a result once; a failure only when its budget is spent,
 * charged a lost worker only when it was the one task that worker held (a worker holding several may have
 * finished the first and held its result back, so none of them is charged), timed out
 * only after running past its limit; a cancellation with its reason. {@link #check} compares after every step.
 */
final class DispatcherModel {
    static final String CONTEXT_CLOSED = "its context was closed";
    static final String USER_CANCEL = "it was cancelled";

    final int prefetch;
    final int maxLost;
    final int retries;
    private final Dispatcher dispatcher;
    private final DispatcherFakes.Listener listener = new DispatcherFakes.Listener();
    private final VirtualClock clock = new VirtualClock();
    final TreeMap<Integer, FakeWorker> workers = new TreeMap<>();
    /** Every context opened: true while open. */
    final TreeMap<Integer, Boolean> contexts = new TreeMap<>();
    private final Map<Integer, byte[]> setups = new HashMap<>();
    final List<ModelTask> tasks = new ArrayList<>();
    private final Map<Long, ModelTask> byId = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private int nextWorker = 1;
    private int nextContext = 1;
    private long nextTask = 1;
    boolean shutDown;
    /** Workers have lifetimes and tasks expected durations (with a drain margin of {@link #MARGIN} ms). */
    final boolean lifetimes;
    static final long MARGIN = 100;
    /** What the model knows of the groups added: any at all, any with no set end, the longest time one leaves a task. */
    private boolean anyGroup;
    private boolean anyUnbounded;
    private long longestUsable;
    /** The most slots of a worker of any group so far. */
    private int mostSlots;

    DispatcherModel(int prefetch, int maxLost, int retries) {
        this(prefetch, maxLost, retries, false);
    }

    DispatcherModel(int prefetch, int maxLost, int retries, boolean lifetimes) {
        this.prefetch = prefetch;
        this.maxLost = maxLost;
        this.retries = retries;
        this.lifetimes = lifetimes;
        this.dispatcher = new Dispatcher(Manager.builder().prefetch(prefetch).maxLostAttempts(maxLost)
                .taskRetries(retries).drainMargin(java.time.Duration.ofMillis(MARGIN)).settings(),
                listener, () -> 90_000 + nextWorker++, clock);
        if (lifetimes) {
            dispatcher.useClock(() -> clock.now * 1_000_000);
        }
    }

    // ---- the actions ------------------------------------------------------------------------------

    void connect() {
        connect(-1);
    }

    /** A worker connects that lives {@code lifetimeMillis} from now (-1: no set end), its own group. */
    void connect(long lifetimeMillis) {
        connect(lifetimeMillis, 1);
    }

    /** A worker connects that lives {@code lifetimeMillis} from now (-1: no set end) and runs {@code slots} tasks at once. */
    void connect(long lifetimeMillis, int slots) {
        int id = nextWorker++;
        dispatcher.workersAdded(List.of(id), "model", lifetimeMillis < 0 ? null : java.time.Duration.ofMillis(lifetimeMillis),
                slots);
        mostSlots = Math.max(mostSlots, slots);
        anyGroup = true;
        if (lifetimeMillis < 0) {
            anyUnbounded = true;
        } else {
            longestUsable = Math.max(longestUsable, lifetimeMillis - Math.min(MARGIN, lifetimeMillis));
        }
        Admission a = dispatcher.admit(new Message.Hello(1, id, 1000 + id, "host", "17", new byte[32], lifetimeMillis, slots));
        if (!a.admitted()) {
            if (!shutDown) {
                violations.add("worker " + id + " was refused: " + a.rejection());
            }
            return;
        }
        FakeWorker w = new FakeWorker(id);
        w.slots = slots;
        if (lifetimeMillis >= 0) {
            w.drainAt = clock.now + lifetimeMillis - Math.min(MARGIN, lifetimeMillis);
        }
        workers.put(id, w);
        dispatcher.attach(id, w.link);
        absorb();
    }

    /** The worker's connection is gone: killed, halted by the task it ran, or closed by the manager. */
    void lose(int workerId, String reason) {
        FakeWorker w = workers.remove(workerId);
        ModelTask running = w.running();
        // a worker runs its held tasks in order but may hold the results of finished ones back for a batch, so
        // only when it held a single task does the dispatcher know that one was running: then it is charged;
        // when it held several, none is (each is then sent alone, and charged on its own loss)
        boolean knownRunning = w.held.size() == 1;
        // a worker gone in its drain margin or later reached its walltime (or was drained): no task is charged
        boolean walltime = w.toldToExit || clock.now >= w.drainAt;
        if (!shutDown && !walltime && knownRunning && running != null && !running.modelEnded()) {
            running.lost++;
            if (running.lost >= maxLost) {
                running.expect(End.FAILED, Outcome.WORKER_LOST);
            }
        }
        for (ModelTask t : w.held) {
            t.heldBy = null;
            t.startedAt = -1;
        }
        w.held.clear();
        dispatcher.workerDisconnected(workerId, reason);
        absorb();
    }

    /**
     * Automatic allocation lets a worker go: only one that holds nothing is released; it is sent SHUTDOWN and
     * nothing after it, then exits (its connection closes) without being lost.
     */
    void release(int workerId) {
        FakeWorker w = workers.get(workerId);
        boolean idle = w.held.isEmpty();
        boolean released = dispatcher.release(workerId, "released by the model", h -> { });
        if (released != idle) {
            violations.add(w + (idle ? " was idle but not released" : " was released while it held " + w.held));
        }
        if (!released) {
            absorb();
            return;
        }
        List<Message> sent = w.link.taken();
        if (!sent.equals(List.of(Message.Shutdown.INSTANCE))) {
            violations.add("released " + w + " was sent " + sent + " instead of SHUTDOWN alone");
        }
        workers.remove(workerId);
        dispatcher.workerDisconnected(workerId, "exited after SHUTDOWN");
        if (listener.lost.contains(workerId)) {
            violations.add("released " + w + " was reported lost");
        }
        absorb();
    }

    /** The worker answers the task it runs, with a result or an exception. */
    void answer(int workerId, boolean result) {
        answer(workerId, 0, result);
    }

    /** The worker answers the {@code k}th of the tasks it runs (its slots run the first ones it holds). */
    void answer(int workerId, int k, boolean result) {
        FakeWorker w = workers.get(workerId);
        List<ModelTask> running = w.runningTasks();
        ModelTask t = running.get(Math.min(k, running.size() - 1));
        w.held.remove(t);
        t.heldBy = null;
        if (w.held.size() >= w.slots) { // the freed slot takes the next task it holds
            List<ModelTask> now = w.runningTasks();
            now.get(now.size() - 1).startedAt = clock.now;
        }
        if (result) {
            byte[] payload = {(byte) t.id, (byte) (t.lost + t.threw)};
            if (!t.modelEnded()) {
                t.expect(End.RESULT, payload);
            }
            dispatcher.onResult(workerId, t.id, payload);
        } else {
            if (!t.modelEnded() && ++t.threw > retries) {
                t.expect(End.FAILED, Outcome.THREW);
            }
            dispatcher.onFailure(workerId, t.id, new RemoteTaskException("java.lang.IllegalStateException",
                    "task " + t.id + " threw", new StackTraceElement[0], null));
        }
        absorb();
    }

    int openContext(boolean withSetup) {
        int id = nextContext++;
        byte[] setup = withSetup ? new byte[] {(byte) id, 7} : null;
        contexts.put(id, true);
        if (setup != null) {
            setups.put(id, setup);
        }
        dispatcher.openContext(id, setup);
        absorb();
        return id;
    }

    void closeContext(int id) {
        contexts.put(id, false);
        for (ModelTask t : tasks) {
            if (t.contextId == id && !t.modelEnded()) {
                t.expect(End.CANCELLED, CONTEXT_CLOSED);
            }
        }
        dispatcher.closeContext(id);
        absorb();
    }

    void submit(int contextId, int n, long timeoutMillis) {
        submit(contextId, n, timeoutMillis, 0);
    }

    /** Adds {@code n} tasks, each declared to run {@code expectedMillis} (0: not declared). */
    void submit(int contextId, int n, long timeoutMillis, long expectedMillis) {
        submit(contextId, n, timeoutMillis, expectedMillis, 1);
    }

    /** Adds {@code n} tasks, each declared to run {@code expectedMillis} (0: not declared) and asking for {@code cpus}. */
    void submit(int contextId, int n, long timeoutMillis, long expectedMillis, int cpus) {
        List<QueuedTask> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ModelTask t = new ModelTask(nextTask++, contextId, timeoutMillis);
            t.expectedMillis = expectedMillis;
            t.cpus = cpus;
            t.queued = new QueuedTask(t, contextId, new byte[] {(byte) t.id}, timeoutMillis);
            t.queued.expectDuration(expectedMillis * 1_000_000);
            t.queued.needCpus(cpus);
            tasks.add(t);
            byId.put(t.id, t);
            if (shutDown) {
                t.expect(End.CANCELLED, "the manager is closed");
            } else if (!contexts.getOrDefault(contextId, false)) {
                t.expect(End.CANCELLED, CONTEXT_CLOSED);
            } else if (cpus > 1 && anyGroup && cpus > mostSlots) {
                t.expect(End.FAILED, null); // no worker has that many slots: it fails at once, with no attempt
            } else if (expectedMillis > 0 && anyGroup && !anyUnbounded && expectedMillis > longestUsable) {
                t.expect(End.FAILED, null); // no group could ever finish it: it fails at once, with no attempt
            }
            batch.add(t.queued);
        }
        dispatcher.submitAll(batch);
        absorb();
    }

    /** The user cancels a task, as the user-facing record does: it ends cancelled, then the dispatcher hears. */
    void cancel(long taskId, boolean interrupt) {
        ModelTask t = byId.get(taskId);
        t.userCancelled = true;
        t.expect(End.CANCELLED, USER_CANCEL);
        dispatcher.cancel(t, interrupt);
        absorb();
    }

    /** Moves the virtual clock on, running the dispatcher's timers as they fall due. */
    void advance(long millis) {
        long until = clock.now + millis;
        VirtualClock.Entry e;
        while ((e = clock.pollDue(until)) != null) {
            clock.now = e.due;
            e.task.run();
            noteTimeouts();
            absorb();
        }
        clock.now = until;
    }

    void shutdown() {
        shutDown = true;
        for (ModelTask t : tasks) {
            if (!t.modelEnded()) {
                t.expect(End.CANCELLED, "the manager was closed");
            }
        }
        dispatcher.shutdown();
        absorb();
        for (int id : new ArrayList<>(workers.keySet())) {
            lose(id, "exited at shutdown");
        }
    }

    /**
     * Lets every worker answer every task it holds with a result (with a worker connected), then checks that
     * nothing is left: every task that could run has ended.
     */
    void settle() {
        int cpus = tasks.stream().filter(t -> !t.modelEnded()).mapToInt(t -> t.cpus).max().orElse(1);
        if (!shutDown && workers.values().stream().noneMatch(w -> w.drainAt == Long.MAX_VALUE && w.slots >= cpus)) {
            connect(-1, Math.max(cpus, 1)); // with no set end and enough slots, so that every task fits somewhere
        }
        for (int guard = 0; guard < 100_000; guard++) {
            FakeWorker busy = workers.values().stream().filter(w -> !w.held.isEmpty()).findFirst().orElse(null);
            if (busy == null) {
                break;
            }
            answer(busy.id, true);
        }
        for (ModelTask t : tasks) {
            if (!t.modelEnded()) {
                violations.add("dropped: " + t + " never ended, though every worker is idle and its context is "
                        + (contexts.getOrDefault(t.contextId, false) ? "open" : "closed"));
            }
        }
        if (!shutDown && dispatcher.stats().waiting() != 0) {
            violations.add("the dispatcher still counts " + dispatcher.stats().waiting() + " waiting task(s) with every worker idle");
        }
        check();
    }

    // ---- following the dispatcher ---------------------------------------------------------------------------

    /** Reads what the dispatcher wrote to each worker; a link the dispatcher closed becomes a lost worker. */
    private void absorb() {
        for (FakeWorker w : new ArrayList<>(workers.values())) {
            for (Message m : w.link.taken()) {
                if (m instanceof Message.Setup s) {
                    w.setups.add(s.contextId());
                } else if (m instanceof Message.Release r) {
                    w.setups.remove(r.contextId());
                } else if (m instanceof Message.Cancel c) {
                    w.cancelsReceived.add(c.taskId());
                } else if (m instanceof Message.Task task) {
                    received(w, task.taskId(), task.contextId());
                } else if (m instanceof Message.Shutdown && !shutDown && !w.link.closed) {
                    // (a SHUTDOWN on a link the dispatcher also closed stops a worker whose task ignored its
                    // interruption: it is lost, not drained, and is told to go only so it does not come back)
                    w.toldToExit = true;
                    if (!w.held.isEmpty()) {
                        violations.add(w + " was told to exit (drained) while it held tasks");
                    }
                    if (clock.now < w.drainAt) {
                        violations.add(w + " was drained at " + clock.now + " ms, before its drain time");
                    }
                }
            }
        }
        for (FakeWorker w : new ArrayList<>(workers.values())) {
            if (w.link.closed && workers.containsKey(w.id)) {
                lose(w.id, "closed by the manager");
            } else if (w.toldToExit && workers.containsKey(w.id)) {
                lose(w.id, "exited as told (drained)");
            }
        }
    }

    private void received(FakeWorker w, long taskId, int contextId) {
        ModelTask t = byId.get(taskId);
        if (t == null || t.contextId != contextId) {
            violations.add(w + " was sent unknown task " + taskId + " of context " + contextId);
            return;
        }
        if (t.modelEnded()) {
            violations.add(t + " was sent to " + w + " though it already ended (" + t.expectedEnd + ")");
        }
        if (t.heldBy != null) {
            violations.add(t + " was sent to " + w + " while " + t.heldBy + " still holds it");
            t.heldBy.held.remove(t);
        }
        if (setups.containsKey(contextId) && !w.setups.contains(contextId)) {
            violations.add(t + " reached " + w + " before the setup of context " + contextId);
        }
        if (w.toldToExit || clock.now >= w.drainAt) {
            violations.add(t + " was sent to " + w + " at " + clock.now + " ms, past its drain time");
        } else if (t.expectedMillis > 0 && w.drainAt != Long.MAX_VALUE) {
            long ahead = w.startsAfter();
            if (clock.now + ahead + t.expectedMillis > w.drainAt) {
                violations.add(t + " was sent to " + w + " at " + clock.now + " ms behind " + ahead
                        + " ms of declared work on its slots: it cannot finish before the worker is drained");
            }
        }
        w.held.addLast(t);
        t.heldBy = w;
        if (w.runs(t)) {
            t.startedAt = clock.now;
        }
        if (w.held.stream().anyMatch(h -> h.cpus > 1 || h.queued.runsAlone)) {
            int cpusHeld = w.held.stream().mapToInt(h -> h.cpus).sum();
            if (cpusHeld > w.slots) {
                violations.add(w + " was given " + t + ": it holds " + cpusHeld + " cpus of work for its " + w.slots
                        + " slots, beside a task that asked for several cpus");
            }
            if (w.held.size() > 1 && w.held.stream().anyMatch(h -> h.queued.runsAlone && h.heldBy == w && h != t)
                    && t.queued.runsAlone) {
                violations.add(w + " was given " + t + " beside a task that runs alone");
            }
        }
    }

    /** A task the dispatcher just timed out must have run past its limit; the model then takes it as ended. */
    private void noteTimeouts() {
        for (ModelTask t : tasks) {
            if (t.modelEnded() || t.reportedEnd != End.FAILED || ModelTask.lastOutcome(t.reportedFailure) != Outcome.TIMED_OUT) {
                continue;
            }
            FakeWorker w = t.heldBy;
            if (w == null || !w.runs(t)) {
                violations.add(t + " timed out at " + clock.now + " ms though it was not running: "
                        + (w == null ? "no worker held it" : "it waited behind task " + w.running().id + " on " + w));
            } else if (clock.now - t.startedAt < t.timeoutMillis) {
                violations.add(t + " timed out after running " + (clock.now - t.startedAt) + " ms of its "
                        + t.timeoutMillis + " ms limit");
            }
            t.timedOut++;
            t.expect(End.FAILED, Outcome.TIMED_OUT);
        }
    }

    // ---- the checks ---------------------------------------------------------------------------------------

    /** Compares the dispatcher with the model; throws with every difference found. */
    void check() {
        for (ModelTask t : tasks) {
            checkTask(t);
        }
        if (!shutDown) {
            for (FakeWorker idle : workers.values()) {
                if (!idle.held.isEmpty() || idle.toldToExit) {
                    continue;
                }
                ModelTask waiting = tasks.stream().filter(t -> !t.modelEnded() && t.heldBy == null && t.cpus <= idle.slots
                        && clock.now + t.expectedMillis <= idle.drainAt && clock.now < idle.drainAt).findFirst().orElse(null);
                if (waiting != null) {
                    violations.add(waiting + " waits while " + idle + " is idle and could finish it");
                }
            }
            for (FakeWorker w : workers.values()) {
                if (w.toldToExit || w.held.isEmpty() || w.held.size() >= w.slots
                        || w.held.stream().anyMatch(h -> h.cpus > 1 || h.queued != null && h.queued.runsAlone)
                        || tasks.stream().anyMatch(t -> !t.modelEnded() && t.heldBy == null && t.cpus <= w.slots
                                && (t.cpus > 1 || t.queued != null && t.queued.runsAlone))) {
                    continue; // a worker may be kept for a waiting task that asks for several of its slots, or all
                }
                ModelTask waiting = tasks.stream().filter(t -> !t.modelEnded() && t.heldBy == null && t.cpus == 1
                        && (t.queued == null || !t.queued.runsAlone)
                        && clock.now + t.expectedMillis <= w.drainAt && clock.now < w.drainAt).findFirst().orElse(null);
                if (waiting != null) {
                    violations.add(waiting + " waits while " + w + " has a free slot (" + w.held.size() + " of "
                            + w.slots + " busy) and could run it");
                }
            }
            for (FakeWorker w : workers.values()) {
                for (ModelTask r : w.runningTasks()) {
                    if (r.timeoutMillis > 0 && !r.modelEnded() && clock.now - r.startedAt >= r.timeoutMillis) {
                        violations.add(r + " has run " + (clock.now - r.startedAt) + " ms on " + w + " and did not time out");
                    }
                }
            }
        }
        long results = tasks.stream().filter(t -> t.expectedEnd == End.RESULT && !t.userCancelled).count();
        long failures = tasks.stream().filter(t -> t.expectedEnd == End.FAILED && !t.userCancelled).count();
        if (dispatcher.stats().succeeded() != results || dispatcher.stats().failed() != failures) {
            violations.add("the dispatcher counts " + dispatcher.stats().succeeded() + " results and " + dispatcher.stats().failed()
                    + " failures; the model " + results + " and " + failures);
        }
        if (!violations.isEmpty()) {
            String all = String.join("\n  ", violations);
            violations.clear();
            throw new AssertionError("the dispatcher broke its promise:\n  " + all + "\n" + describe());
        }
    }

    private void checkTask(ModelTask t) {
        if (t.calls.size() > 1) {
            violations.add(t + " ended " + t.calls.size() + " times: " + t.calls);
        }
        if (t.userCancelled && t.calls.stream().anyMatch(c -> c.startsWith("after"))) {
            violations.add(t + " was ended by the dispatcher after the user cancelled it: " + t.calls);
        }
        if (t.attempts(Outcome.WORKER_LOST) != t.lost) {
            violations.add(t + " carries " + t.attempts(Outcome.WORKER_LOST) + " WORKER_LOST attempt(s), but was the"
                    + " running task of a lost worker " + t.lost + " time(s)");
        }
        if (t.attempts(Outcome.THREW) != t.threw || t.attempts(Outcome.TIMED_OUT) != t.timedOut) {
            violations.add(t + " carries attempts " + (t.queued.attempts()) + "; the model: threw " + t.threw
                    + ", timed out " + t.timedOut);
        }
        if (!t.modelEnded()) {
            if (t.reportedEnd != null) {
                violations.add(t + " ended (" + t.calls + ") though it should go on ("
                        + (t.heldBy == null ? "waiting" : "held by " + t.heldBy) + ")");
            }
            return;
        }
        if (t.userCancelled && t.expectedDetail == USER_CANCEL) {
            return; // the user's cancel ended it; the dispatcher must not (checked above)
        }
        String expected = t.expectedEnd + " (" + detail(t.expectedDetail) + ")";
        if (t.reportedEnd == null) {
            violations.add(t + " should have ended " + expected + "; the dispatcher said nothing");
        } else if (t.reportedEnd != t.expectedEnd
                || t.expectedEnd == End.RESULT && !Arrays.equals(t.reportedPayload, (byte[]) t.expectedDetail)
                || t.expectedEnd == End.FAILED && ModelTask.lastOutcome(t.reportedFailure) != t.expectedDetail
                || t.expectedEnd == End.CANCELLED && !t.expectedDetail.equals(t.reportedCancel)) {
            violations.add(t + " should have ended " + expected + "; it ended " + t.calls);
        }
    }

    private static String detail(Object d) {
        return d instanceof byte[] b ? Arrays.toString(b) : String.valueOf(d);
    }

    @Override
    public String toString() {
        return "the dispatcher and its model\n" + describe();
    }

    String describe() {
        return "  at " + clock.now + " ms; prefetch " + prefetch + ", lost-worker budget " + maxLost + ", retries "
                + retries + (lifetimes ? ", lifetimes" : "") + (shutDown ? ", shut down" : "") + "\n  workers: " + workers.values()
                + "\n  contexts (open?): " + contexts + "\n  tasks: " + tasks.stream()
                .map(t -> t.id + "=" + (t.modelEnded() ? t.expectedEnd : t.heldBy == null ? "waiting" : "held"))
                .collect(Collectors.joining(", "));
    }

    // ---- for the action generators ----------------------------------------------------------------------------

    List<Integer> busyWorkers() {
        return workers.values().stream().filter(w -> !w.held.isEmpty()).map(w -> w.id).toList();
    }

    List<Long> cancellable() {
        return tasks.stream().filter(t -> t.reportedEnd == null && !t.userCancelled).map(t -> t.id).toList();
    }

    List<Integer> openContexts() {
        return contexts.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
    }

    /** A hand-driven clock in milliseconds: the dispatcher's timers run when {@link #advance} reaches them. */
    static final class VirtualClock implements Scheduler {
        record Entry(long due, long order, Runnable task) { }

        long now;
        private long order;
        private final PriorityQueue<Entry> due = new PriorityQueue<>((a, b) -> a.due != b.due
                ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));

        @Override
        public void schedule(Runnable task, long delayMillis) {
            due.add(new Entry(now + delayMillis, order++, task));
        }

        Entry pollDue(long until) {
            return !due.isEmpty() && due.peek().due <= until ? due.poll() : null;
        }
    }
}
