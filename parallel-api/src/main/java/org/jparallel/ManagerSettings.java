package org.jparallel;

import java.io.ObjectInputFilter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a manager is configured with, immutable. Built with {@link ManagerBuilder}; the
 * properties-file loader fills the same fields.
 *
 * @param host the host name or address workers use to reach the manager; {@code null} lets each
 *     backend choose (loopback for local workers)
 * @param bindAddress the address to listen on; {@code null} for every interface
 * @param port the port to listen on; 0 for any free port
 * @param javaCommand the command that starts a worker JVM (may hold several words, e.g. a wrapper
 *     script); {@code null} for the manager's own {@code java}
 * @param jvmOptions options for the worker JVM
 * @param classpath the worker's classpath; {@code null} for the manager's own
 * @param outputPattern where each worker's output goes; {@code %d} becomes the worker id
 * @param startTimeout how long a started worker may take to connect before it counts as failed
 * @param heartbeatInterval how often each side sends a heartbeat
 * @param heartbeatTimeout silence after which the manager presumes a worker dead
 * @param workerDeathTimeout silence after which a worker presumes the manager gone; a worker whose manager went
 *     away seeks it again for as long before it exits (sooner when the manager had no journal and nobody has
 *     listened at its port for 2 s)
 * @param maxFrameBytes the largest message (task or result) accepted from an authenticated peer
 * @param maxLostAttempts how many times a task may be running on a worker that is lost before it fails
 * @param taskRetries how many times a task that threw is run again before it fails
 * @param prefetch how many tasks a worker holds at once (it runs them one at a time); 0 for automatic:
 *     one at a time until a worker's first task is back, then as many as the worker runs in about
 *     {@link #AUTO_PREFETCH_WORK_MICROS} (at most {@link #AUTO_PREFETCH_MAX})
 * @param replaceLostWorkers how many lost workers may be replaced by new ones started the same way; {@link
 *     #UNLIMITED_REPLACEMENTS} for no fixed budget (the default), 0 for never
 * @param handshakeTimeout how long a connection may take to authenticate before it is closed
 * @param tls whether the worker protocol runs inside TLS, with the manager's certificate pinned by workers
 * @param tlsKeystore a keystore (PKCS12 or JKS) holding the manager's key and certificate; {@code null}
 *     for a fresh key pair and self-signed certificate per run. Used only when {@code tls} is set
 * @param tlsKeystorePasswordEnv the environment variable holding the keystore's password
 * @param serialFilter an {@link ObjectInputFilter} pattern checked, before jparallel's reject-list of known
 *     gadget classes, for every task, setup and result read on either side; empty for none
 * @param statusPort the port of the status page (HTTP); -1 for none, 0 for any free port
 * @param statusBind the address the status page listens on; {@code null} for {@code 127.0.0.1}
 * @param workerLifetime how long each worker lives from its start, for any backend; {@code null} for no
 *     set end (a batch job's walltime still counts)
 * @param drainMargin how long before its end a worker stops being given tasks and is told to exit once
 *     it holds none; {@code null} for the default, {@link #drainMarginOf 10% of the lifetime, at most 5 minutes}
 * @param workerSlots how many tasks each worker runs at once, sharing one setup per context, unless its group
 *     says otherwise: a number, or {@code auto} for the cores the worker was given; {@code null} for 1
 * @param journal where the result journal is kept; {@code null} for none
 */
public record ManagerSettings(String host, String bindAddress, int port, String javaCommand,
                              List<String> jvmOptions, String classpath, String outputPattern,
                              Duration startTimeout, Duration heartbeatInterval,
                              Duration heartbeatTimeout, Duration workerDeathTimeout,
                              int maxFrameBytes, int maxLostAttempts, int taskRetries, int prefetch,
                              int replaceLostWorkers, Duration handshakeTimeout, boolean tls,
                              String tlsKeystore, String tlsKeystorePasswordEnv, String serialFilter,
                              int statusPort, String statusBind, Duration workerLifetime,
                              Duration drainMargin, String workerSlots, JournalSettings journal) {

    /** The largest frame a Java byte array and a Netty buffer can hold, with room for a header. */
    public static final int MAX_FRAME_LIMIT = Integer.MAX_VALUE - 1024;

    /** {@link #replaceLostWorkers()} without a fixed budget, the default ({@link ManagerBuilder#UNLIMITED}). */
    public static final int UNLIMITED_REPLACEMENTS = Integer.MAX_VALUE;

    /** The default time a connection has to complete the handshake. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    /** The default environment variable holding the password of {@link #tlsKeystore()}. */
    public static final String DEFAULT_KEYSTORE_PASSWORD_ENV = "JPARALLEL_KEYSTORE_PASSWORD";

    /** The longest serial filter pattern, in UTF-8 bytes (it travels to workers in the handshake). */
    public static final int MAX_SERIAL_FILTER_BYTES = 1536;

    /**
     * The most tasks a worker holds at once with automatic prefetch (a prefetch setting of 0); only tasks
     * of under {@link #AUTO_PREFETCH_WORK_MICROS} / 256 (about 8 us) each reach it. 256 rather than 64:
     * a worker woken for a write of tasks runs half its depth before it is refilled, and with more worker
     * JVMs than cores each wake-up of a JVM (its caches and TLB cold after the other JVMs ran) cost more
     * than a trivial task: 8 workers on 2 cores spent 8-9 us of worker CPU a trivial task at 64 and about
     * 4 us at 256, measured (docs/benchmarks/2026-12-06-many.md).
     */
    public static final int AUTO_PREFETCH_MAX = 256;

    /**
     * With automatic prefetch, a worker holds about this much work, in microseconds, judged by how long
     * its recent tasks took each: enough short tasks to hide the network round trip and batch the
     * messages, while a task of this length or longer is sent one at a time, so none waits long behind
     * another on a busy worker while an idle one could run it.
     */
    public static final long AUTO_PREFETCH_WORK_MICROS = 2_000;

    /**
     * The default worker output file pattern: IMP.parallel's {@code worker%d.output} with the
     * manager's port ({@code %p}), so that two managers at once, in one JVM or on one machine, never
     * write to the same file, e.g. {@code jparallel-output/worker1-port40123.output}; in a directory of their
     * own (every backend makes it), so that runs do not pile files up beside the program's.
     */
    public static final String DEFAULT_OUTPUT_PATTERN = "jparallel-output/worker%d-port%p.output";

    /** The default address of the status page: loopback, since it shows the job's data. */
    public static final String DEFAULT_STATUS_BIND = "127.0.0.1";

    /** The longest default drain margin. */
    public static final Duration MAX_DEFAULT_DRAIN_MARGIN = Duration.ofMinutes(5);

    /** Checks every value, so a bad setting fails at build time with the setting's name. */
    public ManagerSettings {
        if (workerLifetime != null) {
            requirePositive("workerLifetime", workerLifetime);
        }
        if (drainMargin != null && drainMargin.isNegative()) {
            throw new IllegalArgumentException("drainMargin must be 0 or more, got " + drainMargin);
        }
        if (workerLifetime != null && drainMargin != null && drainMargin.compareTo(workerLifetime) >= 0) {
            throw new IllegalArgumentException("drainMargin (" + drainMargin + ") must be shorter than workerLifetime ("
                    + workerLifetime + "): a worker would be drained before it starts");
        }
        jvmOptions = List.copyOf(Objects.requireNonNull(jvmOptions, "jvmOptions"));
        Objects.requireNonNull(outputPattern, "outputPattern");
        requirePositive("startTimeout", startTimeout);
        requirePositive("heartbeatInterval", heartbeatInterval);
        requirePositive("heartbeatTimeout", heartbeatTimeout);
        requirePositive("workerDeathTimeout", workerDeathTimeout);
        if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("heartbeatTimeout (" + heartbeatTimeout
                    + ") must be longer than heartbeatInterval (" + heartbeatInterval + ")");
        }
        if (workerDeathTimeout.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("workerDeathTimeout (" + workerDeathTimeout
                    + ") must be longer than heartbeatInterval (" + heartbeatInterval + ")");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (maxFrameBytes < 64 * 1024 || maxFrameBytes > MAX_FRAME_LIMIT) {
            throw new IllegalArgumentException("maxFrameBytes must be 65536.." + MAX_FRAME_LIMIT + ", got " + maxFrameBytes);
        }
        if (maxLostAttempts < 1) {
            throw new IllegalArgumentException("maxLostAttempts must be at least 1, got " + maxLostAttempts);
        }
        if (taskRetries < 0) {
            throw new IllegalArgumentException("taskRetries must be 0 or more, got " + taskRetries);
        }
        if (replaceLostWorkers < 0) {
            throw new IllegalArgumentException("replaceLostWorkers must be 0 or more (ManagerBuilder.UNLIMITED for no fixed budget), got " + replaceLostWorkers);
        }
        if (prefetch < 0) {
            throw new IllegalArgumentException("prefetch must be 0 (automatic) or more, got " + prefetch);
        }
        requirePositive("handshakeTimeout", handshakeTimeout);
        if (tlsKeystorePasswordEnv == null || tlsKeystorePasswordEnv.isBlank()) {
            tlsKeystorePasswordEnv = DEFAULT_KEYSTORE_PASSWORD_ENV;
        }
        serialFilter = checkSerialFilter(serialFilter);
        if (statusPort < -1 || statusPort > 65535) {
            throw new IllegalArgumentException("statusPort must be -1 (off) or 0..65535, got " + statusPort);
        }
        statusBind = statusBind == null || statusBind.isBlank() ? DEFAULT_STATUS_BIND : statusBind.trim();
        workerSlots = workerSlots == null || workerSlots.isBlank() ? "1"
                : org.jparallel.spi.LaunchSpec.checkSlots(workerSlots);
    }

    /** The settings of earlier versions, without worker slots. */
    public ManagerSettings(String host, String bindAddress, int port, String javaCommand,
                           List<String> jvmOptions, String classpath, String outputPattern,
                           Duration startTimeout, Duration heartbeatInterval,
                           Duration heartbeatTimeout, Duration workerDeathTimeout,
                           int maxFrameBytes, int maxLostAttempts, int taskRetries, int prefetch,
                           int replaceLostWorkers, Duration handshakeTimeout, boolean tls,
                           String tlsKeystore, String tlsKeystorePasswordEnv, String serialFilter,
                           int statusPort, String statusBind, Duration workerLifetime, Duration drainMargin) {
        this(host, bindAddress, port, javaCommand, jvmOptions, classpath, outputPattern, startTimeout,
                heartbeatInterval, heartbeatTimeout, workerDeathTimeout, maxFrameBytes, maxLostAttempts,
                taskRetries, prefetch, replaceLostWorkers, handshakeTimeout, tls, tlsKeystore,
                tlsKeystorePasswordEnv, serialFilter, statusPort, statusBind, workerLifetime, drainMargin, null, null);
    }

    /** The settings of earlier versions, without worker lifetimes or a journal. */
    public ManagerSettings(String host, String bindAddress, int port, String javaCommand,
                           List<String> jvmOptions, String classpath, String outputPattern,
                           Duration startTimeout, Duration heartbeatInterval,
                           Duration heartbeatTimeout, Duration workerDeathTimeout,
                           int maxFrameBytes, int maxLostAttempts, int taskRetries, int prefetch,
                           int replaceLostWorkers, Duration handshakeTimeout, boolean tls,
                           String tlsKeystore, String tlsKeystorePasswordEnv, String serialFilter,
                           int statusPort, String statusBind) {
        this(host, bindAddress, port, javaCommand, jvmOptions, classpath, outputPattern, startTimeout,
                heartbeatInterval, heartbeatTimeout, workerDeathTimeout, maxFrameBytes, maxLostAttempts,
                taskRetries, prefetch, replaceLostWorkers, handshakeTimeout, tls, tlsKeystore,
                tlsKeystorePasswordEnv, serialFilter, statusPort, statusBind, null, null, null, null);
    }

    /**
     * @param lifetime a worker's lifetime
     * @return the margin before the end of that lifetime at which the worker is drained: the configured
     *     {@link #drainMargin()}, or 10% of the lifetime, at most {@link #MAX_DEFAULT_DRAIN_MARGIN}
     */
    public Duration drainMarginOf(Duration lifetime) {
        if (drainMargin != null) {
            return drainMargin;
        }
        Duration tenth = lifetime.dividedBy(10);
        return tenth.compareTo(MAX_DEFAULT_DRAIN_MARGIN) > 0 ? MAX_DEFAULT_DRAIN_MARGIN : tenth;
    }

    /** The settings of earlier versions, without a status page. */
    public ManagerSettings(String host, String bindAddress, int port, String javaCommand,
                           List<String> jvmOptions, String classpath, String outputPattern,
                           Duration startTimeout, Duration heartbeatInterval,
                           Duration heartbeatTimeout, Duration workerDeathTimeout,
                           int maxFrameBytes, int maxLostAttempts, int taskRetries, int prefetch,
                           int replaceLostWorkers, Duration handshakeTimeout, boolean tls,
                           String tlsKeystore, String tlsKeystorePasswordEnv, String serialFilter) {
        this(host, bindAddress, port, javaCommand, jvmOptions, classpath, outputPattern, startTimeout,
                heartbeatInterval, heartbeatTimeout, workerDeathTimeout, maxFrameBytes, maxLostAttempts,
                taskRetries, prefetch, replaceLostWorkers, handshakeTimeout, tls, tlsKeystore,
                tlsKeystorePasswordEnv, serialFilter, -1, null);
    }

    /**
     * The settings of earlier versions, with the security settings at their defaults: a 10 s
     * handshake timeout, no TLS, no extra serial filter.
     */
    public ManagerSettings(String host, String bindAddress, int port, String javaCommand,
                           List<String> jvmOptions, String classpath, String outputPattern,
                           Duration startTimeout, Duration heartbeatInterval,
                           Duration heartbeatTimeout, Duration workerDeathTimeout,
                           int maxFrameBytes, int maxLostAttempts, int taskRetries, int prefetch,
                           int replaceLostWorkers) {
        this(host, bindAddress, port, javaCommand, jvmOptions, classpath, outputPattern, startTimeout,
                heartbeatInterval, heartbeatTimeout, workerDeathTimeout, maxFrameBytes, maxLostAttempts,
                taskRetries, prefetch, replaceLostWorkers, DEFAULT_HANDSHAKE_TIMEOUT, false, null, null, "", -1, null);
    }

    private static String checkSerialFilter(String pattern) {
        String p = pattern == null ? "" : pattern.trim();
        if (p.getBytes(StandardCharsets.UTF_8).length > MAX_SERIAL_FILTER_BYTES) {
            throw new IllegalArgumentException("serialFilter is longer than " + MAX_SERIAL_FILTER_BYTES
                    + " bytes; use package patterns (com.example.**) rather than single classes");
        }
        if (!p.isEmpty()) {
            try {
                ObjectInputFilter.Config.createFilter(p);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("serialFilter '" + p + "' is not a valid ObjectInputFilter "
                        + "pattern: " + e.getMessage(), e);
            }
        }
        return p;
    }

    private static void requirePositive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    /** @return the settings a manager has when nothing is configured */
    public static ManagerSettings defaults() {
        return new ManagerBuilder().settings();
    }
}
