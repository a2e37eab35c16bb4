package org.jparallel.core.config;

import java.util.List;
import org.jparallel.ManagerSettings;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.ConfigKey.Type;

/**
 * The keys the core itself reads, with their full names. Backend keys are declared by each backend
 * and live under {@code jparallel.<backend>.}; worker groups under {@code jparallel.group.<name>.}.
 */
public final class CoreKeys {
    /** The prefix of every jparallel key. */
    public static final String PREFIX = "jparallel.";
    /** The system property that names the properties file. */
    public static final String CONFIG_PROPERTY = "jparallel.config";

    static final String BACKEND = "jparallel.backend";
    static final String WORKERS = "jparallel.workers";
    static final String GROUPS = "jparallel.groups";

    /** Every core key, in the order the reference lists them. */
    public static final List<ConfigKey> ALL = List.of(
            ConfigKey.optional(BACKEND, Type.STRING, "local", "the backend that starts the workers (local, sge, ssh, ...)"),
            ConfigKey.optional(WORKERS, Type.INT, "number of cores", "how many workers to start"),
            ConfigKey.optional(GROUPS, Type.LIST, null,
                    "names of worker groups, each configured by jparallel.group.<name>.backend, .workers and backend keys"),
            ConfigKey.optional("jparallel.manager.host", Type.STRING, null,
                    "the name workers use to reach the manager (default: loopback for local workers, else every address)"),
            ConfigKey.optional("jparallel.manager.bind", Type.STRING, null,
                    "the address to listen on (default: all interfaces, each peer must pass the handshake; "
                    + "127.0.0.1 when every worker is local, or the cluster network's address)"),
            ConfigKey.optional("jparallel.manager.port", Type.INT, "0", "the port to listen on (0: any free port)"),
            ConfigKey.optional("jparallel.manager.start-timeout", Type.DURATION, "120s",
                    "how long a started worker may take to connect"),
            ConfigKey.optional("jparallel.manager.heartbeat-interval", Type.DURATION, "2s",
                    "how often each side sends a heartbeat (default: 2s, or a quarter of the timeout if shorter)"),
            ConfigKey.optional("jparallel.manager.heartbeat-timeout", Type.DURATION, "20s",
                    "silence after which a worker is presumed dead"),
            ConfigKey.optional("jparallel.manager.max-frame-bytes", Type.INT, "1073741824",
                    "the largest task, setup or result message in bytes: a bigger task or setup is refused where it is added, a bigger result fails its task (see docs/protocol.md, \"Framing\")"),
            ConfigKey.optional("jparallel.manager.handshake-timeout", Type.DURATION, "10s",
                    "how long a new connection may take to authenticate (TLS included) before it is closed"),
            ConfigKey.optional("jparallel.manager.tls", Type.BOOLEAN, "false",
                    "run the worker protocol inside TLS; workers pin the manager's certificate, given with the secret"),
            ConfigKey.optional("jparallel.manager.tls.keystore", Type.STRING, null,
                    "PKCS12 or JKS keystore with the manager's key and certificate (default: fresh self-signed per run)"),
            ConfigKey.optional("jparallel.manager.tls.keystore-password-env", Type.STRING, "JPARALLEL_KEYSTORE_PASSWORD",
                    "the environment variable holding the keystore's password"),
            ConfigKey.optional("jparallel.security.serial-filter", Type.STRING, null,
                    "java.io.ObjectInputFilter pattern for tasks, setups and results on both sides, checked before "
                    + "jparallel's reject-list of gadget packages (e.g. com.example.**;java.base/*;!*); see docs/security.md"),
            ConfigKey.optional("jparallel.manager.max-lost-attempts", Type.INT, "3",
                    "how many lost workers a task may outlive before it fails"),
            ConfigKey.optional("jparallel.manager.task-retries", Type.INT, "0",
                    "how many times a task that threw is run again"),
            ConfigKey.optional("jparallel.manager.prefetch", Type.INT, "0",
                    "how many tasks a worker holds at once, running one at a time; 0: automatic (one until the first is back, then about 2 ms of work, at most 64)"),
            ConfigKey.optional("jparallel.manager.replace-lost-workers", Type.INT, "0",
                    "how many lost workers may be replaced by new ones; workers that fail to start count too, once a worker of their group has connected (at most 3 per worker of the group in a row)"),
            ConfigKey.optional("jparallel.manager.status-port", Type.INT, "-1",
                    "serve a live status page (HTML at /, JSON at /status.json) on this port; -1: off, 0: any free port; needs org.jparallel:parallel-status on the classpath"),
            ConfigKey.optional("jparallel.manager.status-bind", Type.STRING, "127.0.0.1",
                    "the address the status page listens on; it shows job data without a password, so loopback unless asked"),
            ConfigKey.optional("jparallel.manager.journal", Type.STRING, null,
                    "keep a durable journal of keyed tasks' results in this file; a program run again with it gets the results of keyed tasks already done without running them (see README, \"Runs that survive the manager\")"),
            ConfigKey.optional("jparallel.manager.journal-mode", Type.STRING, "resume",
                    "what to do with an existing journal: resume (keep its results; another program's journal, or a context with another setup, is refused) or fresh (discard it)"),
            ConfigKey.optional("jparallel.manager.journal-identity", Type.STRING, "the main class",
                    "the program's name in the journal's header: a journal written under another name is refused on resume"),
            ConfigKey.optional("jparallel.worker.java", Type.STRING, null,
                    "command that starts a worker JVM, several words allowed (default: the manager's java)"),
            ConfigKey.optional("jparallel.worker.jvm-options", Type.STRING, null,
                    "worker JVM options, separated by spaces"),
            ConfigKey.optional("jparallel.worker.classpath", Type.STRING, null,
                    "worker classpath (default: the manager's)"),
            ConfigKey.optional("jparallel.worker.output", Type.STRING, ManagerSettings.DEFAULT_OUTPUT_PATTERN,
                    "worker output file pattern; %d is the worker id, %p the manager's port"),
            ConfigKey.optional("jparallel.worker.death-timeout", Type.DURATION, "60s",
                    "silence after which a worker presumes the manager gone and exits"));

    private CoreKeys() {
    }
}
