package org.jparallel.tests.ssh;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jparallel.ssh.HostKeyPolicy;
import org.jparallel.ssh.SshWorker;
import org.junit.jupiter.api.Assumptions;

/**
 * The real OpenSSH servers {@code scripts/sshd-up.sh} starts, and helpers around them. Tests call
 * {@link #requireUp()} first: when sshd does not answer, they fail under {@code CI=true} and are
 * skipped otherwise, with the message saying how to start it.
 */
final class SshServer {
    /** Where the script keeps keys, configs and logs. */
    static final Path DIR = Path.of(env("JPARALLEL_SSHD_DIR", "/var/lib/jparallel-sshd"));
    /** The port of both servers. */
    static final int PORT = Integer.parseInt(env("JPARALLEL_SSHD_PORT", "2222"));
    /** The second user, who cannot read root's files. */
    static final String OTHER_USER = env("JPARALLEL_SSHD_USER", "jpworker");
    /** The user key, authorized for root and {@link #OTHER_USER}. */
    static final Path IDENTITY = DIR.resolve("client/id_ed25519");
    /** known_hosts listing the servers' host key under every address. */
    static final Path KNOWN_HOSTS = DIR.resolve("known_hosts");
    /** The network namespace of the tunnel-mode server, and its address there. */
    static final String NAMESPACE = "jparallel-ssh";
    static final String NAMESPACE_ADDRESS = "10.231.77.2";
    /** The manager's machine as seen from inside the namespace. */
    static final String HOST_SIDE_ADDRESS = "10.231.77.1";
    /** The worker main class, as it appears on worker command lines. */
    static final String WORKER_MAIN = "org.jparallel.core.worker.WorkerMain";

    private SshServer() {
    }

    private static String env(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : v;
    }

    /** Fails (CI=true) or skips the test unless sshd answers on 127.0.0.1:{@link #PORT}. */
    static void requireUp() {
        require("127.0.0.1", "sshd is not up: run scripts/sshd-up.sh");
    }

    /** Like {@link #requireUp()}, for the server in the network namespace (tunnel mode). */
    static void requireNamespaceServerUp() {
        require(NAMESPACE_ADDRESS, "sshd is not up in the network namespace " + NAMESPACE
                + ": run scripts/sshd-up.sh (it needs `ip netns`)");
    }

    private static void require(String address, String message) {
        boolean up = Files.isReadable(IDENTITY) && Files.isReadable(KNOWN_HOSTS) && answers(address);
        if (up) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message);
        }
        Assumptions.assumeTrue(false, message);
    }

    private static boolean answers(String address) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, PORT), 1000);
            s.setSoTimeout(2000);
            byte[] banner = new byte[4];
            return s.getInputStream().readNBytes(banner, 0, 4) == 4
                    && new String(banner, StandardCharsets.US_ASCII).equals("SSH-");
        } catch (IOException e) {
            return false;
        }
    }

    /** @return workers on {@code hosts} as root, through the script's key and known_hosts */
    static SshWorker workers(String hosts) {
        return new SshWorker(hosts).port(PORT).user("root").identity(IDENTITY).knownHosts(KNOWN_HOSTS)
                .hostKeyPolicy(HostKeyPolicy.STRICT);
    }

    /** @return the pids of the processes whose command line names the worker main class and {@code token} */
    static List<Long> workerProcesses(String token) {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().matches("\\d+")).forEach(p -> {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    if (cmd.contains(WORKER_MAIN) && cmd.contains(token) && !isZombie(p)) {
                        out.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended while we looked
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static boolean isZombie(Path proc) throws IOException {
        String stat = Files.readString(proc.resolve("stat"), StandardCharsets.US_ASCII);
        int close = stat.lastIndexOf(')');
        return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
    }

    /** @return the command line of process {@code pid}, words separated by spaces; empty when it is gone */
    static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Runs a local command (e.g. {@code ip netns exec ...}) and returns its exit code and output.
     */
    static Result run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + String.join(" ", command));
        }
        return new Result(p.exitValue(), out);
    }

    /** A finished command: its exit code and its output. */
    record Result(int code, String output) {
    }
}
