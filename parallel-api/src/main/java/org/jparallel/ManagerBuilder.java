package org.jparallel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import org.jparallel.internal.ManagerProvider;

/**
 * Builds a {@link Manager} with settings other than the defaults. Get one from {@link
 * Manager#builder()}. Each setter documents its default; see {@link ManagerSettings} for meanings.
 */
public final class ManagerBuilder {
    /**
     * For {@link #replaceLostWorkers(int)}: no fixed budget (the default). Lost workers are replaced for
     * as long as their group delivers results between losses; see {@link #replaceLostWorkers(int)}.
     */
    public static final int UNLIMITED = ManagerSettings.UNLIMITED_REPLACEMENTS;

    private String host;
    private String bindAddress;
    private int port;
    private String javaCommand;
    private List<String> jvmOptions = List.of();
    private String classpath;
    private String outputPattern = ManagerSettings.DEFAULT_OUTPUT_PATTERN;
    private Duration startTimeout = Duration.ofSeconds(120);
    private Duration heartbeatInterval;
    private Duration heartbeatTimeout = Duration.ofSeconds(20);
    private Duration workerDeathTimeout = Duration.ofSeconds(60);
    private int maxFrameBytes = 1 << 30;
    private int maxLostAttempts = 3;
    private int taskRetries;
    private int prefetch;
    private int replaceLostWorkers = UNLIMITED;
    private Duration handshakeTimeout = ManagerSettings.DEFAULT_HANDSHAKE_TIMEOUT;
    private boolean tls;
    private String tlsKeystore;
    private String tlsKeystorePasswordEnv = ManagerSettings.DEFAULT_KEYSTORE_PASSWORD_ENV;
    private String serialFilter = "";
    private int statusPort = -1;
    private String statusBind = ManagerSettings.DEFAULT_STATUS_BIND;
    private Duration workerLifetime;
    private Duration drainMargin;
    private JournalSettings journal;
    private String workerSlots;
    private final List<ProgressListener> listeners = new ArrayList<>();

    ManagerBuilder() {
    }

    /** Starts from existing settings, e.g. ones read from a properties file. */
    public ManagerBuilder from(ManagerSettings s) {
        host = s.host();
        bindAddress = s.bindAddress();
        port = s.port();
        javaCommand = s.javaCommand();
        jvmOptions = s.jvmOptions();
        classpath = s.classpath();
        outputPattern = s.outputPattern();
        startTimeout = s.startTimeout();
        heartbeatInterval = s.heartbeatInterval();
        heartbeatTimeout = s.heartbeatTimeout();
        workerDeathTimeout = s.workerDeathTimeout();
        maxFrameBytes = s.maxFrameBytes();
        maxLostAttempts = s.maxLostAttempts();
        taskRetries = s.taskRetries();
        prefetch = s.prefetch();
        replaceLostWorkers = s.replaceLostWorkers();
        handshakeTimeout = s.handshakeTimeout();
        tls = s.tls();
        tlsKeystore = s.tlsKeystore();
        tlsKeystorePasswordEnv = s.tlsKeystorePasswordEnv();
        serialFilter = s.serialFilter();
        statusPort = s.statusPort();
        statusBind = s.statusBind();
        workerLifetime = s.workerLifetime();
        drainMargin = s.drainMargin();
        journal = s.journal();
        workerSlots = s.workerSlots();
        return this;
    }

    /** The name workers use to reach this machine (the seed's {@code host}). Default: chosen per backend. */
    public ManagerBuilder host(String host) {
        this.host = host;
        return this;
    }

    /**
     * The address to listen on. Default: every interface, since workers on other hosts must reach the
     * manager; a peer gets nowhere without the run's secret. Give {@code 127.0.0.1} when every worker
     * runs on this machine, or the address of the cluster's internal network.
     */
    public ManagerBuilder bindAddress(String bindAddress) {
        this.bindAddress = bindAddress;
        return this;
    }

    /** The port to listen on. Default 0: any free port. */
    public ManagerBuilder port(int port) {
        this.port = port;
        return this;
    }

    /** The command that starts a worker JVM (the seed's {@code python}). Default: this JVM's java. */
    public ManagerBuilder javaCommand(String javaCommand) {
        this.javaCommand = javaCommand;
        return this;
    }

    /** Options for worker JVMs, e.g. {@code -Xmx2g}. Default: none. */
    public ManagerBuilder jvmOptions(String... options) {
        this.jvmOptions = Arrays.asList(options);
        return this;
    }

    /** The worker classpath. Default: this JVM's classpath. */
    public ManagerBuilder classpath(String classpath) {
        this.classpath = classpath;
        return this;
    }

    /**
     * The worker output file pattern (the seed's {@code output}); {@code %d} is the worker id, {@code %p}
     * the manager's port; a relative one is resolved against the manager's working directory, and the file's
     * directory is made when missing. Default {@code jparallel-output/worker%d-port%p.output}.
     */
    public ManagerBuilder outputPattern(String outputPattern) {
        this.outputPattern = outputPattern;
        return this;
    }

    /** How long a worker may take to connect. Default 120 s. */
    public ManagerBuilder startTimeout(Duration startTimeout) {
        this.startTimeout = startTimeout;
        return this;
    }

    /** How often heartbeats are sent. Default 2 s, or a quarter of the heartbeat timeout when that is shorter. */
    public ManagerBuilder heartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
        return this;
    }

    /** Silence after which a worker is presumed dead (its tasks move elsewhere, its process is stopped). Default 20 s. */
    public ManagerBuilder heartbeatTimeout(Duration heartbeatTimeout) {
        this.heartbeatTimeout = heartbeatTimeout;
        return this;
    }

    /** Silence after which a worker presumes the manager gone and exits. Default 60 s. */
    public ManagerBuilder workerDeathTimeout(Duration workerDeathTimeout) {
        this.workerDeathTimeout = workerDeathTimeout;
        return this;
    }

    /**
     * The largest task, setup or result message, in bytes. Default 1 GiB. A bigger task or setup is refused
     * where it is added; a bigger result fails its task on the worker.
     */
    public ManagerBuilder maxFrameBytes(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
        return this;
    }

    /**
     * How many lost workers a task may outlive before it fails. Default 3 attempts. Only a worker lost
     * while it was (possibly) running the task counts, not one that merely held it queued.
     */
    public ManagerBuilder maxLostAttempts(int maxLostAttempts) {
        this.maxLostAttempts = maxLostAttempts;
        return this;
    }

    /**
     * How many times a task that threw is run again. Default 0. A task whose result could not be sent ({@link
     * RemoteTaskException#RESULT_NOT_SERIALIZABLE}, {@link RemoteTaskException#RESULT_TOO_LARGE}) is not.
     */
    public ManagerBuilder taskRetries(int taskRetries) {
        this.taskRetries = taskRetries;
        return this;
    }

    /**
     * How many tasks a worker holds at once; it still runs one at a time. Default 0, automatic: one at
     * a time (a long task never holds up others queued behind it on a busy worker) until the worker's
     * recent tasks take under 10 ms on average, then up to 4, which hides the network round trip for
     * small tasks. A number of 1 or more fixes the depth.
     */
        public ManagerBuilder prefetch(int prefetch) {
        this.prefetch = prefetch;
        return this;
    }

    /**
     * How many lost workers may be replaced by new ones, started like the lost one: {@link #UNLIMITED}
     * (the default), or a fixed budget, 0 for never. A worker lost after it connected is replaced by a
     * new one of its group (a local JVM, an SSH process, a batch job), so a task that kills its worker
     * fails alone once it has lost {@code maxLostAttempts} workers while the others run. Without a fixed
     * budget, a group whose workers are lost more than {@code max(3, maxLostAttempts)} times its size in a
     * row, with no answer from any of its workers in between (a setup or the worker JVM itself crashing
     * every worker), is not replaced any more. A worker that fails to start (killed, exited or timed out before it connected)
     * is replaced too, within the same budget, once a worker of its group has connected: a group none of
     * whose workers ever connected (a bad java command or JVM option) is not, and neither are more than 3
     * failed starts per worker of the group in a row.
     */
    public ManagerBuilder replaceLostWorkers(int limit) {
        this.replaceLostWorkers = limit;
        return this;
    }

    /**
     * How long a new connection may take to complete the handshake (TLS included) before it is
     * closed; a silent or slow client holds nothing longer. Default 10 s.
     */
    public ManagerBuilder handshakeTimeout(Duration handshakeTimeout) {
        this.handshakeTimeout = handshakeTimeout;
        return this;
    }

    /**
     * Runs the worker protocol inside TLS. The manager makes a fresh key pair and self-signed
     * certificate for each run (or uses {@link #tlsKeystore}); workers receive the certificate's
     * SHA-256 fingerprint with the secret and accept no other certificate. Default: off.
     */
    public ManagerBuilder tls(boolean tls) {
        this.tls = tls;
        return this;
    }

    /**
     * With {@link #tls(boolean)}: the manager's key and certificate come from this keystore (PKCS12
     * or JKS, one private key entry) instead of a fresh self-signed one. Default: none.
     *
     * @param path the keystore file
     * @param passwordEnv the environment variable that holds its password; {@code null} for {@code
     *     JPARALLEL_KEYSTORE_PASSWORD}
     */
    public ManagerBuilder tlsKeystore(String path, String passwordEnv) {
        this.tlsKeystore = path;
        this.tlsKeystorePasswordEnv = passwordEnv;
        return this;
    }

    /**
     * An {@link java.io.ObjectInputFilter} pattern (e.g. {@code com.example.**;java.base/*;!*}) for
     * every task, setup and result read by workers and the manager. It is checked first; what it
     * leaves undecided meets jparallel's reject-list of known gadget packages, and then is allowed.
     * Default: empty (only the reject-list and the size limits apply).
     */
    public ManagerBuilder serialFilter(String pattern) {
        this.serialFilter = pattern;
        return this;
    }

    /**
     * Serves a live status page over HTTP: {@code GET /} shows the workers, the queue, throughput and
     * recent failures, {@code GET /status.json} the same as JSON. {@link Manager#statusAddress()} tells
     * where. Default -1: off; 0 picks any free port. The page is the module
     * {@code org.jparallel:parallel-status}, which must be on the manager's classpath; without it
     * {@link #build()} says so.
     */
    public ManagerBuilder statusPort(int statusPort) {
        this.statusPort = statusPort;
        return this;
    }

    /**
     * The address the status page listens on. Default {@code 127.0.0.1}: the page shows the job's data
     * (worker hosts, failure messages, log tails) to anyone who reaches it and asks for no password.
     */
    public ManagerBuilder statusBind(String statusBind) {
        this.statusBind = statusBind;
        return this;
    }

    /**
     * How long each worker lives from its start, for any backend: the manager gives a worker only the
     * tasks it can finish before then (by their {@linkplain TaskOptions#withExpectedDuration expected
     * duration}), drains it a {@linkplain #drainMargin margin} before its end and tells it to exit. A
     * batch backend's job walltime counts too (the shorter wins). Default: {@code null}, no set end.
     */
    public ManagerBuilder workerLifetime(Duration lifetime) {
        this.workerLifetime = lifetime;
        return this;
    }

    /**
     * Keeps a durable journal of keyed tasks' results in {@code file}, resuming from it when it exists: a
     * program run again gets the results of the keyed tasks already done from the journal, without running
     * them (see README, "Runs that survive the manager"). Default: no journal.
     */
    public ManagerBuilder journal(java.nio.file.Path file) {
        return journal(file, JournalMode.RESUME);
    }

    /** As {@link #journal(java.nio.file.Path)}, saying what to do with an existing journal. */
    public ManagerBuilder journal(java.nio.file.Path file, JournalMode mode) {
        this.journal = new JournalSettings(file, mode, journal == null ? null : journal.identity());
        return this;
    }

    /**
     * No journal, also when settings given to {@link #from} name one (a tool that must not open a program's
     * journal, such as the doctor's probe worker). Default: no journal.
     */
    public ManagerBuilder noJournal() {
        this.journal = null;
        return this;
    }

    /**
     * How long before its end of life a worker stops being given tasks, finishes what it holds and is
     * told to exit. Default {@code null}: 10% of the worker's lifetime, at most 5 minutes.
     */
    public ManagerBuilder drainMargin(Duration margin) {
        this.drainMargin = margin;
        return this;
    }

    /**
     * Names the program in the journal's header (default: the JVM's main class): a journal written under
     * another name is refused on resume. Call after {@link #journal(java.nio.file.Path, JournalMode)}.
     */
    public ManagerBuilder journalIdentity(String identity) {
        if (journal == null) {
            throw new IllegalStateException("set the journal's file with journal(path) before its identity");
        }
        this.journal = new JournalSettings(journal.file(), journal.mode(), identity);
        return this;
    }

    /**
     * How many tasks each worker runs at once, sharing one setup per context (see "Task slots" in the
     * README), for groups that do not set their own: a number, or {@code auto} for the cores the worker
     * was given ({@code NSLOTS} on Grid Engine, {@code SLURM_CPUS_PER_TASK} on Slurm, else the machine's).
     * Batch groups ask their scheduler for that many cores per worker. Default 1.
     */
    public ManagerBuilder workerSlots(String slots) {
        this.workerSlots = slots;
        return this;
    }

    /**
     * Registers a listener for task and worker events from the start; see {@link
     * Manager#addListener}. May be called several times. Default: none.
     */
    public ManagerBuilder listener(ProgressListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** @return the settings as set so far, validated */
    public ManagerSettings settings() {
        Duration interval = heartbeatInterval;
        if (interval == null) {
            Duration quarter = heartbeatTimeout == null ? null : heartbeatTimeout.dividedBy(4);
            Duration two = Duration.ofSeconds(2);
            interval = quarter != null && !quarter.isZero() && quarter.compareTo(two) < 0 ? quarter : two;
        }
        return new ManagerSettings(host, bindAddress, port, javaCommand, jvmOptions, classpath,
                outputPattern, startTimeout, interval, heartbeatTimeout, workerDeathTimeout,
                maxFrameBytes, maxLostAttempts, taskRetries, prefetch, replaceLostWorkers, handshakeTimeout,
                tls, tlsKeystore, tlsKeystorePasswordEnv, serialFilter, statusPort, statusBind, workerLifetime,
                drainMargin, workerSlots, journal);
    }

    /**
     * Creates the manager; it listens for workers at once.
     *
     * @return the manager
     * @throws JParallelException when parallel-core is not on the classpath or the port cannot be bound
     */
    public Manager build() {
        Manager manager = provider().create(settings());
        listeners.forEach(manager::addListener);
        return manager;
    }

    static ManagerProvider provider() {
        for (ManagerProvider provider : ServiceLoader.load(ManagerProvider.class, ManagerBuilder.class.getClassLoader())) {
            return provider;
        }
        throw new JParallelException("No jparallel manager implementation found: put the parallel-core jar "
                + "(org.jparallel:parallel-core) on the classpath beside parallel-api.");
    }
}
