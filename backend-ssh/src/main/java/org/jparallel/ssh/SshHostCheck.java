package org.jparallel.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.jparallel.spi.DoctorCheck;
import org.jparallel.spi.DoctorContext;

/**
 * The {@code jparallel doctor} check of one host of an SSH group, made the way the backend connects
 * ({@link SshConnector}, {@link KnownHostsVerifier}): the SSH port answers, the host's key passes the
 * configured policy (read-only: doctor never writes known_hosts), the user's key is accepted, and the
 * java command runs in the remote non-interactive shell.
 */
final class SshHostCheck implements DoctorCheck {
    private final DoctorContext context;
    private final SshSettings settings;
    private final String host;

    SshHostCheck(DoctorContext context, SshSettings settings, String host) {
        this.context = context;
        this.settings = settings;
        this.host = host;
    }

    @Override
    public String name() {
        return "ssh host " + settings.user + "@" + host + ":" + settings.port;
    }

    @Override
    public Result run() {
        int millis = (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout.toMillis());
        int port = settings.port;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), millis);
        } catch (IOException e) {
            return Result.fail("does not answer on port " + port + ": " + e.getMessage(),
                    "check that sshd runs there and the host name is right (" + context.key(SshBackend.HOSTS)
                            + "), or set " + context.key(SshBackend.PORT));
        }
        SshConnector connector;
        KnownHostsVerifier keys;
        try {
            connector = settings.connector();
            keys = KnownHostsVerifier.readOnly(settings.knownHosts, settings.hostKeyPolicy);
        } catch (SshSetupException | JSchException e) {
            return Result.fail("cannot load the SSH settings: " + e.getMessage(), "check " + context.key(SshBackend.IDENTITY)
                    + ", " + context.key(SshBackend.PASSPHRASE_ENV) + " and " + context.key(SshBackend.KNOWN_HOSTS));
        }
        Session session;
        try {
            session = connector.connect(host, keys);
        } catch (SshSetupException e) {
            if (keys.refusal() != null) {
                return Result.fail("answers, but its host key is refused", keys.refusal());
            }
            String msg = String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            if (msg.contains("Auth fail") || msg.contains("Auth cancel")) {
                return Result.fail("host key " + keys.verdict() + "; authentication as " + settings.user + " failed",
                        "add your public key to ~" + settings.user + "/.ssh/authorized_keys there, or set "
                                + context.key(SshBackend.USER) + " / " + context.key(SshBackend.IDENTITY));
            }
            return Result.fail("cannot open an SSH session: " + e.getMessage(), "check the host and " + context.key(SshBackend.PORT));
        }
        try {
            String java = settings.javaCommand;
            String cmd = (settings.envPrefix == null ? "" : settings.envPrefix + "\n") + java + " -version 2>&1";
            String[] result = exec(session, cmd, millis);
            String first = result[1].lines().findFirst().orElse("").strip();
            if (!result[0].equals("0")) {
                return Result.fail("host key " + keys.verdict() + ", logged in, but `" + java + " -version` exited with "
                                + result[0] + ": " + first,
                        "set " + context.key(SshBackend.JAVA) + " to the full path of java 17+ on that host, or put it on the "
                                + "non-interactive PATH with " + context.key(SshBackend.ENV_PREFIX) + ", e.g. 'PATH=/opt/jdk/bin:$PATH'");
            }
            return keys.warning() != null
                    ? Result.warn("logged in; java: " + first + "; but " + keys.warning(),
                            "run the ssh-keyscan line above, or keep jparallel.ssh.host-key="
                                    + settings.hostKeyPolicy.configName())
                    : Result.ok("host key " + keys.verdict() + ", logged in, java: " + first);
        } catch (JSchException | IOException e) {
            return Result.fail("logged in, but cannot run a command: " + e.getMessage(),
                    "check the remote user's shell and " + context.key(SshBackend.ENV_PREFIX));
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
}
