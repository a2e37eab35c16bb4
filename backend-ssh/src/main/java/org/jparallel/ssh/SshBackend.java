package org.jparallel.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jparallel.ConfigurationException;
import org.jparallel.spi.BackendSettings;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.ConfigKey.Type;
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

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    private static final List<ConfigKey> KEYS = List.of(
            ConfigKey.required("hosts", Type.LIST,
                    "hosts and their slots, e.g. node1:4,node2:8 (no count: 1 slot); jparallel.workers are placed round-robin"),
            ConfigKey.optional("user", Type.STRING, null, "remote user (empty: the manager's user name)"),
            ConfigKey.optional("port", Type.INT, "22", "SSH port of every host"),
            ConfigKey.optional("identity", Type.LIST, null,
                    "private key files (empty: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, those that exist)"),
            ConfigKey.optional("passphrase-env", Type.STRING, null,
                    "name of the environment variable holding the private keys' passphrase"),
            ConfigKey.optional("known-hosts", Type.PATH, null, "known_hosts file host keys are checked against"
                    + " (empty: ~/.ssh/known_hosts)"),
            ConfigKey.optional("host-key", Type.STRING, "strict", "host key policy: strict (only keys in known_hosts),"
                    + " accept-new (record keys of new hosts; refuse changed ones) or insecure (no check, loud warning)"),
            ConfigKey.optional("java", Type.STRING, "java",
                    "remote command starting a JVM, several words allowed; looked up on the remote non-interactive PATH"),
            ConfigKey.optional("directory", Type.STRING, null,
                    "remote working directory of the workers, created if missing (empty: the remote home)"),
            ConfigKey.optional("env-prefix", Type.STRING, null, "shell commands run before the worker in the same"
                    + " /bin/sh, e.g. '. /opt/env.sh' or 'PATH=/opt/jdk/bin:$PATH'"),
            ConfigKey.optional("classpath", Type.STRING, null,
                    "worker classpath on the remote hosts, e.g. on a shared filesystem (empty: the manager's, same paths)"),
            ConfigKey.optional("ship", Type.BOOLEAN, "false", "upload the manager's classpath by SFTP into"
                    + " ~/.cache/jparallel/jars/<sha256>.jar on each host, skipping jars already there"),
            ConfigKey.optional("tunnel", Type.BOOLEAN, "false", "workers reach the manager through a reverse port"
                    + " forward of their SSH session instead of a direct TCP connection"),
            ConfigKey.optional("connect-timeout", Type.DURATION, "30s",
                    "how long connecting, authenticating and reaching java on a host may each take"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "worker JVMs started on other machines over SSH (JSch), jars optionally shipped by SFTP";
    }

    @Override
    public List<ConfigKey> configKeys() {
        return KEYS;
    }

    @Override
    public WorkerGroup createGroup(int count, Map<String, String> settings) {
        BackendSettings s = new BackendSettings(settings);
        String hosts = s.value("hosts");
        if (hosts == null) {
            throw new ConfigurationException("Missing jparallel.ssh.hosts: the hosts to start workers on, e.g. node1:4,node2:8");
        }
        SshWorker w;
        try {
            w = new SshWorker(hosts, count);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("Bad jparallel.ssh.hosts: " + e.getMessage());
        }
        return configure(w, s);
    }

    /**
     * A check per host, connecting as the workers will (same settings, same host-key verification), but
     * never writing known_hosts.
     */
    @Override
    public List<DoctorCheck> doctorChecks(DoctorContext context) {
        SshWorker w;
        try {
            w = configure(new SshWorker(context.value("hosts")), new BackendSettings(context.settings()));
        } catch (RuntimeException e) {
            return List.of(DoctorCheck.of("ssh settings", () -> DoctorCheck.Result.fail(e.getMessage(),
                    "correct " + context.key("hosts") + " and the other jparallel.ssh keys")));
        }
        List<DoctorCheck> checks = new ArrayList<>();
        for (String host : new LinkedHashSet<>(w.hosts().stream().map(SshHost::host).toList())) {
            checks.add(new SshHostCheck(context, w.settings, host));
        }
        return checks;
    }

    private static SshWorker configure(SshWorker w, BackendSettings s) {
        s.ifSet("user", w::user);
        s.ifSet("port", v -> w.port(Integer.parseInt(v)));
        s.ifSet("identity", v -> w.identity(paths(v)));
        s.ifSet("passphrase-env", w::passphraseEnv);
        s.ifSet("known-hosts", v -> w.knownHosts(Path.of(v)));
        s.ifSet("host-key", v -> {
            try {
                w.hostKeyPolicy(HostKeyPolicy.parse(v));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("Bad jparallel.ssh.host-key: " + e.getMessage());
            }
        });
        s.ifSet("java", v -> {
            try {
                w.javaCommand(v);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("Bad jparallel.ssh.java: " + e.getMessage());
            }
        });
        s.ifSet("directory", w::directory);
        s.ifSet("env-prefix", w::envPrefix);
        s.ifSet("classpath", w::classpath);
        s.ifSet("ship", v -> w.ship(Boolean.parseBoolean(v)));
        s.ifSet("tunnel", v -> w.tunnel(Boolean.parseBoolean(v)));
        s.ifSet("connect-timeout", v -> w.connectTimeout(duration(v)));
        return w;
    }

    /** @return the paths of a comma-separated list, blank entries skipped */
    private static Path[] paths(String list) {
        List<Path> out = new ArrayList<>();
        for (String p : list.split(",")) {
            if (!p.isBlank()) {
                out.add(Path.of(p.trim()));
            }
        }
        return out.toArray(new Path[0]);
    }

    /** @return {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h} or a bare number of seconds as a duration */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigurationException("Bad jparallel.ssh.connect-timeout: '" + text + "'; expected e.g. 30s");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
