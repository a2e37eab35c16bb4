package org.jparallel.tests.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;
import org.jparallel.ssh.SshWorker;
import org.jparallel.tests.TestSupport;
import org.jparallel.tests.WorkerSide;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tunnel mode against the sshd that {@code scripts/sshd-up.sh} runs inside the network namespace
 * {@value SshServer#NAMESPACE}: the manager listens on 127.0.0.1 only, and loopback inside the
 * namespace is another network stack, so a worker there has no route to the manager at all (the
 * test checks this first). Workers still connect, through the reverse port forward of their own
 * SSH session; when that session drops, the worker loses the manager at once and exits.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SshTunnelTest {
    private static final Pattern CONNECT = Pattern.compile("--connect (\\S+)");

    @TempDir
    Path tempDir;

    @BeforeEach
    void sshdUp() {
        SshServer.requireNamespaceServerUp();
    }

    @Test
    void workersBehindANamespaceReachAManagerOnLoopbackThroughTheirSessionsOnly() throws Exception {
        try (Manager manager = Manager.builder().bindAddress("127.0.0.1")
                .outputPattern(tempDir.resolve("worker%d.output").toString()).build()) {
            int port = manager.listenAddress().getPort();
            assertUnreachableFromNamespace("127.0.0.1", port);
            assertUnreachableFromNamespace(SshServer.HOST_SIDE_ADDRESS, port);

            long t0 = System.nanoTime();
            SshWorker group = SshServer.workers(SshServer.NAMESPACE_ADDRESS + ":2").tunnel(true);
            manager.addWorker(group);
            List<WorkerInfo> ws = TestSupport.awaitConnected(manager, 2, Duration.ofSeconds(60));
            long connected = (System.nanoTime() - t0) / 1_000_000;
            for (WorkerInfo w : ws) {
                String cmd = SshServer.commandLine(w.pid());
                Matcher m = CONNECT.matcher(cmd);
                assertTrue(m.find(), cmd);
                assertTrue(m.group(1).startsWith("127.0.0.1:") && !m.group(1).equals("127.0.0.1:" + port),
                        "worker " + w.id() + " connects to " + m.group(1) + ", not to a forwarded port");
                assertEquals("net:[" + namespaceInode() + "]", Files.readSymbolicLink(
                        Path.of("/proc", Long.toString(w.pid()), "ns", "net")).toString(),
                        "worker " + w.id() + " does not run in the namespace");
            }

            Context<String, String> ctx = manager.getContext(() -> WorkerSide.countSetup("tunnel"));
            for (int i = 0; i < 30; i++) {
                ctx.addTask(s -> s);
            }
            List<String> results = new ArrayList<>();
            ctx.getResultsUnordered().forEach(results::add);
            assertEquals(30, results.size());
            System.out.println("ssh tunnel: 2 workers in namespace " + SshServer.NAMESPACE + " connected through"
                    + " their sessions in " + connected + " ms; 30 tasks done");

            // Drop one worker's session (kill its sshd process): the tunnel goes with it, the worker exits.
            long victim = ws.get(0).pid();
            long sshdPid = parentOf(victim);
            assertTrue(SshServer.commandLine(sshdPid).startsWith("sshd"), "parent of the worker: "
                    + SshServer.commandLine(sshdPid));
            long droppedAt = System.nanoTime();
            ProcessHandle.of(sshdPid).ifPresent(ProcessHandle::destroyForcibly);
            TestSupport.pollUntil(Duration.ofSeconds(10), () -> SshServer.commandLine(victim).isEmpty()
                    || isZombie(victim), () -> "worker " + victim + " still runs after its session dropped");
            System.out.println("ssh tunnel: worker exited " + (System.nanoTime() - droppedAt) / 1_000_000
                    + " ms after its SSH session was dropped");
            TestSupport.pollUntil(Duration.ofSeconds(10), () -> manager.workers().stream()
                    .anyMatch(w -> w.pid() == victim && w.state() == WorkerInfo.State.LOST),
                    () -> "the manager did not see worker " + victim + " go: " + TestSupport.describe(manager.workers()));
            ctx.addTask(s -> s);
            assertEquals(1, countResults(ctx), "the remaining worker still serves");
        }
    }

    private static int countResults(Context<String, String> ctx) {
        int n = 0;
        for (String r : ctx.getResultsUnordered()) {
            n++;
        }
        return n;
    }

    private static void assertUnreachableFromNamespace(String address, int port) throws Exception {
        SshServer.Result r = SshServer.run("ip", "netns", "exec", SshServer.NAMESPACE, "bash", "-c",
                "exec 3<>/dev/tcp/" + address + "/" + port);
        assertNotEquals(0, r.code(), "the manager is reachable from the namespace at " + address + ":" + port
                + ", so tunnel mode would prove nothing");
    }

    private static String namespaceInode() throws Exception {
        SshServer.Result r = SshServer.run("ip", "netns", "exec", SshServer.NAMESPACE, "readlink", "/proc/self/ns/net");
        return r.output().trim().replaceAll("\\D", "");
    }

    static long parentOf(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    }

    static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (Exception e) {
            return true;
        }
    }
}
