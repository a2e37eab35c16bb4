package org.jparallel.core.alloc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jparallel.Allocation;
import org.jparallel.AllocationDecision;
import org.jparallel.WorkerInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs automatic allocation for the manager's allocating groups: on each {@link #tick} it builds every
 * group's {@link GroupSnapshot} from the workers' states, asks the {@link AllocationPolicy}, carries
 * out what it decides through {@link Actions}, logs each decision with its reason and keeps the last
 * {@link #KEPT}. It knows workers by id only; it never picks which worker runs which task. Used on the
 * manager's event loop only.
 */
public final class Allocator {
    private static final Logger LOG = LoggerFactory.getLogger(Allocator.class);
    /** How many decisions are kept for {@link #decisions()}. */
    public static final int KEPT = 100;
    /** How many of a group's last start latencies the lead for workers ending soon is taken from. */
    static final int LATENCIES_KEPT = 4;

    /** What the allocator may do to the manager. */
    public interface Actions {
        /**
         * Starts {@code n} more workers of a group.
         *
         * @return the new workers' ids
         */
        List<Integer> submit(Object group, int n);

        /**
         * Releases an idle worker cleanly (told to exit, then its process or job stopped); it is not lost.
         *
         * @return false when it was no longer idle and connected (nothing was done)
         */
        boolean release(int workerId, String reason);
    }

    private final Map<Object, Group> groups = new LinkedHashMap<>();
    private final LongSupplier nanos;
    private final Supplier<Instant> wallClock;
    private final Actions actions;
    private final ArrayDeque<AllocationDecision> kept = new ArrayDeque<>();

    /**
     * @param nanos the clock the policy measures intervals and idle time with
     * @param wallClock the time stamped on decisions
     * @param actions what carries decisions out
     */
    public Allocator(LongSupplier nanos, Supplier<Instant> wallClock, Actions actions) {
        this.nanos = nanos;
        this.wallClock = wallClock;
        this.actions = actions;
    }

    /** One allocating group and its history. */
    private static final class Group {
        final String name;
        final Allocation config;
        final Duration drainMargin;
        /** Each worker's lifetime, or {@code null} when unknown or without a set end. */
        final Duration lifetime;
        final Map<Integer, Long> submittedAt = new HashMap<>();
        final ArrayDeque<Long> startLatencies = new ArrayDeque<>();
        final Map<Integer, Long> idleSince = new HashMap<>();
        final Map<Integer, Long> completed = new HashMap<>();
        final List<Integer> ids = new ArrayList<>();
        long lastSubmit = GroupSnapshot.NEVER;
        long lastRelease = GroupSnapshot.NEVER;
        int failedInARow;
        boolean everConnected;
        boolean stopped;

        Group(String name, Allocation config, Duration drainMargin, Duration lifetime) {
            this.name = name;
            this.config = config;
            this.drainMargin = drainMargin;
            this.lifetime = lifetime;
        }

        /** @return the longest of the recent starts (submission to connection), 0 before the first */
        long slowestStart() {
            return startLatencies.stream().mapToLong(Long::longValue).max().orElse(0);
        }

        /**
         * @return whether a worker submitted at {@code since} and not connected yet will end soon after it
         *     connects: predicted to connect after the slowest recent start (or now, when it is slower still),
         *     its end of life then within the lead of now, as for a connected worker
         */
        boolean pendingEndsSoon(long since, long now, Duration lead) {
            if (lifetime == null || lead == null) {
                return false;
            }
            long connects = Math.max(since + slowestStart(), now);
            return connects + lifetime.toNanos() - now < lead.toNanos();
        }

        /** A worker submitted at {@code since} connected at {@code now}: keeps the last start latencies. */
        void started(long since, long now) {
            if (startLatencies.size() == LATENCIES_KEPT) {
                startLatencies.removeFirst();
            }
            startLatencies.addLast(now - since);
        }

        /**
         * @return how long before its end of life a worker counts as ending soon: twice its drain margin
         *     plus the longest recent start (submission to connection), so that its replacement, started
         *     as slowly as the slowest recent one, connects a margin before its drain begins; {@code null}
         *     when workers have no set end
         */
        Duration endingSoonLead() {
            if (drainMargin == null) {
                return null;
            }
            return drainMargin.multipliedBy(2).plusNanos(slowestStart());
        }
    }

    /**
     * Adds a group; its first tick starts {@code min} workers.
     *
     * @param key what {@link Actions#submit} is given for it
     * @param name its name in decisions
     * @param config its limits
     */
    public void add(Object key, String name, Allocation config) {
        add(key, name, config, null);
    }

    /**
     * Adds a group; its first tick starts {@code min} workers. A worker of it counts as ending soon once
     * it drains, or once its end of life is within twice its drain margin plus the group's longest
     * recent start (from submission to connection, of the last {@value #LATENCIES_KEPT}): a busy one's
     * replacement is then submitted early enough to connect before it drains, however slow the queue.
     *
     * @param drainMargin how long before its end of life a worker of the group drains, or {@code null}
     *     when its workers have no set end (they end soon only once they drain)
     */
    public void add(Object key, String name, Allocation config, Duration drainMargin) {
        add(key, name, config, drainMargin, null);
    }

    /**
     * Adds a group whose workers' lifetime is known before they connect: a pending worker that the
     * group's recent starts predict to connect with less than the lead left is replaced before it
     * connects (a queue nearly as slow as the lifetime: waiting for it to connect would be too late).
     *
     * @param lifetime each worker's lifetime from its start, or {@code null}
     */
    public void add(Object key, String name, Allocation config, Duration drainMargin, Duration lifetime) {
        groups.put(key, new Group(name, config, drainMargin, lifetime));
    }

    /**
     * @param lead how long before its end of life it counts as ending soon, or {@code null}: only once it drains
     * @return whether a worker will stop taking tasks soon: it drains, or its end of life is within
     *     {@code lead} of {@code now}
     */
    static boolean endingSoon(WorkerInfo w, Instant now, Duration lead) {
        return w.draining() || lead != null && w.endOfLife() != null && !now.plus(lead).isBefore(w.endOfLife());
    }

    /** @return whether a group may still start workers (readers of results should go on waiting) */
    public boolean allocating() {
        return groups.values().stream().anyMatch(g -> !g.stopped);
    }

    /** @return the last decisions, oldest first */
    public List<AllocationDecision> decisions() {
        return List.copyOf(kept);
    }

    /**
     * Looks at every group and acts.
     *
     * @param workers every worker of the manager (the groups pick theirs by id)
     * @param holding how many tasks a connected worker holds
     * @param tasksWaiting tasks waiting for a worker
     */
    public void tick(List<WorkerInfo> workers, IntUnaryOperator holding, long tasksWaiting) {
        tick(workers, holding, id -> false, tasksWaiting, 0);
    }

    /**
     * Looks at every group and acts; workers that drain or whose end of life is within their group's
     * lead count as ending soon, and are replaced before they go when busy.
     *
     * @param workers every worker of the manager (the groups pick theirs by id)
     * @param holding how many tasks a connected worker holds
     * @param tasksWaiting tasks waiting for a worker, those below included
     * @param tasksWaitingForLongerLife tasks waiting for a worker that lives long enough to finish them
     */
    public void tick(List<WorkerInfo> workers, IntUnaryOperator holding, long tasksWaiting,
                     long tasksWaitingForLongerLife) {
        tick(workers, holding, id -> false, tasksWaiting, tasksWaitingForLongerLife);
    }

    /**
     * Looks at every group and acts, replacing busy workers that end soon before they go.
     *
     * @param workers every worker of the manager (the groups pick theirs by id)
     * @param holding how many tasks a connected worker holds
     * @param endingSoon whether a connected worker will stop taking tasks soon besides those that drain
     *     or end within their group's lead
     * @param tasksWaiting tasks waiting for a worker
     */
    public void tick(List<WorkerInfo> workers, IntUnaryOperator holding, IntPredicate endingSoon, long tasksWaiting) {
        tick(workers, holding, endingSoon, tasksWaiting, 0);
    }

    private void tick(List<WorkerInfo> workers, IntUnaryOperator holding, IntPredicate endingSoon, long tasksWaiting,
                      long tasksWaitingForLongerLife) {
        long now = nanos.getAsLong();
        Instant wallNow = wallClock.get();
        Map<Integer, WorkerInfo> byId = new HashMap<>();
        for (WorkerInfo w : workers) {
            byId.put(w.id(), w);
        }
        long backlog = tasksWaiting;
        long longer = Math.min(tasksWaitingForLongerLife, tasksWaiting);
        for (Map.Entry<Object, Group> e : groups.entrySet()) {
            Group g = e.getValue();
            if (g.stopped) {
                continue;
            }
            GroupSnapshot s = snapshot(g, now, byId, holding, endingSoon, wallNow, backlog, longer);
            long coming = s.pending();
            for (Decision d : AllocationPolicy.decide(g.config, s)) {
                apply(e.getKey(), g, d, now);
                coming += d.kind() == AllocationDecision.Kind.SUBMIT ? d.workers() : 0;
            }
            backlog = Math.max(0, backlog - coming); // what the next group is asked to serve
            longer = Math.max(0, Math.min(backlog, longer - coming));
        }
    }

    private GroupSnapshot snapshot(Group g, long now, Map<Integer, WorkerInfo> byId, IntUnaryOperator holding,
                                   IntPredicate endingSoon, Instant wallNow, long backlog, long longer) {
        for (int id : g.ids) { // the latencies first, so that the lead is the same for every worker of this look
            WorkerInfo w = byId.get(id);
            Long since = w != null && w.state() != WorkerInfo.State.STARTING ? g.submittedAt.remove(id) : null;
            if (since != null && w.state() == WorkerInfo.State.CONNECTED) {
                g.started(since, now);
            }
        }
        Duration lead = g.endingSoonLead();
        List<GroupSnapshot.Worker> connected = new ArrayList<>();
        int pending = 0;
        int pendingEnding = 0;
        for (var it = g.ids.iterator(); it.hasNext(); ) {
            int id = it.next();
            WorkerInfo w = byId.get(id);
            if (w == null || w.state() == WorkerInfo.State.STARTING) {
                pending++;
                Long since = g.submittedAt.get(id);
                if (since != null && g.pendingEndsSoon(since, now, lead)) {
                    pendingEnding++;
                }
                continue;
            }
            if (w.state() == WorkerInfo.State.CONNECTED) {
                if (!g.everConnected || g.failedInARow > 0) {
                    g.everConnected = true;
                    g.failedInARow = 0;
                }
                boolean busy = holding.applyAsInt(id) > 0;
                Long before = g.completed.put(id, w.tasksCompleted());
                if (busy) {
                    g.idleSince.remove(id);
                } else if (!g.idleSince.containsKey(id) || before == null || before != w.tasksCompleted()) {
                    g.idleSince.put(id, now); // it became idle, or ran something since the last look
                }
                connected.add(new GroupSnapshot.Worker(id, busy, g.idleSince.getOrDefault(id, now),
                        endingSoon.test(id) || endingSoon(w, wallNow, lead)));
                continue;
            }
            if (w.state() == WorkerInfo.State.FAILED) {
                g.failedInARow++;
            }
            it.remove();
            g.submittedAt.remove(id);
            g.idleSince.remove(id);
            g.completed.remove(id);
        }
        return new GroupSnapshot(now, backlog, longer, connected, pending, g.lastSubmit, g.lastRelease, g.failedInARow,
                g.everConnected, pendingEnding);
    }

    private void apply(Object key, Group g, Decision d, long now) {
        switch (d.kind()) {
            case SUBMIT -> {
                record(g, d);
                List<Integer> ids = actions.submit(key, d.workers());
                g.ids.addAll(ids);
                ids.forEach(id -> g.submittedAt.put(id, now));
                g.lastSubmit = now;
            }
            case RELEASE -> {
                if (actions.release(d.workerId(), "released by automatic allocation: " + d.reason())) {
                    record(g, d);
                    g.lastRelease = now;
                    g.ids.remove(Integer.valueOf(d.workerId()));
                    g.idleSince.remove(d.workerId());
                    g.completed.remove(d.workerId());
                }
            }
            case STOP -> {
                record(g, d);
                g.stopped = true;
            }
        }
    }

    private void record(Group g, Decision d) {
        AllocationDecision a = new AllocationDecision(wallClock.get(), g.name, d.kind(), d.workers(), d.workerId(),
                d.reason());
        LOG.info("allocation: {}", a);
        if (kept.size() == KEPT) {
            kept.removeFirst();
        }
        kept.addLast(a);
    }
}
