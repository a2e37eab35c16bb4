package org.jparallel.ssh;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Opens authenticated, host-key-verified SSH sessions with one set of connection settings: user,
 * port, identity files (with an optional passphrase read from an environment variable), known_hosts
 * file and {@link HostKeyPolicy}. Every failure becomes an {@link SshSetupException} saying what to
 * fix. Thread-safe.
 */
final class SshConnector {
    /** Seconds between keep-alive probes; a session is presumed dropped after three unanswered. */
    static final int SERVER_ALIVE_SECONDS = 5;

    private final String user;
    private final int port;
    private final List<Path> identities;
    private final Path knownHosts;
    private final HostKeyPolicy policy;
    private final Duration connectTimeout;
    private final JSch jsch = new JSch();

    /**
     * @param user the remote user
     * @param port the SSH port
     * @param identities private key files; empty: the usual files in {@code ~/.ssh} that exist
     * @param passphraseEnv the environment variable holding the keys' passphrase, or {@code null}
     * @param knownHosts the known_hosts file
     * @param policy what to do with unknown and changed host keys
     * @param connectTimeout how long connecting and authenticating may take
     * @param env the environment (for the passphrase)
     * @throws SshSetupException when a key cannot be loaded or the passphrase variable is unset
     */
    SshConnector(String user, int port, List<Path> identities, String passphraseEnv, Path knownHosts,
                 HostKeyPolicy policy, Duration connectTimeout, Map<String, String> env) throws SshSetupException {
        this.user = Objects.requireNonNull(user, "user");
        this.port = port;
        this.knownHosts = knownHosts;
        this.policy = policy;
        this.connectTimeout = connectTimeout;
        this.identities = identities.isEmpty() ? defaultIdentities() : List.copyOf(identities);
        if (this.identities.isEmpty()) {
            throw new SshSetupException("no SSH identity: none of ~/.ssh/id_ed25519, id_ecdsa, id_rsa exists;"
                    + " set jparallel.ssh.identity (SshWorker.identity) to a private key file");
        }
        byte[] passphrase = null;
        if (passphraseEnv != null) {
            String p = env.get(passphraseEnv);
            if (p == null) {
                throw new SshSetupException("the environment variable " + passphraseEnv
                        + " (jparallel.ssh.passphrase-env) holding the key passphrase is not set");
            }
            passphrase = p.getBytes(StandardCharsets.UTF_8);
        }
        for (Path id : this.identities) {
            if (!Files.isReadable(id)) {
                throw new SshSetupException("cannot read the SSH identity file " + id + " (jparallel.ssh.identity)");
            }
            try {
                jsch.addIdentity(id.toString(), passphrase);
            } catch (JSchException e) {
                throw new SshSetupException("cannot load the SSH identity " + id + ": " + e.getMessage()
                        + (passphrase == null ? " (if it is encrypted, name the variable holding its passphrase in"
                        + " jparallel.ssh.passphrase-env)" : " (is the passphrase in " + passphraseEnv + " right?)"), e);
            }
        }
    }

    static List<Path> defaultIdentities() {
        Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
        List<Path> out = new ArrayList<>();
        for (String n : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
            if (Files.isRegularFile(ssh.resolve(n))) {
                out.add(ssh.resolve(n));
            }
        }
        return out;
    }

    /** @return user@host:port, for messages */
    String where(String host) {
        return user + "@" + host + ":" + port;
    }

    String user() {
        return user;
    }

    int port() {
        return port;
    }

    /**
     * @param host the host to reach
     * @return a connected, authenticated session whose threads are daemons
     * @throws SshSetupException when the host cannot be reached, its key is refused, or no key is accepted
     */
    Session connect(String host) throws SshSetupException {
        KnownHostsVerifier verifier;
        try {
            verifier = new KnownHostsVerifier(new JSch(), knownHosts, policy);
        } catch (JSchException e) {
            throw new SshSetupException("cannot read the known_hosts file " + knownHosts + ": " + e.getMessage(), e);
        }
        return connect(host, verifier);
    }

    /**
     * @param host the host to reach
     * @param verifier what checks the host's key (doctor's never writes known_hosts)
     * @return a connected, authenticated session whose threads are daemons
     * @throws SshSetupException when the host cannot be reached, its key is refused, or no key is accepted
     */
    Session connect(String host, KnownHostsVerifier verifier) throws SshSetupException {
        Session session;
        try {
            session = jsch.getSession(user, host, port);
        } catch (JSchException e) {
            throw new SshSetupException("cannot open an SSH session to " + where(host) + ": " + e.getMessage(), e);
        }
        session.setHostKeyRepository(verifier);
        session.setConfig("StrictHostKeyChecking", "yes");
        session.setConfig("PreferredAuthentications", "publickey");
        session.setDaemonThread(true);
        try {
            session.setServerAliveInterval(SERVER_ALIVE_SECONDS * 1000);
            session.setServerAliveCountMax(3);
            session.connect((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            return session;
        } catch (JSchException e) {
            session.disconnect();
            throw translate(host, e, verifier.refusal());
        }
    }

    private SshSetupException translate(String host, JSchException e, String refusal) {
        if (refusal != null) {
            return new SshSetupException(where(host) + ": " + refusal, e);
        }
        String msg = String.valueOf(e.getMessage());
        Throwable c = e.getCause();
        if (c instanceof UnknownHostException) {
            return new SshSetupException("cannot connect to " + where(host) + ": unknown host " + host, e);
        }
        if (c instanceof ConnectException || c instanceof NoRouteToHostException || c instanceof SocketTimeoutException
                || msg.contains("timeout")) {
            return new SshSetupException("cannot connect to " + where(host) + " within "
                    + connectTimeout.toSeconds() + " s: " + (c != null ? c.getMessage() : msg)
                    + " (is sshd running there, on port " + port + "? set jparallel.ssh.port)", e);
        }
        if (msg.contains("Auth fail") || msg.contains("Auth cancel")) {
            return new SshSetupException("authentication as " + user + " on " + host + ":" + port
                    + " failed with the identity file(s) " + identities + ": add the matching .pub key to ~" + user
                    + "/.ssh/authorized_keys there, or set jparallel.ssh.user / jparallel.ssh.identity", e);
        }
        return new SshSetupException("cannot open an SSH session to " + where(host) + ": " + msg, e);
    }
}
