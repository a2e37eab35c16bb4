package org.jparallel.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jparallel.ConfigurationException;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.ConfigKey.Type;
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
        String hosts = value(settings, "hosts");
        if (hosts == null) {
            throw new ConfigurationException("Missing jparallel.ssh.hosts: the hosts to start workers on, e.g. node1:4,node2:8");
        }
        SshWorker w;
        try {
            w = new SshWorker(hosts, count);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("Bad jparallel.ssh.hosts: " + e.getMessage());
        }
        String v;
        if ((v = value(settings, "user")) != null) {
            w.user(v);
        }
        if ((v = value(settings, "port")) != null) {
            w.port(Integer.parseInt(v));
        }
        if ((v = value(settings, "identity")) != null) {
            List<Path> ids = new ArrayList<>();
            for (String p : v.split(",")) {
                if (!p.isBlank()) {
                    ids.add(Path.of(p.trim()));
                }
            }
            w.identity(ids.toArray(new Path[0]));
        }
        if ((v = value(settings, "passphrase-env")) != null) {
            w.passphraseEnv(v);
        }
        if ((v = value(settings, "known-hosts")) != null) {
            w.knownHosts(Path.of(v));
        }
        if ((v = value(settings, "host-key")) != null) {
            try {
                w.hostKeyPolicy(HostKeyPolicy.parse(v));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("Bad jparallel.ssh.host-key: " + e.getMessage());
            }
        }
        if ((v = value(settings, "java")) != null) {
            try {
                w.javaCommand(v);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("Bad jparallel.ssh.java: " + e.getMessage());
            }
        }
        if ((v = value(settings, "directory")) != null) {
            w.directory(v);
        }
        if ((v = value(settings, "env-prefix")) != null) {
            w.envPrefix(v);
        }
        if ((v = value(settings, "classpath")) != null) {
            w.classpath(v);
        }
        if ((v = value(settings, "ship")) != null) {
            w.ship(Boolean.parseBoolean(v));
        }
        if ((v = value(settings, "tunnel")) != null) {
            w.tunnel(Boolean.parseBoolean(v));
        }
        if ((v = value(settings, "connect-timeout")) != null) {
            w.connectTimeout(duration(v));
        }
        return w;
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

    /** @return the trimmed value of a key, or {@code null} when it is absent or blank */
    private static String value(Map<String, String> settings, String key) {
        String v = settings == null ? null : settings.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
