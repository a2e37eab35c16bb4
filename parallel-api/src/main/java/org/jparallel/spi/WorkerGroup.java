package org.jparallel.spi;

import java.util.List;

/**
 * One or more workers that one backend starts together: a local process, a Grid Engine job array,
 * a set of SSH hosts. User code passes one to {@link org.jparallel.Manager#addWorker}; a backend
 * makes one from configuration through {@link WorkerBackend#createGroup}.
 */
public interface WorkerGroup {

    /** @return how many workers this group starts */
    int size();

    /** @return the backend's name, e.g. {@code local} */
    String backendName();

    /**
     * @return true when the workers run on the manager's machine, so they may reach it on loopback
     */
    default boolean runsOnManagerHost() {
        return false;
    }

    /**
     * Whether this group's workers outlive a manager that dies (kill -9): they then seek it again for the death
     * timeout, and a manager restarted on the same journal and port takes them back, holding a group added in that
     * time until they return (see README, "Runs that survive the manager"). A backend whose workers end with the
     * manager (an SSH worker ends with its session) says false, so that such a restart starts its group at once
     * instead of waiting the death timeout for workers that cannot come.
     *
     * @return true when the workers may return to a restarted manager
     */
    default boolean workersOutliveTheManager() {
        return true;
    }

    /**
     * How many of this group's workers may be starting at once (launched, not yet connected). Workers
     * that share the manager's cores start faster one wave after another than all at once: four fresh
     * JVMs on two cores each take about twice as long to their first result as two would, so the first
     * result comes later and no worker is ready sooner. When the limit is below the group's size, the
     * manager starts the first wave (up to the limit) in one call of {@link #start}, then the others one
     * call per worker as a starting one connects, fails, or has had {@code START_WAVE_MILLIS} (the
     * manager's) to connect. The limit counts this group's workers only.
     *
     * @return the most workers starting at once, or 0 for no limit (all start together)
     */
    default int startsAtOnce() {
        return 0;
    }

    /**
     * @return true when {@link #start} may be called again with ids beyond the first {@link #size()},
     *     to grow the group after it started (automatic allocation); each call then starts exactly
     *     the ids it is given, e.g. as one more array job
     */
    default boolean canGrow() {
        return false;
    }

    /**
     * How many workers of this group can run at once at most, when the backend has a fixed room for
     * them (an SSH group's host slots). Automatic allocation refuses a {@code max} above it, and
     * never asks a group to grow beyond it.
     *
     * @return the most workers at once, or {@link Integer#MAX_VALUE} for no limit of the backend's own
     */
    default int maxSize() {
        return Integer.MAX_VALUE;
    }

    /**
     * The time limit of each worker's allocation, when the backend sets one (a batch job's walltime:
     * Slurm's {@code --time}, Grid Engine's {@code h_rt}). The core tells each worker the shorter of it
     * and the configured {@code jparallel.worker.lifetime} ({@link LaunchSpec#lifetime()}), and drains
     * the worker before it ends.
     *
     * @return the walltime counted from a worker's start, or {@code null} for none
     */
    default java.time.Duration walltime() {
        return null;
    }

    /**
     * How many tasks each worker of the group runs at once (its task slots), as the group starts them
     * ({@code --slots}, see {@link LaunchSpec#slots()}): the core refuses at once a task that asks for
     * more cpus than any group's workers have.
     *
     * @return a number, {@code auto} when each worker counts its own cores, or {@code null} for 1
     */
    default String slots() {
        return null;
    }

    /**
     * Called once by each manager this group was added to, as it closes, beside the stop of the group's workers (on
     * a thread of its own; the close waits for it as for them, 15 s at most): ends what the group runs besides its
     * workers. The local backend lets a class data sharing training end here. Must not throw. Default: nothing.
     */
    default void managerClosing() {
    }

    /**
     * Starts workers, on a thread of the core's (not the caller's of addWorker). Called first for
     * the whole group, and again with a single id whenever the core replaces a lost worker of this
     * group, so start exactly the ids in {@code spec}.
     *
     * @param spec how to start each worker: command, secret, addresses, ids, output files
     * @return one handle per id in {@link LaunchSpec#workerIds()}, in that order; a worker that
     *     could not start is a handle whose status is {@link WorkerStatus.Phase#FAILED}
     * @throws Exception when none of the workers could be started; the message says why
     */
    List<WorkerHandle> start(LaunchSpec spec) throws Exception;
}
