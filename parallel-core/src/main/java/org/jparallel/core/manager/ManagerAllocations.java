package org.jparallel.core.manager;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.jparallel.Allocation;
import org.jparallel.AllocationDecision;
import org.jparallel.ManagerSettings;
import org.jparallel.core.alloc.Allocator;
import org.jparallel.core.dispatch.Dispatcher;
import org.jparallel.core.dispatch.DispatcherStats;
import org.jparallel.spi.WorkerGroup;

/**
 * Connects the {@link Allocator} to the manager: ticks it on the manager's loop every {@link #TICK_MILLIS},
 * from the dispatcher's view of workers and waiting tasks, starts workers through the manager and
 * releases idle ones through the dispatcher and the launcher (told to exit, then stopped). It keeps the
 * groups that allocate, so the manager does not replace their lost or draining workers itself. It gives
 * the allocator each group's drain margin, so that workers ending soon are replaced ahead ({@link
 * Allocator#add(Object, String, Allocation, Duration)}), and the tasks waiting for a longer-lived worker,
 * so that fresh workers are started for them.
 */
final class ManagerAllocations implements Allocator.Actions {
    /** How often the allocator looks at the groups. */
    static final long TICK_MILLIS = 500;

    private final EventLoop loop;
    private final Dispatcher dispatcher;
    private final WorkerLauncher launcher;
    private final BiFunction<WorkerGroup, Integer, List<Integer>> startWorkers;
    private final Runnable onRelease;
    private final Runnable onStopped;
    private final ManagerSettings settings;
    private final Allocator allocator;
    private final Map<WorkerGroup, String> groups = new ConcurrentHashMap<>();
    private volatile List<AllocationDecision> decisions = List.of();
    private volatile boolean stopped;
    private volatile boolean allocatorAllocating = true;
    private ScheduledFuture<?> ticks;

    /**
     * @param startWorkers starts n more workers of a group and answers their ids (on the loop)
     * @param onRelease told of each worker released (on the loop)
     * @param onStopped told when no group allocates any more, so waiting readers look again (on the loop)
     */
    ManagerAllocations(EventLoop loop, Dispatcher dispatcher, WorkerLauncher launcher,
                       BiFunction<WorkerGroup, Integer, List<Integer>> startWorkers, Runnable onRelease,
                       Runnable onStopped, ManagerSettings settings) {
        this.settings = settings;
        this.loop = loop;
        this.dispatcher = dispatcher;
        this.launcher = launcher;
        this.startWorkers = startWorkers;
        this.onRelease = onRelease;
        this.onStopped = onStopped;
        this.allocator = new Allocator(System::nanoTime, Instant::now, this);
    }

    /** Adds an allocating group; its first workers are decided on the next tick. */
    void add(WorkerGroup group, String name, Allocation allocation) {
        if (!group.canGrow()) {
            throw new IllegalArgumentException("the " + group.backendName() + " worker group '" + name
                    + "' cannot start more workers after it started, so it cannot allocate automatically");
        }
        if (allocation.max() > group.maxSize()) {
            throw new IllegalArgumentException(tooBig(group, name, allocation.max()));
        }
        if (groups.putIfAbsent(group, name) != null) {
            throw new IllegalArgumentException("worker group '" + name + "' was added already");
        }
        loop.execute(() -> {
            allocator.add(group, name, allocation, drainMargin(settings, group.walltime()),
                    lifetime(settings, group.walltime()));
            if (ticks == null && !stopped) {
                ticks = loop.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
            }
        });
    }

    /**
     * @param max the allocation's max, above the group's {@link WorkerGroup#maxSize()}
     * @return why the group cannot allocate up to {@code max}, naming both numbers and what to do
     */
    static String tooBig(WorkerGroup group, String name, int max) {
        return "the " + group.backendName() + " worker group '" + name + "' runs at most " + group.maxSize()
                + " worker(s) at once (for ssh: the sum of its hosts' slots), but its automatic allocation's max is "
                + max + ": lower the max to " + group.maxSize() + ", or give the group more room (more hosts or slots)";
    }

    /**
     * @param walltime the group's walltime, or {@code null}
     * @return the drain margin of the group's workers' lifetime (the shorter of the walltime and the
     *     configured lifetime), or {@code null} when they have none
     */
    static Duration drainMargin(ManagerSettings settings, Duration walltime) {
        Duration life = lifetime(settings, walltime);
        return life == null ? null : settings.drainMarginOf(life);
    }

    /** @return the group's workers' lifetime: the shorter of the walltime and the configured lifetime, or {@code null} */
    static Duration lifetime(ManagerSettings settings, Duration walltime) {
        Duration life = settings.workerLifetime();
        if (walltime != null && (life == null || walltime.compareTo(life) < 0)) {
            life = walltime;
        }
        return life;
    }

    /** @return whether the workers of {@code group} are the allocator's to replace */
    boolean owns(WorkerGroup group) {
        return group != null && groups.containsKey(group);
    }

    /** @return whether some group may still start workers */
    boolean allocating() {
        return !groups.isEmpty() && !stopped && allocatorAllocating;
    }

    /** @return the last decisions, oldest first */
    List<AllocationDecision> decisions() {
        return decisions;
    }

    private void tick() {
        if (stopped) {
            return;
        }
        DispatcherStats s = dispatcher.stats();
        allocator.tick(s.workers(), s::holding, s.waiting(), s.waitingForLongerLife());
        decisions = allocator.decisions();
        if (allocatorAllocating && !allocator.allocating()) {
            allocatorAllocating = false;
            onStopped.run();
        }
    }

    @Override
    public List<Integer> submit(Object group, int n) {
        return startWorkers.apply((WorkerGroup) group, n);
    }

    @Override
    public boolean release(int workerId, String reason) {
        boolean released = dispatcher.release(workerId, reason, launcher::retire);
        if (released) {
            onRelease.run();
        }
        return released;
    }

    /** The manager is closing: no more ticks (on the loop or not). */
    void close() {
        stopped = true;
        if (loop.inEventLoop()) {
            cancelTicks();
        } else if (!loop.isShuttingDown()) {
            loop.execute(this::cancelTicks);
        }
    }

    private void cancelTicks() {
        if (ticks != null) {
            ticks.cancel(false);
        }
    }
}
