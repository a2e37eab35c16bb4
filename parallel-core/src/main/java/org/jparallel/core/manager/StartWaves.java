package org.jparallel.core.manager;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerGroup;

/**
 * Starts the workers of a group that limits how many may be starting at once ({@link WorkerGroup#startsAtOnce()},
 * local workers: the machine's cores) a wave at a time. Fresh JVMs sharing the manager's cores are CPU-bound
 * until their first result: four on two cores each take about twice as long as two would, so starting them all
 * at once delays the first result and readies no worker sooner. A worker holds its place in the wave until it
 * connects, fails to start, is stopped, or has had {@link #START_WAVE_MILLIS} to connect from the moment its
 * backend's start returned (its process or job exists: {@link #started}; a slow one does not hold the others back
 * longer than that, and a backend that takes long to spawn it does not eat into its time). Several workers of a group that may start together go to the
 * backend in one call, as when there is no limit.
 */
final class StartWaves {
    /** How long a starting worker keeps its place in the wave before the next one starts anyway. */
    static final long START_WAVE_MILLIS = 1_000;

    /** Starts workers with their group's backend (on a launcher thread). */
    interface Starter {
        void start(WorkerGroup group, LaunchSpec spec);
    }

    /** Runs a task later. */
    interface Timer {
        void after(long millis, Runnable task);
    }

    /** One group's workers waiting for their wave, and those of its workers starting now. */
    private static final class Queue {
        final ArrayDeque<LaunchSpec> waiting = new ArrayDeque<>(); // one worker each
        int starting;
    }

    private final Starter starter;
    private final long waveMillis;
    private final Timer timer;
    private final Map<WorkerGroup, Queue> queues = new IdentityHashMap<>(); // guarded by this
    private final Map<Integer, WorkerGroup> starting = new HashMap<>(); // guarded by this
    private boolean closed; // guarded by this

    StartWaves(Starter starter, Timer timer) {
        this(starter, START_WAVE_MILLIS, timer);
    }

    /** @param waveMillis how long a starting worker keeps its place ({@link #START_WAVE_MILLIS} but in tests) */
    StartWaves(Starter starter, long waveMillis, Timer timer) {
        this.starter = starter;
        this.waveMillis = waveMillis;
        this.timer = timer;
    }

    /**
     * Starts {@code spec}'s workers: at once when their group sets no limit, else as many as the limit leaves
     * room for, the rest as earlier ones connect or fail.
     */
    void launch(WorkerGroup group, LaunchSpec spec) {
        if (group.startsAtOnce() <= 0) {
            starter.start(group, spec);
            return;
        }
        synchronized (this) {
            Queue q = queues.computeIfAbsent(group, g -> new Queue());
            for (int id : spec.workerIds()) {
                q.waiting.add(spec.withWorkerIds(List.of(id)));
            }
        }
        startWaiting(group);
    }

    /** A worker connected, failed to start or was stopped: it no longer holds a place in its wave. */
    void ended(int workerId) {
        WorkerGroup group;
        synchronized (this) {
            group = starting.remove(workerId);
            if (group == null) {
                return;
            }
            queues.get(group).starting--;
        }
        startWaiting(group);
    }

    /**
     * A worker's start returned: its process or job exists, and its time in the wave ({@link #START_WAVE_MILLIS})
     * runs from now. Does nothing for a worker that holds no place (its group sets no limit, or it has ended).
     */
    void started(int workerId) {
        synchronized (this) {
            if (!starting.containsKey(workerId)) {
                return;
            }
        }
        timer.after(waveMillis, () -> ended(workerId));
    }

    /** @return how many workers wait for a place in their wave */
    synchronized int waiting() {
        return queues.values().stream().mapToInt(q -> q.waiting.size()).sum();
    }

    /** Drops the waiting workers: the manager is closing. */
    synchronized void close() {
        closed = true;
        queues.clear();
        starting.clear();
    }

    private void startWaiting(WorkerGroup group) {
        List<Integer> ids = new ArrayList<>();
        LaunchSpec first = null;
        synchronized (this) {
            Queue q = queues.get(group);
            if (closed || q == null) {
                return;
            }
            while (q.starting < group.startsAtOnce() && !q.waiting.isEmpty()) {
                LaunchSpec s = q.waiting.poll();
                first = first == null ? s : first;
                int id = s.workerIds().get(0);
                ids.add(id);
                starting.put(id, group);
                q.starting++;
            }
        }
        if (first == null) {
            return;
        }
        starter.start(group, ids.size() == 1 ? first : first.withWorkerIds(ids));
    }
}
