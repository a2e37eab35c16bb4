package org.jparallel.core.manager;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
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
import org.jparallel.core.dispatch.DispatcherListener;
import org.jparallel.core.dispatch.DispatcherStats;
import org.jparallel.core.dispatch.QueuedTask;
import org.jparallel.core.worker.startup.NettyDefaults;
import org.jparallel.core.protocol.FrameLimit;
import org.jparallel.core.protocol.Secret;
import org.jparallel.core.serial.Payloads;
import org.jparallel.core.serial.SerialFilter;
import org.jparallel.core.status.StatusPageProvider;
import org.jparallel.core.status.StatusPages;
import org.jparallel.core.tls.ManagerIdentity;
import org.jparallel.core.worker.WorkerMain;
import org.jparallel.core.worker.WorkerOptions;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager: owns the event loop that runs the {@link Dispatcher} and the listening socket, and
 * decides which workers to start; its {@link WorkerLauncher} starts them and stops every worker at
 * close or JVM exit. User threads never touch dispatcher state; they post to its loop.
 */
final class DefaultManager implements Manager, DispatcherListener {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultManager.class);

    static {
        // Netty's JFR events cost a fresh manager about 0.2 s to register; an explicit setting wins
        NettyDefaults.apply();
    }

    private final ManagerSettings settings;
    private final Secret secret = Secret.generate();
    private final ManagerIdentity identity;
    private final SerialFilter serialFilter;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Dispatcher dispatcher;
    private final ManagerCommands commands;
    private final ReaderWakeups readerWakeups;
    private final ManagerServer server;
    private final WorkerLauncher launcher;
    private final ManagerAllocations allocations;
    private final List<String> remoteHosts = AddressFinder.nonLoopbackAddresses();
    private final AvailableWorkers available = new AvailableWorkers();
    private final AtomicInteger nextWorkerId = new AtomicInteger(1);
    private final AtomicInteger nextContextId = new AtomicInteger(1);
    private final AtomicLong nextTaskId = new AtomicLong(1);
    private final AtomicLong tasksSubmitted = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Map<Integer, DefaultContext<?, ?>> contexts = new ConcurrentHashMap<>();
    private final Map<Integer, WorkerGroup> groups = new ConcurrentHashMap<>();
    private final WorkerReplacements replacements;
    private final ProgressBus progress = new ProgressBus();
    private final StatusPageProvider.Running status;
    private volatile int workersStarted;
    /** Set by {@link #close()}: the state as the manager ended. */
    private volatile FinalState finalState;

    DefaultManager(ManagerSettings settings) {
        this.settings = settings;
        this.serialFilter = SerialFilter.of(settings.serialFilter());
        this.replacements = new WorkerReplacements(settings.replaceLostWorkers());
        this.identity = settings.tls() ? identity(settings) : null;
        this.group = EventLoops.nio(1, new DefaultThreadFactory("jparallel-manager", true));
        this.loop = group.next();
        this.dispatcher = new Dispatcher(settings, this, nextWorkerId::getAndIncrement,
                (task, delayMillis) -> loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS));
        dispatcher.progressTo(progress);
        this.commands = new ManagerCommands(loop, dispatcher);
        this.readerWakeups = new ReaderWakeups(loop);
        this.launcher = new WorkerLauncher(settings.startTimeout(), loop, dispatcher, closed::get);
        this.allocations = new ManagerAllocations(loop, dispatcher, launcher, this::startWorkers, available::released,
                () -> contexts.values().forEach(DefaultContext::wake));
        try {
            this.server = new ManagerServer(settings, secret, identity == null ? null : identity.serverContext(),
                    group, dispatcher);
        } catch (RuntimeException e) {
            launcher.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        launcher.stopWorkersAtExit();
        if (identity != null) {
            LOG.info("manager listening on {} with TLS; certificate SHA-256 {}", server.address(), identity.fingerprint());
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
            close();
            throw e;
        }
    }

    private static ManagerIdentity identity(ManagerSettings settings) {
        if (settings.tlsKeystore() == null || settings.tlsKeystore().isBlank()) {
            return ManagerIdentity.selfSigned();
        }
        return ManagerIdentity.fromKeystore(Path.of(settings.tlsKeystore()), settings.tlsKeystorePasswordEnv(),
                System.getenv());
    }

    // ---- Manager --------------------------------------------------------------------------------

    @Override
    public void addWorker(WorkerGroup workers) {
        checkOpen();
        int n = workers.size();
        if (n < 1) {
            throw new IllegalArgumentException("a worker group must start at least one worker, got " + n);
        }
        startWorkers(workers, n);
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
        List<Integer> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int id = nextWorkerId.getAndIncrement();
            ids.add(id);
            groups.put(id, workers);
        }
        available.starting(n);
        workersStarted += n;
        LaunchSpec spec = launchSpec(ids).withLifetime(settings.workerLifetime()).withWalltime(workers.walltime())
                .withSlots(settings.workerSlots());
        String slots = workers.slots() != null ? workers.slots() : settings.workerSlots();
        commands.workersAdded(ids, workers.backendName(), spec.lifetime(),
                slots == null ? 1 : slots.matches("[0-9]{1,4}") ? Integer.parseInt(slots) : 0);
        launcher.launch(workers, spec);
        return ids;
    }

    private LaunchSpec launchSpec(List<Integer> ids) {
        String java = settings.javaCommand() != null ? settings.javaCommand()
                : Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = settings.classpath() != null ? settings.classpath() : System.getProperty("java.class.path");
        return new LaunchSpec(ids, java, settings.jvmOptions(), cp, WorkerMain.class.getName(), settings.host(),
                server.address().getPort(), remoteHosts, credentials(), settings.outputPattern());
    }

    /**
     * @return what a worker needs to trust and be trusted: the secret, and with TLS the pinned
     *     certificate fingerprint after a {@code ~} ({@link WorkerOptions} parses it). It travels the
     *     way the secret does, never on a command line.
     */
    private String credentials() {
        return identity == null ? secret.text() : secret.text() + WorkerOptions.FINGERPRINT_SEPARATOR + identity.fingerprint();
    }

    @Override
    public <S, R> Context<S, R> getContext(Setup<S> setup) {
        byte[] payload = Payloads.serialize(setup);
        FrameLimit.checkSetup(payload.length, settings.maxFrameBytes());
        return newContext(payload);
    }

    @Override
    public <R> Context<Void, R> getContext() {
        return newContext(null);
    }

    private <S, R> Context<S, R> newContext(byte[] setupPayload) {
        checkOpen();
        int id = nextContextId.getAndIncrement();
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        DefaultContext<S, R> ctx = new DefaultContext<>(id, this, tccl != null ? tccl : getClass().getClassLoader());
        contexts.put(id, ctx);
        if (closed.get()) { // close() may have passed the contexts already
            ctx.closeInbox("the manager is closed");
            checkOpen();
        }
        commands.openContext(id, setupPayload);
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
        return new ManagerStats(tasksSubmitted.get(), d.succeeded(), d.failed(), d.setupsSent(), workersStarted,
                d.connectedEver(), d.waiting());
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
        commands.execute(() -> progress.add(listener, dispatcher.stats().workers()));
    }

    @Override
    public void removeListener(ProgressListener listener) {
        if (!closed.get()) {
            commands.execute(() -> progress.remove(listener));
        }
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
        try {
            commands.submit(task);
        } catch (RejectedExecutionException e) { // the loop is gone: close() has run
            task.completion().abandoned("the manager was closed");
            throw new IllegalStateException("the manager is closed", e);
        }
    }

    void cancelRunning(TaskRecord<?> task, boolean interrupt) {
        if (!closed.get()) {
            commands.cancel(task, interrupt);
        }
    }

    void closeContext(DefaultContext<?, ?> ctx) {
        contexts.remove(ctx.id());
        if (!closed.get()) {
            commands.closeContext(ctx.id());
        }
    }

    String noWorkersReason() {
        return allocations.allocating() ? null : available.noneLeftReason();
    }

    void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the manager is closed");
        }
    }

    // ---- DispatcherListener (on the loop) ---------------------------------------------------------

    @Override
    public void workerConnected(int workerId) {
        if (workerId < 0) {
            available.joinedByHand();
        } else {
            launcher.connected(workerId);
            WorkerGroup group = groups.get(workerId);
            if (group != null) {
                replacements.connected(group);
            }
        }
    }

    @Override
    public void workerLost(int workerId) {
        WorkerGroup group = groups.get(workerId);
        if (group == null || closed.get() || allocations.owns(group)) {
            return; // an allocating group's workers are the allocator's to replace
        }
        if (replacements.replaceLost()) {
            LOG.info("replacing lost worker {} ({} of {} replacements)", workerId, replacements.used(),
                    replacements.budget());
            startWorkers(group, 1);
        }
    }

    @Override
    public void workerDraining(int workerId) {
        WorkerGroup group = groups.get(workerId);
        if (group == null || closed.get()) {
            return;
        }
        if (replacements.replaceLost()) {
            LOG.info("replacing draining worker {} ({} of {} replacements)", workerId, replacements.used(),
                    replacements.budget());
            startWorkers(group, 1);
        }
    }

    @Override
    public String workerFailedToStart(int workerId) {
        WorkerGroup group = groups.get(workerId);
        if (group == null || closed.get() || allocations.owns(group)) {
            return null;
        }
        String refused = replacements.refuseFailedStart(group);
        if (refused != null) {
            return refused.isEmpty() ? null : refused;
        }
        LOG.info("replacing worker {}, which failed to start ({} of {} replacements)", workerId, replacements.used(),
                replacements.budget());
        startWorkers(group, 1);
        return null;
    }

    @Override
    public void workerGone(String summary) {
        available.gone(summary);
        contexts.values().forEach(DefaultContext::wake);
    }

    @Override
    public void stopWorker(WorkerHandle handle) {
        launcher.stop(handle);
    }

    // ---- close ------------------------------------------------------------------------------------

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        launcher.cancelStopAtExit();
        allocations.close();
        contexts.values().forEach(c -> c.closeInbox("the manager is closed"));
        try {
            finalState = commands.query(() -> {
                dispatcher.shutdown();
                return new FinalState(statsNow(), dispatcher.stats().workers());
            });
        } catch (JParallelException e) {
            LOG.warn("could not tell the workers to shut down: {}", e.getMessage());
        }
        launcher.close();
        if (status != null) {
            status.close();
        }
        server.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        progress.close();
        LOG.info("manager closed");
    }
}
