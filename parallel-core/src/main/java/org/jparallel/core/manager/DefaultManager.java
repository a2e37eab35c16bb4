package org.jparallel.core.manager;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jparallel.Allocation;
import org.jparallel.AllocationDecision;
import org.jparallel.Context;
import org.jparallel.JParallelException;
import org.jparallel.Manager;
import org.jparallel.ManagerSettings;
import org.jparallel.ManagerStats;
import org.jparallel.ProgressListener;
import org.jparallel.Setup;
import org.jparallel.WorkerInfo;
import org.jparallel.core.loop.EventLoops;
import org.jparallel.core.dispatch.Dispatcher;
import org.jparallel.core.dispatch.DispatcherStats;
import org.jparallel.core.dispatch.QueuedTask;
import org.jparallel.core.worker.startup.NettyDefaults;
import org.jparallel.core.protocol.FrameLimit;
import org.jparallel.core.journal.JournalLock;
import org.jparallel.core.journal.RunSecret;
import org.jparallel.core.journal.WorkerIdRecord;
import org.jparallel.core.serial.Payloads;
import org.jparallel.core.serial.SerialFilter;
import org.jparallel.core.status.StatusPageProvider;
import org.jparallel.core.status.StatusPages;
import org.jparallel.spi.WorkerGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager: owns the event loop that runs the {@link Dispatcher} and the listening socket, and
 * decides which workers to start; its {@link WorkerLauncher} starts them and stops every worker at
 * close or JVM exit. User threads never touch dispatcher state; they post to its loop.
 */
final class DefaultManager implements Manager {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultManager.class);

    static {
        // Netty's JFR events cost a fresh manager about 0.2 s to register; an explicit setting wins
        NettyDefaults.apply();
    }

    private final ManagerSettings settings;
    private final RunCredentials credentials;
    private final WorkerStarts starts;
    private final SerialFilter serialFilter;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Dispatcher dispatcher;
    private final ManagerCommands commands;
    private final ReaderWakeups readerWakeups;
    private final ManagerServer server;
    private final WorkerLauncher launcher;
    private final ManagerAllocations allocations;
    private final AvailableWorkers available = new AvailableWorkers();
    private final AtomicInteger nextContextId = new AtomicInteger(1);
    private final AtomicLong nextTaskId = new AtomicLong(1);
    private final AtomicLong tasksSubmitted = new AtomicLong();
    /** Context names and the result journal. */
    private final ContextRegistry registry;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The steps of {@link #close()}. */
    private final CloseSteps closing = new CloseSteps(13);
    private final Map<Integer, DefaultContext<?, ?>> contexts = new ConcurrentHashMap<>();
    private final ReturningWorkers returning;
    private final ProgressBus progress = new ProgressBus();
    private final ListenerRegistration listeners;
    private final StatusPageProvider.Running status;
    /** Set by {@link #close()}: the state as the manager ended. */
    private volatile FinalState finalState;

    DefaultManager(ManagerSettings settings) {
        this.settings = settings;
        this.serialFilter = SerialFilter.of(settings.serialFilter());
        WorkerReplacements replacements = new WorkerReplacements(settings.replaceLostWorkers(), settings.maxLostAttempts());
        // the journal's lock before its secret file is read or written: a journal in use is refused untouched
        JournalLock journalLock = settings.journal() == null ? null
                : JournalLock.acquire(settings.journal().file(), "a manager");
        try {
            this.credentials = new RunCredentials(settings); // before the journal: its secret file says if it is new
        } catch (RuntimeException e) {
            if (journalLock != null) {
                journalLock.close();
            }
            throw e;
        }
        this.registry = new ContextRegistry(settings.journal(), journalLock);
        this.group = EventLoops.nio(1, new DefaultThreadFactory("jparallel-manager", true));
        this.loop = group.next();
        this.starts = new WorkerStarts(settings, credentials, WorkerIdRecord.beside(settings.journal()),
                () -> listenAddress().getPort(), available);
        WorkerEvents events = new WorkerEvents(starts, replacements, available, contexts.values(), closed::get);
        this.dispatcher = new Dispatcher(settings, events, starts::newWorkerId,
                (task, delayMillis) -> loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS));
        dispatcher.progressTo(progress);
        this.commands = new ManagerCommands(loop, dispatcher);
        this.listeners = new ListenerRegistration(progress, commands, dispatcher, closed::get);
        this.readerWakeups = new ReaderWakeups(loop);
        registry.attach(loop, readerWakeups);
        this.launcher = new WorkerLauncher(settings.startTimeout(), loop, dispatcher, closed::get);
        starts.wire(commands, launcher);
        this.allocations = new ManagerAllocations(loop, dispatcher, launcher, this::startWorkers, available::released,
                () -> contexts.values().forEach(DefaultContext::wake), settings);
        // on a port of the moment (0), the previous run's workers cannot find this manager: no grace period
        this.returning = new ReturningWorkers(credentials.workersMayReturn() && settings.port() != 0,
                settings.workerDeathTimeout(), loop,
                this::startWorkers, available, replacements::cameBack);
        events.wire(launcher, allocations, returning);
        try {
            this.server = new ManagerServer(settings, credentials.secret(), credentials.serverContext(), group, dispatcher);
        } catch (RuntimeException e) {
            try {
                new CloseSteps(3).run(launcher::close, () -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS),
                        registry::close);
            } catch (RuntimeException | Error undone) {
                e.addSuppressed(undone);
            }
            throw e;
        }
        launcher.stopWorkersAtExit();
        if (credentials.fingerprint() != null) {
            LOG.info("manager listening on {} with TLS; certificate SHA-256 {}", server.address(), credentials.fingerprint());
        } else {
            LOG.info("manager listening on {}", server.address());
        }
        this.status = startStatus(settings);
    }

    /** Starts the status page when it is on; a page that cannot listen closes the manager. */
    private StatusPageProvider.Running startStatus(ManagerSettings s) {
        try {
            return s.statusPort() < 0 ? null : StatusPages.start(this, group, s.statusBind(), s.statusPort());
        } catch (RuntimeException e) {
            try {
                close();
            } catch (RuntimeException | Error undone) {
                e.addSuppressed(undone);
            }
            throw e;
        }
    }

    // ---- Manager --------------------------------------------------------------------------------

    @Override
    public void addWorker(WorkerGroup workers) {
        checkOpen();
        int n = workers.size();
        if (n < 1) {
            throw new IllegalArgumentException("a worker group must start at least one worker, got " + n);
        }
        if (!returning.hold(workers, n)) {
            startWorkers(workers, n);
        }
    }

    @Override
    public void addWorker(WorkerGroup workers, String name, Allocation allocation) {
        checkOpen();
        allocations.add(workers, name, allocation);
    }

    @Override
    public List<AllocationDecision> allocations() {
        return allocations.decisions();
    }

    private List<Integer> startWorkers(WorkerGroup workers, int n) {
        return starts.start(workers, n);
    }

    @Override
    public <S, R> Context<S, R> getContext(Setup<S> setup) {
        return getContext(null, setup);
    }

    @Override
    public <R> Context<Void, R> getContext() {
        return newContext(null, null, null);
    }

    @Override
    public <S, R> Context<S, R> getContext(String name, Setup<S> setup) {
        java.util.Objects.requireNonNull(setup, "setup");
        byte[] payload = Payloads.serialize(setup);
        FrameLimit.checkSetup(payload.length, settings.maxFrameBytes());
        return newContext(name, payload, setup);
    }

    @Override
    public <R> Context<Void, R> getContext(String name) {
        java.util.Objects.requireNonNull(name, "name");
        return newContext(name, null, null);
    }

    private <S, R> Context<S, R> newContext(String givenName, byte[] setupPayload, Setup<S> setup) {
        checkOpen();
        int id = nextContextId.getAndIncrement();
        ContextRegistry.Claim claim = registry.claim(givenName, id, setup);
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        DefaultContext<S, R> ctx = new DefaultContext<>(id, claim.name(), this,
                tccl != null ? tccl : getClass().getClassLoader(), claim.journal());
        contexts.put(id, ctx);
        if (closed.get()) { // close() may have passed the contexts already
            ctx.closeInbox("the manager is closed");
            checkOpen();
        }
        try {
            commands.openContext(id, setupPayload);
        } catch (IllegalStateException stopped) { // close() stopped the loop after the check above
            ctx.closeInbox("the manager is closed");
            contexts.remove(id);
            registry.release(claim.name());
            throw stopped;
        }
        return ctx;
    }

    @Override
    public List<WorkerInfo> workers() {
        FinalState f = finalState;
        return f != null ? f.workers() : commands.query(dispatcher.stats()::workers);
    }

    @Override
    public ManagerStats stats() {
        FinalState f = finalState;
        return f != null ? f.stats() : commands.query(this::statsNow);
    }

    /** On the loop. */
    private ManagerStats statsNow() {
        DispatcherStats d = dispatcher.stats();
        return new ManagerStats(tasksSubmitted.get(), d.succeeded(), d.failed(), d.setupsSent(), starts.started(),
                d.connectedEver(), d.waiting(), registry.fromJournal());
    }

    /** What {@link #stats()} and {@link #workers()} answer once the manager is closed. */
    private record FinalState(ManagerStats stats, List<WorkerInfo> workers) {
    }

    @Override
    public InetSocketAddress listenAddress() {
        return server.address();
    }

    @Override
    public Optional<InetSocketAddress> statusAddress() {
        return Optional.ofNullable(status).map(StatusPageProvider.Running::address);
    }

    @Override
    public void addListener(ProgressListener listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        checkOpen();
        listeners.add(listener);
    }

    @Override
    public void removeListener(ProgressListener listener) {
        listeners.remove(listener);
    }

    // ---- used by contexts -----------------------------------------------------------------------

    SerialFilter serialFilter() {
        return serialFilter;
    }

    int maxFrameBytes() {
        return settings.maxFrameBytes();
    }

    ReaderWakeups readerWakeups() {
        return readerWakeups;
    }

    long nextTaskId() {
        return nextTaskId.getAndIncrement();
    }

    void submit(QueuedTask task) {
        tasksSubmitted.incrementAndGet();
        commands.submit(task); // abandons it and throws IllegalStateException when close() stopped the loop
    }

    /** A keyed task was ended from the journal, not submitted. */
    void fromJournal(long taskId, int contextId) {
        tasksSubmitted.incrementAndGet();
        registry.countFromJournal();
        progress.taskFromJournal(taskId, contextId);
    }

    Path journalFile() {
        return registry.journalFile();
    }

    void cancelRunning(TaskRecord<?> task, boolean interrupt) {
        if (!closed.get()) {
            commands.cancel(task, interrupt);
        }
    }

    void closeContext(DefaultContext<?, ?> ctx) {
        contexts.remove(ctx.id());
        registry.release(ctx.name());
        if (!closed.get()) {
            commands.closeContext(ctx.id());
        }
    }

    String noWorkersReason() {
        // none while journaled results are on their way (a failure as the last worker was lost): they come first.
        // The loop counts such a result before it marks the last worker gone, so the workers are read first here
        String none = available.noneLeftReason();
        return none == null || allocations.allocating() || registry.journalHandingOn() ? null : none;
    }

    void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the manager is closed");
        }
    }

    // ---- close ------------------------------------------------------------------------------------

    @Override
    public void close() {
        closed.set(true);
        closeSteps();
    }

    /**
     * Each step runs whatever an earlier one threw: no worker, thread, socket or journal is left behind. On an
     * interrupted thread too, each step waits for what it stops (workers told to go, the journal written): {@link
     * CloseSteps} clears the flag before each step (an interrupt that came before the close or between its steps;
     * one during a step may cut that step's waits short) and sets it again for the caller.
     */
    private void closeSteps() {
        closing.run(
                launcher::cancelStopAtExit,
                launcher::stopStarting,
                allocations::close,
                () -> CloseSteps.each(contexts.values(), c -> c.closeInbox("the manager is closed")),
                this::shutDownDispatcher,
                launcher::close,
                () -> {
                    if (status != null) {
                        status.close();
                    }
                },
                server::close,
                () -> {
                    // tasks whose drain the stopping loop dropped: no future left hanging. Not also from a listener
                    // on the loop's termination future: Netty notifies it on its global executor, a non-daemon
                    // thread that keeps the program's JVM alive a second after its end (ManagerExitThreadsTest)
                    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
                    commands.abandonLeftovers();
                },
                registry::close, // after the loop: every result it journaled is written and forced
                () -> {
                    // its workers were told to go: none return; not on a disk that stopped answering (the journal's
                    // close said so), where the write could hang the close
                    if (settings.journal() != null && finalState != null && registry.journalDiskAnswered()) {
                        RunSecret.markClosed(settings.journal().file());
                    }
                },
                progress::close,
                () -> LOG.info("manager closed"));
    }

    /** Tells the workers to shut down and keeps the final state; a loop that does not answer is logged. */
    private void shutDownDispatcher() {
        try {
            finalState = commands.query(() -> {
                dispatcher.shutdown();
                return new FinalState(statsNow(), dispatcher.stats().workers());
            });
        } catch (JParallelException e) {
            LOG.warn("could not tell the workers to shut down: {}", e.getMessage());
        }
    }
}
