package org.jparallel.core.manager;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ObjIntConsumer;
import org.jparallel.spi.WorkerGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grace period of a manager restarted on a journal whose previous run died: for the workers' death timeout
 * from its start, the previous run's workers may come back (they return as workers started by hand), so worker
 * groups added in that time are not started at once. Each such group waits until the grace period ends, or until
 * enough workers have returned to stand in for every waiting group; then only its shortfall is started (none when
 * as many workers returned as it asked for). This keeps cluster jobs from being submitted again while their
 * workers can still come back. Groups of automatic allocation are not held: their allocator sees the returned
 * workers.
 */
final class ReturningWorkers {
    private static final Logger LOG = LoggerFactory.getLogger(ReturningWorkers.class);

    private final long graceEndNanos;
    private final EventLoop loop;
    private final ObjIntConsumer<WorkerGroup> start;
    private final AvailableWorkers available;
    private final java.util.function.Consumer<WorkerGroup> cameBack;
    private final List<Held> held = new ArrayList<>();
    /** The returned workers still there, in the order they joined (until the grace period ends). */
    private final Set<Integer> returned = new LinkedHashSet<>();
    /** The returned workers that stood in for a group when it settled, and that group. */
    private final Map<Integer, WorkerGroup> standIns = new HashMap<>();
    private boolean over;

    private record Held(WorkerGroup group, int size) {
    }

    /**
     * @param workersMayReturn whether a previous run's workers may come back; without, there is no grace period
     * @param grace the workers' death timeout: how long they seek a vanished manager
     * @param start starts {@code n} workers of a group
     * @param cameBack told of each group for which returned workers stood in, as it settles (on the loop)
     */
    ReturningWorkers(boolean workersMayReturn, Duration grace, EventLoop loop, ObjIntConsumer<WorkerGroup> start,
                     AvailableWorkers available, java.util.function.Consumer<WorkerGroup> cameBack) {
        this.graceEndNanos = System.nanoTime() + grace.toNanos();
        this.loop = loop;
        this.start = start;
        this.available = available;
        this.cameBack = cameBack;
        this.over = !workersMayReturn;
        if (workersMayReturn) {
            LOG.info("the journal's previous run did not close normally: its workers may return within {} s "
                    + "(the worker death timeout); worker groups added until then start only what they lack", grace.toSeconds());
            loop.schedule(this::graceOver, grace.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Holds a group until the grace period ends, when there is one and the group's workers can return (an SSH
     * group's cannot: it starts at once).
     *
     * @return whether the group was held (otherwise the caller starts it now)
     */
    synchronized boolean hold(WorkerGroup group, int n) {
        if (over || System.nanoTime() - graceEndNanos >= 0 || !group.workersOutliveTheManager()) {
            return false;
        }
        held.add(new Held(group, n));
        available.starting(n); // readers wait for these workers, returned or started
        loop.execute(this::settleIfCovered);
        return true;
    }

    /**
     * A worker the manager did not start joined (on the loop): within the grace period, a returning one.
     *
     * @param workerId the id the dispatcher gave it
     */
    synchronized void joinedByHand(int workerId) {
        if (!over) {
            returned.add(workerId);
            settleIfCovered();
        }
    }

    /** A worker was lost or began draining (on the loop): a returned one no longer stands in for a held group. */
    synchronized void left(int workerId) {
        returned.remove(workerId);
    }

    /**
     * @return the group a returned worker stood in for when the grace period ended (its replacements are that
     *     group's), or {@code null} for any other worker
     */
    synchronized WorkerGroup standingInFor(int workerId) {
        return standIns.get(workerId);
    }

    private synchronized void settleIfCovered() {
        int wanted = held.stream().mapToInt(Held::size).sum();
        if (!over && !held.isEmpty() && returned.size() >= wanted) {
            settle("all " + wanted + " worker(s) asked for came back");
        }
    }

    private synchronized void graceOver() {
        if (!over) {
            settle("the grace period ended with " + returned.size() + " worker(s) back");
        }
    }

    private void settle(String why) {
        over = true;
        var back = returned.iterator();
        for (Held h : held) {
            int taken = 0;
            while (taken < h.size() && back.hasNext()) {
                standIns.put(back.next(), h.group());
                back.remove();
                taken++;
            }
            if (taken > 0) {
                cameBack.accept(h.group());
            }
            LOG.info("{}: group {} asked for {} worker(s); {} returned, starting {}", why, h.group().backendName(),
                    h.size(), taken, h.size() - taken);
            if (h.size() > taken) {
                start.accept(h.group(), h.size() - taken);
            }
            available.starting(-h.size()); // the returned workers counted themselves when they joined
        }
        held.clear();
        returned.clear();
    }
}
