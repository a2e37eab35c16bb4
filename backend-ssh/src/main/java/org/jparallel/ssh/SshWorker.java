package org.jparallel.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;

/**
 * Workers on other machines, started over SSH: the way to use a handful of lab machines without a
 * scheduler.
 *
 * <pre>{@code
 * manager.addWorker(new SshWorker("node1:4,node2:8")      // 12 workers
 *         .user("alice").identity(Path.of("/home/alice/.ssh/id_ed25519"))
 *         .ship(true));                                    // upload the classpath, skip unchanged jars
 * }</pre>
 *
 * <p>Host keys are checked against {@code ~/.ssh/known_hosts} and an unknown or changed key is
 * refused with its fingerprint and the command that trusts it ({@link HostKeyPolicy}). Each worker
 * has its own SSH session and runs in an exec channel under {@code /bin/sh -c}, never a login shell;
 * the run's secret travels in the channel's standard input, never on the remote command line. The
 * classpath is the manager's, either at the same paths on a shared filesystem ({@link #classpath}
 * for other paths) or shipped by SFTP ({@link #ship}). Workers connect back to the manager over TCP,
 * or, with {@link #tunnel}, through a reverse port forward of their own session, so hosts behind a
 * firewall need no route to the manager. Each worker's output is copied into its local output file.
 * Every setting left unset has the default documented on its setter.
 */
public final class SshWorker implements WorkerGroup {
    private final List<SshHost> hosts;
    private final int count;
    final SshSettings settings = new SshSettings();
    private final SshLauncher launcher;

    /**
     * Workers on a host list: one per slot.
     *
     * @param hosts one host ({@code node1}) or a list with slots ({@code node1:4,node2:8})
     * @throws IllegalArgumentException when the list is malformed
     */
    public SshWorker(String hosts) {
        this(hosts, -1);
    }

    /**
     * {@code count} workers placed round-robin on the hosts' slots.
     *
     * @param hosts a host list, e.g. {@code node1:4,node2:8}
     * @param count how many workers, at most the sum of the slots; -1 for one per slot
     * @throws IllegalArgumentException when the list is malformed or has too few slots
     */
    public SshWorker(String hosts, int count) {
        this.hosts = SshHostList.parse(hosts);
        int total = SshHostList.totalSlots(this.hosts);
        this.count = count < 0 ? total : count;
        if (this.count < 1) {
            throw new IllegalArgumentException("SshWorker count must be at least 1, got " + count);
        }
        SshHostList.place(this.hosts, this.count); // fail now when the slots do not suffice
        this.launcher = new SshLauncher(this.hosts, settings);
    }

    /** @return this, logging in as {@code user}. Default: the manager's user name. */
    public SshWorker user(String user) {
        settings.user = Objects.requireNonNull(user, "user");
        return this;
    }

    /** @return this, with the SSH port of every host. Default 22. */
    public SshWorker port(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad SSH port " + port);
        }
        settings.port = port;
        return this;
    }

    /** @return this, with private key files. Default: {@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa}, those that exist. */
    public SshWorker identity(Path... files) {
        settings.identities = List.copyOf(Arrays.asList(files));
        return this;
    }

    /** @return this, reading the keys' passphrase from the environment variable {@code name}. Default: keys are not encrypted. */
    public SshWorker passphraseEnv(String name) {
        settings.passphraseEnv = Objects.requireNonNull(name, "name");
        return this;
    }

    /** @return this, checking host keys against {@code file}. Default {@code ~/.ssh/known_hosts}. */
    public SshWorker knownHosts(Path file) {
        settings.knownHosts = Objects.requireNonNull(file, "file");
        return this;
    }

    /** @return this, with a host key policy. Default {@link HostKeyPolicy#STRICT}. */
    public SshWorker hostKeyPolicy(HostKeyPolicy policy) {
        settings.hostKeyPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * @param command the remote command starting a JVM, several words allowed. Default {@code java},
     *     found on the PATH of the remote non-interactive shell (the manager's java path is not used)
     * @return this
     */
    public SshWorker javaCommand(String command) {
        new RemoteCommand().javaCommand(command); // fail now on a bad command
        settings.javaCommand = command;
        return this;
    }

    /** @return this, with the workers' working directory on the remote host, created if missing. Default: the remote user's home. */
    public SshWorker directory(String remoteDirectory) {
        settings.directory = Objects.requireNonNull(remoteDirectory, "remoteDirectory");
        return this;
    }

    /**
     * @param shellCommands run before the worker in the same {@code /bin/sh}, e.g. {@code . /opt/env.sh}
     *     or {@code PATH=/opt/jdk17/bin:$PATH}; they must not read standard input. Default: none
     * @return this
     */
    public SshWorker envPrefix(String shellCommands) {
        settings.envPrefix = Objects.requireNonNull(shellCommands, "shellCommands");
        return this;
    }

    /** @return this, with the worker classpath as a path on the remote hosts (a shared filesystem). Default: the manager's classpath, same paths. */
    public SshWorker classpath(String remoteClasspath) {
        settings.classpath = Objects.requireNonNull(remoteClasspath, "remoteClasspath");
        return this;
    }

    /** @return this, shipping the manager's classpath to each host's jar cache by SFTP (unchanged jars are skipped). Default false. */
    public SshWorker ship(boolean ship) {
        settings.ship = ship;
        return this;
    }

    /** @return this, with workers reaching the manager through a reverse port forward of their SSH session. Default false. */
    public SshWorker tunnel(boolean tunnel) {
        settings.tunnel = tunnel;
        return this;
    }

    /** @return this, with how long connecting, authenticating and reaching java may each take. Default 30 s. */
    public SshWorker connectTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive, got " + timeout);
        }
        settings.connectTimeout = timeout;
        return this;
    }

    /** Environment used for the passphrase variable; tests replace it. */
    SshWorker environment(Map<String, String> env) {
        settings.env = Map.copyOf(env);
        return this;
    }

    /** @return the host list */
    public List<SshHost> hosts() {
        return hosts;
    }

    /** @return what shipping did on each host during the last start, empty when nothing was shipped */
    public List<JarShipper.Report> lastShipReports() {
        return new ArrayList<>(launcher.lastShipReports());
    }

    /** @return every worker handle this group made so far (failed starts included), in start order */
    public List<SshWorkerHandle> handles() {
        return launcher.handles();
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public String backendName() {
        return SshBackend.NAME;
    }

    /** @return how many host slots are in use by running workers (a slot is given back when its worker ends) */
    public int slotsInUse() {
        return launcher.slots().inUse();
    }

    /** @return true: each start takes free host slots for the ids it is given, so the group can grow (automatic allocation) */
    @Override
    public boolean canGrow() {
        return true;
    }

    /** @return false: a worker ends with its SSH session, so a restarted manager has none to wait for */
    @Override
    public boolean workersOutliveTheManager() {
        return false;
    }

    /** @return the sum of the hosts' slots: automatic allocation's {@code max} may not exceed it */
    @Override
    public int maxSize() {
        return launcher.slots().capacity();
    }

    /**
     * Starts one worker per id, each on a free host slot (the host with the fewest in use first); an id
     * that gets no slot, even after waiting up to the connect timeout for one, gets a FAILED handle
     * saying so.
     */
    @Override
    public List<WorkerHandle> start(LaunchSpec spec) {
        return launcher.start(spec);
    }
}
