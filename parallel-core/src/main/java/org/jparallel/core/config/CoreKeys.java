package org.jparallel.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jparallel.ManagerSettings;
import org.jparallel.spi.ConfigKey;

/**
 * The keys the core itself reads, with their full names. Backend keys are declared by each backend
 * and live under {@code jparallel.<backend>.}; worker groups under {@code jparallel.group.<name>.}.
 */
public final class CoreKeys {
    /** The prefix of every jparallel key. */
    public static final String PREFIX = "jparallel.";
    /** The system property that names the properties file. */
    public static final String CONFIG_PROPERTY = "jparallel.config";

    /** {@code jparallel.backend} */
    public static final ConfigKey<String> BACKEND = ConfigKey.string("jparallel.backend", "local", "the backend that starts the workers (local, sge, ssh, ...)");
    /** {@code jparallel.workers} */
    public static final ConfigKey<Integer> WORKERS = ConfigKey.integer("jparallel.workers", null, "how many workers to start").documentedDefault("number of cores");
    /** {@code jparallel.groups} */
    public static final ConfigKey<List<String>> GROUPS = ConfigKey.list("jparallel.groups", null,
            "names of worker groups, each configured by jparallel.group.<name>.backend, .workers and backend keys");
    /** {@code jparallel.manager.host} */
    public static final ConfigKey<String> HOST = ConfigKey.string("jparallel.manager.host", null,
            "the name workers use to reach the manager (default: loopback for local workers, else every address)");
    /** {@code jparallel.manager.bind} */
    public static final ConfigKey<String> BIND = ConfigKey.string("jparallel.manager.bind", null,
            "the address to listen on (default: all interfaces, each peer must pass the handshake; "
            + "127.0.0.1 when every worker is local, or the cluster network's address)");
    /** {@code jparallel.manager.port} */
    public static final ConfigKey<Integer> PORT = ConfigKey.integer("jparallel.manager.port", "0", "the port to listen on (0: any free port)");
    /** {@code jparallel.manager.start-timeout} */
    public static final ConfigKey<Duration> START_TIMEOUT = ConfigKey.duration("jparallel.manager.start-timeout", "120s",
            "how long a started worker may take to connect");
    /** {@code jparallel.manager.heartbeat-interval} */
    public static final ConfigKey<Duration> HEARTBEAT_INTERVAL = ConfigKey.duration("jparallel.manager.heartbeat-interval", "2s",
            "how often each side sends a heartbeat (default: 2s, or a quarter of the timeout if shorter)");
    /** {@code jparallel.manager.heartbeat-timeout} */
    public static final ConfigKey<Duration> HEARTBEAT_TIMEOUT = ConfigKey.duration("jparallel.manager.heartbeat-timeout", "20s",
            "silence after which a worker is presumed dead");
    /** {@code jparallel.manager.max-frame-bytes} */
    public static final ConfigKey<Integer> MAX_FRAME_BYTES = ConfigKey.integer("jparallel.manager.max-frame-bytes", "1073741824",
            "the largest task, setup or result message in bytes: a bigger task or setup is refused where it is added, a bigger result fails its task (see docs/protocol.md, \"Framing\")");
    /** {@code jparallel.manager.handshake-timeout} */
    public static final ConfigKey<Duration> HANDSHAKE_TIMEOUT = ConfigKey.duration("jparallel.manager.handshake-timeout", "10s",
            "how long a new connection may take to authenticate (TLS included) before it is closed");
    /** {@code jparallel.manager.tls} */
    public static final ConfigKey<Boolean> TLS = ConfigKey.bool("jparallel.manager.tls", "false",
            "run the worker protocol inside TLS; workers pin the manager's certificate, given with the secret");
    /** {@code jparallel.manager.tls.keystore} */
    public static final ConfigKey<String> TLS_KEYSTORE = ConfigKey.string("jparallel.manager.tls.keystore", null,
            "PKCS12 or JKS keystore with the manager's key and certificate (default: fresh self-signed per run)");
    /** {@code jparallel.manager.tls.keystore-password-env} */
    public static final ConfigKey<String> TLS_KEYSTORE_PASSWORD_ENV = ConfigKey.string("jparallel.manager.tls.keystore-password-env", "JPARALLEL_KEYSTORE_PASSWORD",
            "the environment variable holding the keystore's password");
    /** {@code jparallel.security.serial-filter} */
    public static final ConfigKey<String> SERIAL_FILTER = ConfigKey.string("jparallel.security.serial-filter", null,
            "java.io.ObjectInputFilter pattern for tasks, setups and results on both sides, checked before "
            + "jparallel's reject-list of gadget packages (e.g. com.example.**;java.base/*;!*); see docs/security.md");
    /** {@code jparallel.manager.max-lost-attempts} */
    public static final ConfigKey<Integer> MAX_LOST_ATTEMPTS = ConfigKey.integer("jparallel.manager.max-lost-attempts", "3",
            "how many lost workers a task may outlive before it fails");
    /** {@code jparallel.manager.task-retries} */
    public static final ConfigKey<Integer> TASK_RETRIES = ConfigKey.integer("jparallel.manager.task-retries", "0",
            "how many times a task that threw is run again");
    /** {@code jparallel.manager.prefetch} */
    public static final ConfigKey<Integer> PREFETCH = ConfigKey.integer("jparallel.manager.prefetch", "0",
            "how many tasks a worker holds at once, running one at a time; 0: automatic (one until the first is back, then about 2 ms of work, at most 256)");
    /** {@code jparallel.manager.replace-lost-workers} */
    public static final ConfigKey<Integer> REPLACE_LOST_WORKERS = ConfigKey.limit("jparallel.manager.replace-lost-workers", "unlimited",
            "how many lost workers may be replaced by new ones started the same way: unlimited, or a number (0: never); when unlimited, a group whose workers "
            + "are lost more than max(3, max-lost-attempts) times its size (at least max-lost-attempts + 1) in a row, with no answer "
            + "from a worker started since the first of them, is not replaced any more (workers the manager stopped, or whose "
            + "walltime or lifetime ended, do not count); workers "
            + "that fail to start count too, once a worker of their group has connected (at most 3 per worker of the group in a row)");
    /** {@code jparallel.manager.status-port} */
    public static final ConfigKey<Integer> STATUS_PORT = ConfigKey.integer("jparallel.manager.status-port", "-1",
            "serve a live status page (HTML at /, JSON at /status.json) on this port; -1: off, 0: any free port; needs org.jparallel:parallel-status on the classpath");
    /** {@code jparallel.manager.status-bind} */
    public static final ConfigKey<String> STATUS_BIND = ConfigKey.string("jparallel.manager.status-bind", "127.0.0.1",
            "the address the status page listens on; it shows job data without a password, so loopback unless asked");
    /** {@code jparallel.manager.journal} */
    public static final ConfigKey<Path> JOURNAL = ConfigKey.path("jparallel.manager.journal", null,
            "keep a durable journal of keyed tasks' results in this file; a program run again with it gets the results "
            + "of keyed tasks already done without running them (see README, \"Runs that survive the manager\")");
    /** {@code jparallel.manager.journal-mode} */
    public static final ConfigKey<String> JOURNAL_MODE = ConfigKey.string("jparallel.manager.journal-mode", "resume",
            "what to do with an existing journal: resume (keep its results; another program's journal, or a context "
            + "with another setup, is refused) or fresh (discard it)");
    /** {@code jparallel.manager.journal-identity} */
    public static final ConfigKey<String> JOURNAL_IDENTITY = ConfigKey.string("jparallel.manager.journal-identity", null,
            "the program's name in the journal's header: a journal written under another name is refused on resume")
            .documentedDefault("the main class");
    /** {@code jparallel.worker.java} */
    public static final ConfigKey<String> WORKER_JAVA = ConfigKey.string("jparallel.worker.java", null,
            "command that starts a worker JVM, several words allowed (default: the manager's java)");
    /** {@code jparallel.worker.jvm-options} */
    public static final ConfigKey<String> WORKER_JVM_OPTIONS = ConfigKey.string("jparallel.worker.jvm-options", null,
            "worker JVM options, separated by spaces");
    /** {@code jparallel.worker.classpath} */
    public static final ConfigKey<String> WORKER_CLASSPATH = ConfigKey.string("jparallel.worker.classpath", null,
            "worker classpath (default: the manager's)");
    /** {@code jparallel.worker.output} */
    public static final ConfigKey<String> WORKER_OUTPUT = ConfigKey.string("jparallel.worker.output", ManagerSettings.DEFAULT_OUTPUT_PATTERN,
            "worker output file pattern; %d is the worker id, %p the manager's port; its directory is made when missing");
    /** {@code jparallel.worker.death-timeout} */
    public static final ConfigKey<Duration> WORKER_DEATH_TIMEOUT = ConfigKey.duration("jparallel.worker.death-timeout", "60s",
            "silence after which a worker presumes the manager gone; it then seeks it again for as long (a manager "
                    + "restarted on the same port with the same journal gets it back) before it exits; the workers of a "
                    + "manager without a journal exit when nobody has listened at its port for 2 s");
    /** {@code jparallel.worker.lifetime} */
    public static final ConfigKey<Duration> WORKER_LIFETIME = ConfigKey.duration("jparallel.worker.lifetime", null,
            "how long each worker lives from its start (its allocation's end); the manager gives it only tasks it can "
            + "finish before then and drains it before its end. A batch job's walltime (Slurm time, Grid Engine h_rt) "
            + "counts too: the shorter wins. Empty: no set end");
    /** {@code jparallel.worker.slots} */
    public static final ConfigKey<String> WORKER_SLOTS = ConfigKey.string("jparallel.worker.slots", "1",
            "how many tasks each worker runs at once, sharing one setup per context: a number, or auto for the cores "
            + "it was given (NSLOTS on Grid Engine, SLURM_CPUS_PER_TASK on Slurm, else the machine's); batch groups ask "
            + "their scheduler for that many cores per worker (qsub -pe smp N, sbatch --cpus-per-task=N)");
    /** {@code jparallel.worker.drain-margin} */
    public static final ConfigKey<Duration> WORKER_DRAIN_MARGIN = ConfigKey.duration("jparallel.worker.drain-margin", null,
            "how long before its end of life a worker stops being given tasks, finishes what it holds and is told to exit")
            .documentedDefault("10% of the lifetime, at most 5m");
    /** {@code jparallel.alloc.max}: turns on automatic allocation of the default group. */
    public static final ConfigKey<Integer> ALLOC_MAX = ConfigKey.integer("jparallel.alloc.max", null,
            "turns on automatic allocation: workers at most, started while tasks wait and released when idle "
            + "(the group's workers key must then be 0 or unset; jparallel.group.<name>.alloc.max for a named group)");
    /** {@code jparallel.alloc.min} */
    public static final ConfigKey<Integer> ALLOC_MIN = ConfigKey.integer("jparallel.alloc.min", "0",
            "automatic allocation: workers kept even when idle, started at once");
    /** {@code jparallel.alloc.max-pending} */
    public static final ConfigKey<Integer> ALLOC_MAX_PENDING = ConfigKey.integer("jparallel.alloc.max-pending", null,
            "automatic allocation: workers at most submitted but not yet connected (in the scheduler's queue)")
            .documentedDefault("alloc.max");
    /** {@code jparallel.alloc.idle-timeout} */
    public static final ConfigKey<Duration> ALLOC_IDLE_TIMEOUT = ConfigKey.duration("jparallel.alloc.idle-timeout", "5m",
            "automatic allocation: how long a worker may be idle, with no task waiting, before it is released");
    /** {@code jparallel.alloc.min-interval} */
    public static final ConfigKey<Duration> ALLOC_MIN_INTERVAL = ConfigKey.duration("jparallel.alloc.min-interval", "5s",
            "automatic allocation: the least time between two submissions, and between a release and a submission");
    /** {@code jparallel.alloc.walltime} */
    public static final ConfigKey<Duration> ALLOC_WALLTIME = ConfigKey.duration("jparallel.alloc.walltime", null,
            "batch backends: the walltime each of the group's jobs asks for, written as the scheduler's own option "
            + "(Slurm --time in whole minutes, rounded up; Grid Engine -l h_rt); each worker learns it as its lifetime "
            + "and is drained before it. Empty: the scheduler's settings and options decide");
    /** The automatic allocation keys of the default group; a named group has them under {@code jparallel.group.<name>.}. */
    static final List<ConfigKey<?>> ALLOC = List.of(ALLOC_MAX, ALLOC_MIN, ALLOC_MAX_PENDING, ALLOC_IDLE_TIMEOUT,
            ALLOC_MIN_INTERVAL, ALLOC_WALLTIME);

    /**
     * @param key one of {@link #ALLOC}
     * @param prefix {@code jparallel.} for the default group, {@code jparallel.group.<name>.} for a named one
     * @return the key's name under that prefix
     */
    static String allocName(ConfigKey<?> key, String prefix) {
        return prefix + key.name().substring(PREFIX.length());
    }

    /** Every core key, in the order the reference lists them. */
    public static final List<ConfigKey<?>> ALL = List.of(BACKEND, WORKERS, GROUPS,
            ALLOC_MAX, ALLOC_MIN, ALLOC_MAX_PENDING, ALLOC_IDLE_TIMEOUT, ALLOC_MIN_INTERVAL, ALLOC_WALLTIME, HOST, BIND, PORT,
            START_TIMEOUT, HEARTBEAT_INTERVAL, HEARTBEAT_TIMEOUT, MAX_FRAME_BYTES, HANDSHAKE_TIMEOUT, TLS, TLS_KEYSTORE,
            TLS_KEYSTORE_PASSWORD_ENV, SERIAL_FILTER, MAX_LOST_ATTEMPTS, TASK_RETRIES, PREFETCH, REPLACE_LOST_WORKERS,
            STATUS_PORT, STATUS_BIND, JOURNAL, JOURNAL_MODE, JOURNAL_IDENTITY, WORKER_JAVA, WORKER_JVM_OPTIONS, WORKER_CLASSPATH, WORKER_OUTPUT,
            WORKER_DEATH_TIMEOUT, WORKER_LIFETIME, WORKER_DRAIN_MARGIN, WORKER_SLOTS);

    private CoreKeys() {
    }
}
