package org.jparallel.tests.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jparallel.ProgressListener;
import org.jparallel.TaskFailedException;
import org.jparallel.WorkerInfo;

/**
 * One {@link ProgressListener} the program of {@link ApiModel} registered, and what it heard: it records each event
 * on the manager's progress thread and does nothing else (a listener should return quickly); the model's thread
 * later takes them ({@link #take}) and judges the order the listener's Javadoc promises, per task (queued once,
 * before it is started; started never after its end; one end at most; {@code taskFromJournal} alone) and per worker
 * (joined once, before it is lost, drained or draining; a worker that failed to start was never joined). What each
 * event says about the task it names is {@link ApiEvents}'s to judge.
 */
final class ApiHeard implements ProgressListener {
    /** The kinds of events. */
    enum Kind {
        QUEUED, STARTED, DONE, FAILED, FROM_JOURNAL, CANCELLED, JOINED, LOST, FAILED_TO_START, DRAINING, DRAINED;

        /** @return whether it ends a task */
        boolean ends() {
            return this == DONE || this == FAILED || this == FROM_JOURNAL || this == CANCELLED;
        }
    }

    /** One event as heard: a task's id (or a worker's), the context of a queued task, a worker's state. */
    record Event(Kind kind, long id, int context, WorkerInfo.State state) {
        @Override
        public String toString() {
            return kind + (kind.ordinal() < Kind.JOINED.ordinal() ? " of task " : " of worker ") + id;
        }
    }

    /** What one listener heard of one task, in the order heard. */
    static final class Life {
        int queued;
        int started;
        /** Its first end event, or {@code null}. */
        Kind end;
        /** The manager's id of its context, from taskQueued or taskFromJournal; -1 before. */
        int context = -1;
    }

    final String name;
    /** The model's clock when addListener (or build) returned, and when removeListener returned (or never). */
    long registeredAt;
    long removedAt = Long.MAX_VALUE;
    /** Without a journal: the tasks whose futures were pending once addListener returned (their ends follow it). */
    Set<ApiTask> pendingAtRegistration = Set.of();
    /** Workers connected both before addListener was called and after it returned: each must be announced. */
    Set<Integer> connectedAtRegistration = Set.of();
    private final ConcurrentLinkedQueue<Event> incoming = new ConcurrentLinkedQueue<>();
    private final CountDownLatch first = new CountDownLatch(1);
    /** Per task id, what it heard (model thread only). */
    final Map<Long, Life> tasks = new HashMap<>();
    /** Per worker id, the last of its worker events (model thread only). */
    final Map<Integer, Kind> workers = new HashMap<>();
    /** Task ids whose end {@link ApiEvents} judged against the task's future (model thread only). */
    final Set<Long> settled = new java.util.HashSet<>();
    /** Events taken so far. */
    int heard;

    ApiHeard(String name) {
        this.name = name;
    }

    boolean removed() {
        return removedAt != Long.MAX_VALUE;
    }

    /** @return whether it heard an event within {@code millis} of its registration (see {@link ApiEvents}) */
    boolean awaitFirst(long millis) throws InterruptedException {
        return first.await(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes the events heard since the last call, judges each against what this listener heard before it, and
     * reports the broken promises to {@code violation}.
     *
     * @return the events taken
     */
    List<Event> take(Consumer<String> violation) {
        List<Event> taken = new ArrayList<>();
        for (Event e = incoming.poll(); e != null; e = incoming.poll()) {
            heard++;
            taken.add(e);
            String broken = e.kind.ordinal() < Kind.JOINED.ordinal() ? task(e) : worker(e);
            if (broken != null) {
                violation.accept(name + " heard " + e + " " + broken);
            }
        }
        return taken;
    }

    private String task(Event e) {
        Life l = tasks.computeIfAbsent(e.id, id -> new Life());
        Kind before = l.end;
        String broken = switch (e.kind) {
            case QUEUED -> l.queued > 0 || l.started > 0 || before != null
                    ? "after " + (l.queued > 0 ? "its taskQueued" : l.started > 0 ? "its taskStarted" : before) : null;
            case STARTED -> before != null ? "after its end " + before : null;
            case FROM_JOURNAL -> before != null ? "after its end " + before
                    : l.queued + l.started > 0 ? "after taskQueued/taskStarted (no other may come with it)" : null;
            default -> before != null ? "after its end " + before
                    : e.kind == Kind.DONE && l.queued > 0 && l.started == 0 ? "though it was never started" : null;
        };
        if (e.kind == Kind.QUEUED) {
            l.queued++;
            l.context = e.context;
        } else if (e.kind == Kind.STARTED) {
            l.started++;
        } else if (e.kind.ends() && l.end == null) {
            l.end = e.kind;
            if (e.kind == Kind.FROM_JOURNAL) {
                l.context = e.context;
            }
        }
        return broken;
    }

    private String worker(Event e) {
        Kind last = workers.get((int) e.id);
        WorkerInfo.State want = switch (e.kind) {
            case JOINED -> WorkerInfo.State.CONNECTED;
            case LOST -> WorkerInfo.State.LOST;
            case FAILED_TO_START -> WorkerInfo.State.FAILED;
            case DRAINED -> WorkerInfo.State.STOPPED;
            default -> e.state;
        };
        String broken = e.state != want ? "in state " + e.state + ", not " + want
                : switch (e.kind) {
                    case JOINED -> last != null ? "after its " + last : null;
                    case FAILED_TO_START -> last != null ? "after its " + last + " (it had connected)" : null;
                    default -> last != Kind.JOINED && last != Kind.DRAINING ? "after " + (last == null
                            ? "no workerJoined" : "its " + last) : null;
                };
        workers.put((int) e.id, e.kind);
        return broken;
    }

    private void heard(Kind kind, long id, int context, WorkerInfo.State state) {
        incoming.add(new Event(kind, id, context, state));
        first.countDown();
    }

    @Override
    public void taskQueued(long taskId, int contextId) {
        heard(Kind.QUEUED, taskId, contextId, null);
    }

    @Override
    public void taskStarted(long taskId, int workerId) {
        heard(Kind.STARTED, taskId, -1, null);
    }

    @Override
    public void taskDone(long taskId, int workerId) {
        heard(Kind.DONE, taskId, -1, null);
    }

    @Override
    public void taskFailed(long taskId, TaskFailedException failure) {
        heard(Kind.FAILED, taskId, -1, null);
    }

    @Override
    public void taskFromJournal(long taskId, int contextId) {
        heard(Kind.FROM_JOURNAL, taskId, contextId, null);
    }

    @Override
    public void taskCancelled(long taskId) {
        heard(Kind.CANCELLED, taskId, -1, null);
    }

    @Override
    public void workerJoined(WorkerInfo worker) {
        heard(Kind.JOINED, worker.id(), -1, worker.state());
    }

    @Override
    public void workerLost(WorkerInfo worker) {
        heard(Kind.LOST, worker.id(), -1, worker.state());
    }

    @Override
    public void workerFailed(WorkerInfo worker) {
        heard(Kind.FAILED_TO_START, worker.id(), -1, worker.state());
    }

    @Override
    public void workerDraining(WorkerInfo worker) {
        heard(Kind.DRAINING, worker.id(), -1, worker.state());
    }

    @Override
    public void workerDrained(WorkerInfo worker) {
        heard(Kind.DRAINED, worker.id(), -1, worker.state());
    }

    @Override
    public String toString() {
        return name;
    }
}
