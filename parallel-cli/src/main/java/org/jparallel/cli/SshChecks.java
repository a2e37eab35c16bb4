package org.jparallel.cli;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UserInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jparallel.core.config.ResolvedConfig;
import org.jparallel.core.config.Values;
import org.jparallel.ssh.HostKeyPolicy;
import org.jparallel.ssh.SshHost;
import org.jparallel.ssh.SshHostList;

/**
 * Checks each host of an SSH group the way the backend will use it: the SSH port answers, the host's
 * key is in known_hosts (under the configured policy; doctor never writes the file), the user's key
 * is accepted, and the java command runs in the remote non-interactive shell.
 */
final class SshChecks {
    private SshChecks() {
    }

    static List<CheckResult> forGroup(ResolvedConfig.Group g) {
        List<CheckResult> out = new ArrayList<>();
        Set<String> hosts = new LinkedHashSet<>();
        for (SshHost h : SshHostList.parse(Doctor.value(g, "hosts"))) {
            hosts.add(h.host());
        }
        for (String host : hosts) {
            out.add(check(g, host));
        }
        return out;
    }

    private static CheckResult check(ResolvedConfig.Group g, String host) {
        String user = orDefault(Doctor.value(g, "user"), System.getProperty("user.name"));
        int port = Integer.parseInt(orDefault(Doctor.value(g, "port"), "22"));
        Duration timeout = Values.toDuration("connect-timeout", orDefault(Doctor.value(g, "connect-timeout"), "30s"), "");
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        String name = "ssh host " + user + "@" + host + ":" + port + " (group " + g.name() + ")";
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), millis);
        } catch (IOException e) {
            return CheckResult.fail(name, "does not answer on port " + port + ": " + e.getMessage(),
                    "check that sshd runs there and the host name is right (" + Doctor.key(g, "hosts")
                            + "), or set " + Doctor.key(g, "port"));
        }
        Path knownHosts = Path.of(orDefault(Doctor.value(g, "known-hosts"),
                Path.of(System.getProperty("user.home"), ".ssh", "known_hosts").toString()));
        HostKeyPolicy policy = HostKeyPolicy.parse(orDefault(Doctor.value(g, "host-key"), "strict"));
        JSch jsch = new JSch();
        ReadOnlyKnownHosts keys;
        Session session;
        try {
            keys = new ReadOnlyKnownHosts(knownHosts, policy);
            for (Path id : identities(g)) {
                String env = Doctor.value(g, "passphrase-env");
                String pass = env == null ? null : System.getenv(env);
                jsch.addIdentity(id.toString(), pass == null ? null : pass.getBytes(StandardCharsets.UTF_8));
            }
            session = jsch.getSession(user, host, port);
        } catch (JSchException e) {
            return CheckResult.fail(name, "cannot load the SSH settings: " + e.getMessage(),
                    "check " + Doctor.key(g, "identity") + ", " + Doctor.key(g, "passphrase-env") + " and "
                            + Doctor.key(g, "known-hosts"));
        }
        session.setHostKeyRepository(keys);
        session.setConfig("StrictHostKeyChecking", "yes");
        session.setConfig("PreferredAuthentications", "publickey");
        session.setDaemonThread(true);
        try {
            session.connect(millis);
        } catch (JSchException e) {
            if (keys.refusal != null) {
                return CheckResult.fail(name, "answers, but its host key is refused", keys.refusal);
            }
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("Auth fail") || msg.contains("Auth cancel")) {
                return CheckResult.fail(name, "host key " + keys.verdict + "; authentication as " + user + " failed",
                        "add your public key to ~" + user + "/.ssh/authorized_keys there, or set " + Doctor.key(g, "user")
                                + " / " + Doctor.key(g, "identity"));
            }
            return CheckResult.fail(name, "cannot open an SSH session: " + msg, "check the host and " + Doctor.key(g, "port"));
        }
        try {
            String java = orDefault(Doctor.value(g, "java"), "java");
            String prefix = Doctor.value(g, "env-prefix");
            String cmd = (prefix == null ? "" : prefix + "\n") + java + " -version 2>&1";
            String[] result = exec(session, cmd, millis);
            String first = result[1].lines().findFirst().orElse("").strip();
            if (!result[0].equals("0")) {
                return CheckResult.fail(name, "host key " + keys.verdict + ", logged in, but `" + java + " -version` "
                                + "exited with " + result[0] + ": " + first,
                        "set " + Doctor.key(g, "java") + " to the full path of java 17+ on that host, or put it on the "
                                + "non-interactive PATH with " + Doctor.key(g, "env-prefix") + ", e.g. 'PATH=/opt/jdk/bin:$PATH'");
            }
            return keys.warning != null
                    ? CheckResult.warn(name, "logged in; java: " + first + "; but " + keys.warning,
                            "run the ssh-keyscan line above, or keep jparallel.ssh.host-key=" + policy.configName())
                    : CheckResult.ok(name, "host key " + keys.verdict + ", logged in, java: " + first);
        } catch (JSchException | IOException e) {
            return CheckResult.fail(name, "logged in, but cannot run a command: " + e.getMessage(),
                    "check the remote user's shell and " + Doctor.key(g, "env-prefix"));
        } finally {
            session.disconnect();
        }
    }

    /** @return {exit status, output} of a command run in an exec channel */
    private static String[] exec(Session session, String command, int timeoutMillis) throws JSchException, IOException {
        ChannelExec ch = (ChannelExec) session.openChannel("exec");
        ch.setCommand(command);
        ch.setInputStream(null);
        InputStream in = ch.getInputStream();
        ch.connect(timeoutMillis);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        byte[] b = new byte[4096];
        while (System.currentTimeMillis() < deadline) {
            while (in.available() > 0) {
                int n = in.read(b);
                if (n < 0) {
                    break;
                }
                buf.write(b, 0, n);
            }
            if (ch.isClosed() && in.available() == 0) {
                break;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String status = ch.isClosed() ? Integer.toString(ch.getExitStatus()) : "no status (timed out)";
        ch.disconnect();
        return new String[] {status, buf.toString(StandardCharsets.UTF_8)};
    }

    private static List<Path> identities(ResolvedConfig.Group g) {
        String v = Doctor.value(g, "identity");
        List<Path> out = new ArrayList<>();
        if (v != null) {
            for (String p : v.split(",")) {
                if (!p.isBlank()) {
                    out.add(Path.of(p.trim()));
                }
            }
            return out;
        }
        Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
        for (String n : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
            if (Files.isRegularFile(ssh.resolve(n))) {
                out.add(ssh.resolve(n));
            }
        }
        return out;
    }

    private static String orDefault(String v, String d) {
        return v == null || v.isBlank() ? d : v;
    }

    /** known_hosts under a policy, never written: an unknown key under accept-new is a warning, not recorded. */
    private static final class ReadOnlyKnownHosts implements HostKeyRepository {
        private final HostKeyRepository known;
        private final Path file;
        private final HostKeyPolicy policy;
        String refusal;
        String warning;
        String verdict = "not checked";

        ReadOnlyKnownHosts(Path file, HostKeyPolicy policy) throws JSchException {
            JSch parser = new JSch();
            if (Files.isRegularFile(file)) {
                parser.setKnownHosts(file.toString());
            }
            this.known = parser.getHostKeyRepository();
            this.file = file;
            this.policy = policy;
        }

        @Override
        public int check(String host, byte[] key) {
            int r = known.check(host, key);
            HostKeyPolicy.Lookup lookup = r == OK ? HostKeyPolicy.Lookup.MATCH
                    : r == CHANGED ? HostKeyPolicy.Lookup.CHANGED : HostKeyPolicy.Lookup.UNKNOWN;
            String type;
            try {
                type = new HostKey(host, key).getType();
            } catch (JSchException e) {
                type = "unknown-key-type";
            }
            String fp = HostKeyPolicy.fingerprint(key);
            switch (policy.decide(lookup)) {
                case ACCEPT -> verdict = "known (" + type + " " + fp + ")";
                case RECORD_AND_ACCEPT -> {
                    verdict = "new";
                    warning = "its key " + type + " " + fp + " is not in " + file + " yet; the first run will record it "
                            + "(jparallel.ssh.host-key=accept-new)";
                }
                case ACCEPT_UNVERIFIED -> {
                    verdict = "NOT verified";
                    warning = "its key is not verified (jparallel.ssh.host-key=insecure)";
                }
                case REFUSE_CHANGED -> {
                    refusal = HostKeyPolicy.changedKeyMessage(host, type, fp, file);
                    return CHANGED;
                }
                default -> {
                    refusal = HostKeyPolicy.unknownKeyMessage(host, type, fp, file);
                    return NOT_INCLUDED;
                }
            }
            return OK;
        }

        @Override
        public void add(HostKey hostkey, UserInfo ui) {
            // read-only: doctor never changes known_hosts
        }

        @Override
        public void remove(String host, String type) {
        }

        @Override
        public void remove(String host, String type, byte[] key) {
        }

        @Override
        public String getKnownHostsRepositoryID() {
            return known.getKnownHostsRepositoryID();
        }

        @Override
        public HostKey[] getHostKey() {
            return known.getHostKey();
        }

        @Override
        public HostKey[] getHostKey(String host, String type) {
            return known.getHostKey(host, type);
        }
    }
}
