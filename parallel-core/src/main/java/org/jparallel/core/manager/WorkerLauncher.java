package org.jparallel.core.manager;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.jparallel.core.dispatch.Dispatcher;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.OutputFiles;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops the manager's worker processes, so the manager only decides which workers to
 * start. A group's backend may block while it spawns JVMs, so it runs on a launcher thread; each
 * started worker is watched until it connects; and every worker ever started is stopped at close,
 * or by a shutdown hook if the JVM exits first. The dispatcher hears of each start on its event loop. A group
 * that limits how many of its workers may be starting at once is started in waves ({@link StartWaves}).
 */
final class WorkerLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerLauncher.class);

    /** How long a released worker has to exit by itself before its process or job is stopped. */
    static final long RETIRE_GRACE_MILLIS = 5_000;
    private static final long RETIRE_POLL_MILLIS = 100;

    private final EventLoop loop;
    private final Dispatcher dispatcher;
    private final BooleanSupplier managerClosed;
    private final ExecutorService launcher;
    private final WorkerWatcher watcher;
    private final StartWaves waves;
    private final ConcurrentLinkedQueue<WorkerHandle> handles = new ConcurrentLinkedQueue<>();
    /** Every group launched, each told once of the close ({@link WorkerGroup#managerClosing()}). */
    private final Set<WorkerGroup> groups = Collections.newSetFromMap(Collections.synchronizedMap(new IdentityHashMap<>()));
    private final Thread shutdownHook = new Thread(this::stopAllWorkers, "jparallel-shutdown");
    private final CloseSteps closing = new CloseSteps(5);
    /** How long the close waits for the launcher threads it interrupted. */
    private static final long LAUNCHERS_END_MS = 10_000;
    /** Told the id past a start's highest on its launcher thread, before its backend starts it (the ids' record). */
    private volatile IntConsumer beforeStart = next -> { };

    /**
     * @param startTimeout how long a started worker may take to connect
     * @param loop the dispatcher's event loop, where the dispatcher is told of each start
     * @param managerClosed whether the manager is closed (a worker started after that is stopped at once)
     */
    WorkerLauncher(Duration startTimeout, EventLoop loop, Dispatcher dispatcher, BooleanSupplier managerClosed) {
        this(startTimeout, (millis, task) -> {
            try {
                loop.schedule(task, millis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                // the manager is closing: no wave starts any more
            }
        }, loop, dispatcher, managerClosed);
    }

    /** @param waveTimer ends a starting worker's time in its wave ({@link StartWaves}); the loop's but in tests */
    WorkerLauncher(Duration startTimeout, StartWaves.Timer waveTimer, EventLoop loop, Dispatcher dispatcher,
            BooleanSupplier managerClosed) {
        this.loop = loop;
        this.dispatcher = dispatcher;
        this.managerClosed = managerClosed;
        this.launcher = Executors.newCachedThreadPool(new DefaultThreadFactory("jparallel-launcher", true));
        this.waves = new StartWaves((group, spec) -> {
            try {
                launcher.execute(() -> start(group, spec));
            } catch (RejectedExecutionException closed) {
                // the launcher is closed: no wave starts any more
            }
        }, waveTimer);
        this.watcher = new WorkerWatcher(startTimeout, (id, detail) -> {
            waves.ended(id);
            loop.execute(() -> dispatcher.workerFailedToStart(id, detail));
        });
    }

    /** Has the JVM stop every started worker when it exits before {@link #close()}. */
    void stopWorkersAtExit() {
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Undoes {@link #stopWorkersAtExit()}: the manager is closing and stops the workers itself. */
    void cancelStopAtExit() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyExiting) {
            LOG.debug("JVM is exiting; the shutdown hook stops the workers");
        }
    }

    /**
     * @param hook told, on the launcher thread and before each start reaches its backend, the id past the start's
     *     highest (a file written there keeps the manager's loop free of the write)
     */
    void beforeEachStart(IntConsumer hook) {
        this.beforeStart = hook;
    }

    /** Starts the workers of {@code spec} with {@code workers}' backend on a launcher thread. */
    void launch(WorkerGroup workers, LaunchSpec spec) {
        groups.add(workers);
        waves.launch(workers, spec);
    }

    private void start(WorkerGroup workers, LaunchSpec spec) {
        // every backend's workers write to spec.outputFile (a process cannot be started into a missing directory)
        for (int id : spec.workerIds()) {
            String noDirectory = OutputFiles.makeDirectoryOf(spec.outputFile(id));
            if (noDirectory != null) {
                String reason = noDirectory + " (set the output pattern: outputPattern(...) or jparallel.worker.output)";
                LOG.warn("{} worker(s) not started: {}", spec.workerIds().size(), reason);
                for (int failed : spec.workerIds()) {
                    waves.ended(failed);
                    loop.execute(() -> dispatcher.workerFailedToStart(failed, reason));
                }
                return;
            }
        }
        List<WorkerHandle> started;
        try {
            beforeStart.accept(spec.workerIds().stream().mapToInt(Integer::intValue).max().orElse(0) + 1);
            started = workers.start(spec);
        } catch (Throwable e) {
            LOG.warn("{} backend could not start {} worker(s)", workers.backendName(), spec.workerIds().size(), e);
            for (int id : spec.workerIds()) {
                waves.ended(id);
                loop.execute(() -> dispatcher.workerFailedToStart(id, "its " + workers.backendName()
                        + " backend could not start it: " + e));
            }
            return;
        }
        for (WorkerHandle h : started) {
            handles.add(h);
            waves.started(h.workerId()); // its process or job exists: its time in the wave runs from now
            if (managerClosed.getAsBoolean()) {
                h.stop();
                continue;
            }
            watcher.watch(h);
            loop.execute(() -> dispatcher.handleAttached(h));
        }
        for (int id : spec.workerIds()) {
            if (started.stream().noneMatch(h -> h.workerId() == id)) {
                waves.ended(id);
                loop.execute(() -> dispatcher.workerFailedToStart(id, "its backend returned no handle for it"));
            }
        }
    }

    /** @return how many workers wait for their wave to start ({@link WorkerGroup#startsAtOnce()}) */
    int waitingToStart() {
        return waves.waiting();
    }

    /** A started worker connected: it no longer needs watching. */
    void connected(int workerId) {
        watcher.unwatch(workerId);
        waves.ended(workerId);
    }

    /** Stops one worker's process on a launcher thread (not once the launcher is closed). */
    void stop(WorkerHandle handle) {
        watcher.unwatch(handle.workerId());
        waves.ended(handle.workerId());
        if (!launcher.isShutdown()) {
            launcher.execute(handle::stop);
        }
    }

    /**
     * Stops a released worker's process or job on a launcher thread, once it has exited by itself
     * (it was told to shut down) or {@link #RETIRE_GRACE_MILLIS} have passed.
     */
    void retire(WorkerHandle handle) {
        if (launcher.isShutdown()) {
            return;
        }
        launcher.execute(() -> {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETIRE_GRACE_MILLIS);
            try {
                while (!handle.status().isTerminal() && System.nanoTime() < deadline) {
                    Thread.sleep(RETIRE_POLL_MILLIS); // a backend's status has no event to wait for
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.debug("could not read the status of {}: {}", handle.description(), e.toString());
            }
            handle.stop();
        });
    }

    /** Starts no more workers of a later wave: the manager is closing (called before it tells the workers). */
    void stopStarting() {
        waves.close();
    }

    /**
     * Stops watching, stops every worker started (waiting up to 15 s for them) and the launcher threads (waiting up
     * to 10 s for them), each whatever an earlier step threw ({@link CloseSteps}).
     */
    void close() {
        closing.run(waves::close, watcher::close, this::stopAllWorkers, launcher::shutdownNow, this::awaitLaunchers);
    }

    /**
     * Waits a few seconds for the launcher threads the close interrupted: a backend's start cut short still writes
     * its workers' reasons to their output files, and the close must not return before (nothing of the manager's
     * is written after it).
     */
    private void awaitLaunchers() {
        try {
            if (!launcher.awaitTermination(LAUNCHERS_END_MS, TimeUnit.MILLISECONDS)) {
                LOG.debug("a worker start still runs {} ms after the close interrupted it", LAUNCHERS_END_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopAllWorkers() {
        List<Thread> stoppers = new ArrayList<>();
        for (WorkerHandle h : handles) {
            stoppers.add(stopper(h::stop, "jparallel-stop-" + h.workerId()));
        }
        List<WorkerGroup> toldOnce;
        synchronized (groups) {
            toldOnce = new ArrayList<>(groups);
            groups.clear();
        }
        for (WorkerGroup g : toldOnce) {
            stoppers.add(stopper(() -> {
                try {
                    g.managerClosing();
                } catch (RuntimeException e) {
                    LOG.debug("the {} backend's close step failed: {}", g.backendName(), e.toString());
                }
            }, "jparallel-stop-" + g.backendName()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (Thread t : stoppers) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Thread stopper(Runnable step, String name) {
        Thread t = new Thread(step, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
