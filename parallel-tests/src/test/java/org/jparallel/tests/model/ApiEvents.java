package org.jparallel.tests.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;
import org.jparallel.tests.model.ApiHeard.Event;
import org.jparallel.tests.model.ApiHeard.Kind;
import org.jparallel.tests.model.ApiHeard.Life;

/**
 * The progress events' side of {@link ApiModel}: the {@link org.jparallel.ProgressListener}s its program registers
 * as a program would (through {@code ManagerBuilder.listener} or {@code addListener} at the manager's start, after
 * some actions, on a resumed run's new manager before it adds its keys again; a second one; one removed), and the
 * promises judged on what each heard ({@link ApiHeard} judges the order of its events). Every task that ends after
 * a listener's registration (added after it; without a journal, also pending once addListener returned) gets
 * exactly the end event that fits how its future ended: {@code taskDone} for a value ({@code taskFromJournal} for a
 * key added again whose result the journal held), {@code taskFailed}, {@code taskCancelled} for the program's
 * cancel, {@code taskFromJournal} for a key an earlier run delivered, none for a task dropped by a close; a task
 * that ended before may have heard that one end or none, never another. Map's tasks have no ids the program sees:
 * for them, per context, the ends heard of tasks of unknown ids must cover the values and failures map delivered
 * of the tasks it drew after the registration, and be no more than it drew. After removeListener returned, no event
 * of a task added (or cancelled) after it. A worker connected throughout addListener is announced to it.
 *
 * <p>When: events are taken after every step; what is owed is decided once the events posted before can be known to
 * be delivered, through a barrier (a second listener registered; the first event it hears follows every event
 * posted before its registration, on the one progress thread) or the manager's close (which delivers the events
 * already posted). The clock orders the program's calls: a listener's registration, each task's add and cancel.
 */
final class ApiEvents {
    /** How long the barrier waits for its listener's first event: a connected worker is announced to it at once. */
    private static final long BARRIER_MILLIS = 3000;

    /** How a task ended, as its future says. */
    enum End { VALUE, FAILED, CANCELLED, FROM_JOURNAL, DROPPED }

    private final ApiJudge judge;
    private final boolean journaled;
    private long clock;
    private int numbered;
    /** The listeners of the current manager (the program's current run), removed ones too. */
    private final List<ApiHeard> listeners = new ArrayList<>();
    /** The tasks addTask added on the current manager, by id. */
    private final Map<Long, ApiTask> byId = new HashMap<>();
    /** The tasks map drew on the current manager: the program does not see their ids. */
    private final List<ApiTask> drawn = new ArrayList<>();
    /** How each task of {@link #byId} ended, once its future was seen done. */
    private final Map<ApiTask, End> ended = new HashMap<>();

    ApiEvents(ApiJudge judge, boolean journaled) {
        this.judge = judge;
        this.journaled = journaled;
    }

    /** @return the next tick of the clock that orders the program's calls */
    long now() {
        return ++clock;
    }

    /** addTask returned this task's future. */
    void added(ApiTask t) {
        byId.put(t.future.taskId(), t);
    }

    /** Map drew this task. */
    void drawn(ApiTask t) {
        drawn.add(t);
    }

    /** The program runs again on a new manager: the listeners and tasks of the one before are done with. */
    void newRun() {
        listeners.clear();
        byId.clear();
        drawn.clear();
        ended.clear();
    }

    /** @return the manager {@code b} builds, given a listener first ({@code ManagerBuilder.listener}) if asked */
    Manager build(org.jparallel.ManagerBuilder b, boolean listen) {
        ApiHeard l = listen ? new ApiHeard("listener " + ++numbered + " (ManagerBuilder.listener)") : null;
        if (l != null) {
            b.listener(l);
        }
        Manager m = b.build();
        if (l != null) {
            l.registeredAt = now();
            listeners.add(l);
            ApiReach.listener();
        }
        return m;
    }

    /**
     * Registers a listener through addListener. {@code queries}: asks the manager for its workers before and after,
     * to judge that those connected throughout are announced (not right after build: the queries would wait for the
     * loop, and so would hide a registration that does not).
     */
    void addListener(Manager m, List<ApiTask> tasks, String when, boolean queries) {
        ApiHeard l = new ApiHeard("listener " + ++numbered + " (" + when + ")");
        Set<Integer> before = queries ? connected(m) : Set.of();
        m.addListener(l);
        l.registeredAt = now();
        if (!journaled) { // with one, a task's end event comes before its future completes (after the journal's write)
            l.pendingAtRegistration = tasks.stream().filter(t -> t.future != null && !t.future.isDone())
                    .collect(Collectors.toSet());
        }
        if (queries) {
            before.retainAll(connected(m));
            l.connectedAtRegistration = before;
        }
        listeners.add(l);
        ApiReach.listener();
    }

    /** @return whether a listener of the current manager has not been removed */
    boolean anyLive() {
        return listeners.stream().anyMatch(l -> !l.removed());
    }

    /** @return how many listeners the current manager has now */
    long live() {
        return listeners.stream().filter(l -> !l.removed()).count();
    }

    /** Removes one of the listeners not removed yet ({@code pick} modulo their number). */
    void removeListener(Manager m, int pick) {
        List<ApiHeard> live = listeners.stream().filter(l -> !l.removed()).toList();
        if (!live.isEmpty()) {
            ApiHeard l = live.get(pick % live.size());
            m.removeListener(l);
            l.removedAt = now();
        }
    }

    /** The program adds a listener now ({@code when} says at which point, for failure messages). */
    void addListener(ApiModel m, String when) {
        if (!m.managerClosed) {
            m.blocking("addListener", () -> addListener(m.manager(), m.tasks, when, true));
        }
    }

    /**
     * The program removes one of its listeners ({@code pick}), then at once adds up to {@code again} keys of earlier
     * runs to its first open context: their taskFromJournal events, made on the program's thread, must not reach it.
     */
    void removeListener(ApiModel m, int pick, int again) {
        if (!m.managerClosed) {
            removeListener(m.manager(), pick);
            if (again > 0 && m.journal != null && m.journal.run > 1) {
                m.contexts.stream().filter(c -> !c.closed).findFirst().ifPresent(c -> m.addAgain(c, again));
            }
        }
    }

    private static Set<Integer> connected(Manager m) {
        return m.workers().stream().filter(w -> w.state() == WorkerInfo.State.CONNECTED).map(WorkerInfo::id)
                .collect(Collectors.toCollection(HashSet::new));
    }

    // ---- judging --------------------------------------------------------------------------------------------

    /**
     * After a step: judges the events heard so far; when some end is owed, waits for the events posted before (the
     * barrier), then judges what is still owed. Not on a closed manager: {@link #closed} judged all.
     */
    void check(Manager m, boolean managerClosed) {
        long start = System.nanoTime();
        take();
        if (!managerClosed && !listeners.isEmpty()) {
            refreshEnds();
            if (!owed().isEmpty() && barrier(m)) {
                ApiReach.barrier();
                take();
                owed().forEach(judge::violation);
            }
        }
        ApiReach.eventsNanos(System.nanoTime() - start);
    }

    /** The manager was closed: every event posted was delivered; judges everything owed. */
    void closed() {
        long start = System.nanoTime();
        take();
        refreshEnds();
        owed().forEach(judge::violation);
        ApiReach.eventsNanos(System.nanoTime() - start);
    }

    private void take() {
        for (ApiHeard l : listeners) {
            List<Event> taken = l.take(judge::violation);
            ApiReach.events(taken.size());
            for (Event e : taken) {
                if (e.kind().ordinal() < Kind.JOINED.ordinal()) {
                    fits(l, e);
                }
            }
        }
    }

    /** Judges a task's event against what the program did to the task. */
    private void fits(ApiHeard l, Event e) {
        ApiTask t = byId.get(e.id());
        String broken;
        if (t == null) { // a task map drew, whose id the program does not see
            broken = e.kind() == Kind.CANCELLED || e.kind() == Kind.FROM_JOURNAL
                    ? "of a task map added (never cancelled, its key new)" : null;
        } else {
            broken = switch (e.kind()) {
                case QUEUED -> e.context() != t.context.context.id() ? "naming context " + e.context() + ", not "
                        + t.context.context.id() : null;
                case FROM_JOURNAL -> !t.again ? "though no earlier run added its key" : null;
                case CANCELLED -> !t.cancelled ? "though the program's cancel did not cancel it" : null;
                case DONE -> !t.kind.returns() ? "though it cannot return a value" : null;
                default -> null;
            };
            if (broken == null && l.removed() && (t.addedAt > l.removedAt
                    || e.kind() == Kind.CANCELLED && t.cancelledAt > l.removedAt)) {
                broken = "though removeListener had returned before the task was "
                        + (t.addedAt > l.removedAt ? "added" : "cancelled");
            }
        }
        if (broken != null) {
            judge.violation(l + " heard " + e + (t == null ? "" : " (" + t + ")") + " " + broken);
        }
    }

    /** Notes how the tasks ended that the program sees ended now, before the barrier. */
    private void refreshEnds() {
        for (ApiTask t : byId.values()) {
            if (!ended.containsKey(t)) {
                End e = endOf(t);
                if (e != null) {
                    ended.put(t, e);
                }
            }
        }
    }

    /** @return what the listeners are owed: ends of tasks, map's ends, workers announced (and settles the rest) */
    private List<String> owed() {
        List<String> owed = new ArrayList<>();
        for (ApiHeard l : listeners) {
            for (Map.Entry<ApiTask, End> e : ended.entrySet()) {
                ApiTask t = e.getKey();
                long id = t.future.taskId();
                if (l.settled.contains(id)) {
                    continue;
                }
                Life life = l.tasks.get(id);
                Kind heard = life == null ? null : life.end;
                boolean covered = !l.removed() && (t.addedAt > l.registeredAt || l.pendingAtRegistration.contains(t));
                if (heard != null) {
                    l.settled.add(id);
                    ApiReach.endJudged();
                    if (!fits(e.getValue(), heard, t)) {
                        judge.violation(l + " heard " + heard + " of " + t + ", whose future says " + e.getValue());
                    }
                } else if (covered && e.getValue() != End.DROPPED) {
                    owed.add(l + " heard no end of " + t + ", whose future says " + e.getValue() + " (heard: "
                            + (life == null ? "nothing" : life.queued + " taskQueued, " + life.started
                            + " taskStarted") + ")");
                }
            }
            if (!l.removed()) {
                owedOfMap(l, owed);
                for (int w : l.connectedAtRegistration) {
                    if (!l.workers.containsKey(w)) {
                        owed.add(l + " heard no workerJoined of worker " + w + ", connected when it was registered");
                    }
                }
            }
        }
        return owed;
    }

    private static boolean fits(End end, Kind heard, ApiTask t) {
        return switch (end) {
            case VALUE -> heard == Kind.DONE || t.again && heard == Kind.FROM_JOURNAL;
            case FAILED -> heard == Kind.FAILED;
            // or the dispatcher's end, when it ended the task before the cancel reached it (the cancel won only
            // against the future, which a journaled result completes after its write)
            case CANCELLED -> heard == Kind.CANCELLED || heard == Kind.DONE || heard == Kind.FAILED;
            case FROM_JOURNAL -> heard == Kind.FROM_JOURNAL;
            case DROPPED -> false; // a task dropped by a close has no end event
        };
    }

    /**
     * Map's tasks: per context, the ends heard of tasks of unknown ids must cover the values and the failures map
     * delivered of those it drew after the registration; and they are no more than the tasks map drew.
     */
    private void owedOfMap(ApiHeard l, List<String> owed) {
        Map<Integer, int[]> got = new HashMap<>(); // per context id: values, failures delivered
        for (ApiTask t : drawn) {
            if (t.addedAt > l.registeredAt && t.delivered > 0 && t.seen != null) {
                got.computeIfAbsent(t.context.context.id(), c -> new int[2])[t.seen.startsWith("value") ? 0 : 1]++;
            }
        }
        Map<Integer, int[]> heard = new HashMap<>();
        int ends = 0;
        for (Map.Entry<Long, Life> e : l.tasks.entrySet()) {
            Kind end = e.getValue().end;
            if (end != null && !byId.containsKey(e.getKey())) {
                ends++;
                heard.computeIfAbsent(e.getValue().context, c -> new int[2])[end == Kind.FAILED ? 1 : 0]++;
            }
        }
        if (ends > drawn.size()) {
            judge.violation(l + " heard " + ends + " ends of tasks of unknown ids, though map added only "
                    + drawn.size());
        }
        got.forEach((c, n) -> {
            int[] h = heard.getOrDefault(c, new int[2]);
            if (h[0] < n[0] || h[1] < n[1]) {
                owed.add(l + " heard " + h[0] + " taskDone and " + h[1] + " taskFailed of map's tasks in context " + c
                        + ", though map delivered " + n[0] + " values and " + n[1] + " failures of tasks it drew after"
                        + " the registration");
            }
        });
    }

    /** @return how the task's future says it ended, or {@code null} when it did not yet */
    private static End endOf(ApiTask t) {
        if (!t.future.isDone()) {
            return null;
        }
        try {
            t.future.get(0, TimeUnit.MILLISECONDS);
            return End.VALUE;
        } catch (ExecutionException e) {
            return End.FAILED;
        } catch (CancellationException e) {
            String m = String.valueOf(e.getMessage());
            return m.contains("it was cancelled") ? End.CANCELLED
                    : m.contains("delivered by an earlier run") ? End.FROM_JOURNAL : End.DROPPED;
        } catch (TimeoutException | RuntimeException e) {
            return null; // a result that cannot be read: the judge says so
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Waits until the events posted before now were delivered: registers a listener of its own, whose first event
     * (the announcement of a connected worker, or any later event) the one progress thread delivers after them.
     *
     * @return whether it knows they were (false: no worker connected, or the manager did not answer)
     */
    private boolean barrier(Manager m) {
        ApiHeard sentinel = new ApiHeard("the barrier's listener");
        try {
            if (m.workers().stream().noneMatch(w -> w.state() == WorkerInfo.State.CONNECTED)) {
                return false;
            }
            m.addListener(sentinel);
            return sentinel.awaitFirst(BARRIER_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException e) {
            return false;
        } finally {
            m.removeListener(sentinel);
        }
    }
}
