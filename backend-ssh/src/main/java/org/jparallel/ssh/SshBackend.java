package org.jparallel.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.jparallel.ConfigurationException;
import org.jparallel.spi.BackendSettings;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.DoctorCheck;
import org.jparallel.spi.DoctorContext;
import org.jparallel.spi.WorkerBackend;
import org.jparallel.spi.WorkerGroup;

/**
 * Makes {@link SshWorker} groups from configuration ({@code jparallel.backend=ssh} and the {@code
 * jparallel.ssh.*} keys), found by the core through {@link java.util.ServiceLoader}.
 */
public final class SshBackend implements WorkerBackend {
    /** The name configuration uses for this backend. */
    public static final String NAME = "ssh";

    /** Key: the hosts and their slots. */
    static final ConfigKey<List<String>> HOSTS = ConfigKey.list("hosts", null,
            "hosts and their slots, e.g. node1:4,node2:8 (no count: 1 slot); jparallel.workers are placed round-robin")
            .required();
    /** Key: the remote user. */
    static final ConfigKey<String> USER = ConfigKey.string("user", null, "remote user (empty: the manager's user name)");
    /** Key: the SSH port. */
    static final ConfigKey<Integer> PORT = ConfigKey.integer("port", "22", "SSH port of every host");
    /** Key: the private key files. */
    static final ConfigKey<List<String>> IDENTITY = ConfigKey.list("identity", null,
            "private key files (empty: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, those that exist)");
    /** Key: the variable holding the passphrase. */
    static final ConfigKey<String> PASSPHRASE_ENV = ConfigKey.string("passphrase-env", null,
            "name of the environment variable holding the private keys' passphrase");
    /** Key: the known_hosts file. */
    static final ConfigKey<Path> KNOWN_HOSTS = ConfigKey.path("known-hosts", null,
            "known_hosts file host keys are checked against (empty: ~/.ssh/known_hosts)");
    /** Key: the host key policy. */
    static final ConfigKey<String> HOST_KEY = ConfigKey.string("host-key", "strict", "host key policy: strict (only"
            + " keys in known_hosts), accept-new (record keys of new hosts; refuse changed ones) or insecure (no check,"
            + " loud warning)");
    /** Key: the remote java command. */
    static final ConfigKey<String> JAVA = ConfigKey.string("java", "java",
            "remote command starting a JVM, several words allowed; looked up on the remote non-interactive PATH");
    /** Key: the remote working directory. */
    static final ConfigKey<String> DIRECTORY = ConfigKey.string("directory", null,
            "remote working directory of the workers, created if missing (empty: the remote home)");
    /** Key: shell commands run before the worker. */
    static final ConfigKey<String> ENV_PREFIX = ConfigKey.string("env-prefix", null, "shell commands run before the"
            + " worker in the same /bin/sh, e.g. '. /opt/env.sh' or 'PATH=/opt/jdk/bin:$PATH'");
    /** Key: the remote classpath. */
    static final ConfigKey<String> CLASSPATH = ConfigKey.string("classpath", null,
            "worker classpath on the remote hosts, e.g. on a shared filesystem (empty: the manager's, same paths)");
    /** Key: ship the classpath by SFTP. */
    static final ConfigKey<Boolean> SHIP = ConfigKey.bool("ship", "false", "upload the manager's classpath by SFTP"
            + " into ~/.cache/jparallel/jars/<sha256>.jar on each host, skipping jars already there");
    /** Key: reach the manager through a reverse port forward. */
    static final ConfigKey<Boolean> TUNNEL = ConfigKey.bool("tunnel", "false", "workers reach the manager through a"
            + " reverse port forward of their SSH session instead of a direct TCP connection");
    /** Key: how long each connection step may take. */
    static final ConfigKey<Duration> CONNECT_TIMEOUT = ConfigKey.duration("connect-timeout", "30s",
            "how long connecting, authenticating and reaching java on a host may each take");

    private static final List<ConfigKey<?>> KEYS = List.of(HOSTS, USER, PORT, IDENTITY, PASSPHRASE_ENV, KNOWN_HOSTS,
            HOST_KEY, JAVA, DIRECTORY, ENV_PREFIX, CLASSPATH, SHIP, TUNNEL, CONNECT_TIMEOUT);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "worker JVMs started on other machines over SSH (JSch), jars optionally shipped by SFTP";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return KEYS;
    }

    @Override
    public WorkerGroup createGroup(int count, BackendSettings settings) {
        if (!settings.isSet(HOSTS)) {
            throw new ConfigurationException("Missing " + settings.keyName(HOSTS)
                    + ": the hosts to start workers on, e.g. node1:4,node2:8");
        }
        SshWorker w;
        try {
            w = new SshWorker(String.join(",", settings.get(HOSTS)), count);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("Bad " + settings.keyName(HOSTS) + ": " + e.getMessage());
        }
        return configure(w, settings);
    }

    /**
     * A check per host, connecting as the workers will (same settings, same host-key verification), but
     * never writing known_hosts.
     */
    @Override
    public List<DoctorCheck> doctorChecks(DoctorContext context) {
        SshWorker w;
        try {
            List<String> hosts = context.settings().get(HOSTS);
            w = configure(new SshWorker(hosts == null ? null : String.join(",", hosts)), context.settings());
        } catch (RuntimeException e) {
            return List.of(DoctorCheck.of("ssh settings", () -> DoctorCheck.Result.fail(e.getMessage(),
                    "correct " + context.key(HOSTS) + " and the other jparallel.ssh keys")));
        }
        List<DoctorCheck> checks = new ArrayList<>();
        for (String host : new LinkedHashSet<>(w.hosts().stream().map(SshHost::host).toList())) {
            checks.add(new SshHostCheck(context, w.settings, host));
        }
        return checks;
    }

    private static SshWorker configure(SshWorker w, BackendSettings s) {
        s.ifSet(USER, w::user);
        s.ifSet(PORT, w::port);
        s.ifSet(IDENTITY, v -> w.identity(v.stream().map(Path::of).toArray(Path[]::new)));
        s.ifSet(PASSPHRASE_ENV, w::passphraseEnv);
        s.ifSet(KNOWN_HOSTS, w::knownHosts);
        s.ifSet(HOST_KEY, v -> {
            try {
                w.hostKeyPolicy(HostKeyPolicy.parse(v));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("Bad " + s.keyName(HOST_KEY) + ": " + e.getMessage());
            }
        });
        s.ifSet(JAVA, v -> {
            try {
                w.javaCommand(v);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("Bad " + s.keyName(JAVA) + ": " + e.getMessage());
            }
        });
        s.ifSet(DIRECTORY, w::directory);
        s.ifSet(ENV_PREFIX, w::envPrefix);
        s.ifSet(CLASSPATH, w::classpath);
        s.ifSet(SHIP, w::ship);
        s.ifSet(TUNNEL, w::tunnel);
        s.ifSet(CONNECT_TIMEOUT, w::connectTimeout);
        return w;
    }
}
