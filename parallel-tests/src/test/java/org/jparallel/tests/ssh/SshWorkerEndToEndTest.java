package org.jparallel.tests.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.TaskFuture;
import org.jparallel.WorkerInfo;
import org.jparallel.ssh.SshWorker;
import org.jparallel.ssh.SshWorkerHandle;
import org.jparallel.tests.TestSupport;
import org.jparallel.tests.WorkerSide;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers started through a real OpenSSH sshd on 127.0.0.1 ({@code scripts/sshd-up.sh}), as root,
 * with the manager's classpath at the same paths (the "shared filesystem" case).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SshWorkerEndToEndTest {

    @TempDir
    Path tempDir;

    @BeforeEach
    void sshdUp() {
        SshServer.requireUp();
    }

    private Manager manager() {
        return Manager.builder().outputPattern(tempDir.resolve("worker%d.output").toString()).build();
    }

    @Test
    void threeWorkersOnTwoHostEntriesRunAHundredTasksWithASetup() {
        long t0 = System.nanoTime();
        try (Manager manager = manager()) {
            SshWorker group = SshServer.workers("127.0.0.1:2,localhost:1");
            manager.addWorker(group);
            List<WorkerInfo> ws = TestSupport.awaitConnected(manager, 3, Duration.ofSeconds(60));
            long connectedMs = (System.nanoTime() - t0) / 1_000_000;
            // the pid each session's shell printed before becoming java is the pid the worker reported
            Map<Long, String> hostOfPid = group.handles().stream()
                    .collect(Collectors.toMap(SshWorkerHandle::remotePid, SshWorkerHandle::host));
            Map<String, Long> perHost = ws.stream().collect(Collectors.groupingBy(
                    w -> String.valueOf(hostOfPid.get(w.pid())), Collectors.counting()));
            assertEquals(Map.of("127.0.0.1", 2L, "localhost", 1L), perHost, TestSupport.describe(ws) + " " + hostOfPid);
            for (WorkerInfo w : ws) {
                String cmd = SshServer.commandLine(w.pid());
                assertTrue(cmd.contains("--secret-stdin"), "worker " + w.id() + " command line: " + cmd);
                assertFalse(cmd.contains("JPARALLEL_SECRET"), cmd);
            }

            Context<String, String> ctx = manager.getContext(() -> WorkerSide.countSetup("ssh"));
            for (int i = 0; i < 100; i++) {
                int k = i;
                ctx.addTask(s -> s + "/" + k);
            }
            List<String> results = new ArrayList<>();
            ctx.getResultsUnordered().forEach(results::add);
            assertEquals(100, results.size());
            Map<String, Integer> tasksPerPid = new HashMap<>();
            for (String r : results) {
                assertTrue(r.matches("\\d+:1/\\d+"), "task saw setup result " + r + " (setup ran more than once?)");
                tasksPerPid.merge(r.substring(0, r.indexOf(':')), 1, Integer::sum);
            }
            assertTrue(tasksPerPid.size() >= 2, "tasks ran on " + tasksPerPid);
            System.out.println("ssh: 3 workers connected in " + connectedMs + " ms; 100 tasks with a setup in "
                    + ((System.nanoTime() - t0) / 1_000_000 - connectedMs) + " ms; tasks per worker pid " + tasksPerPid);
        }
    }

    @Test
    void killMinusNineOfOneRemoteWorkerFailsItsTaskOverAndCloseLeavesNoWorkerProcess() throws Exception {
        String token;
        List<Long> pids;
        try (Manager manager = manager()) {
            token = ":" + manager.listenAddress().getPort() + " ";
            manager.addWorker(SshServer.workers("127.0.0.1:2,localhost:1"));
            List<WorkerInfo> ws = TestSupport.awaitConnected(manager, 3, Duration.ofSeconds(60));
            pids = ws.stream().map(WorkerInfo::pid).toList();
            assertEquals(3, SshServer.workerProcesses(token).size(), "worker processes for " + token);

            String dir = tempDir.toString();
            TaskFuture<Long> victimTask = manager.<Long>getContext()
                    .addTask(s -> WorkerSide.sleepOnFirstRun(dir, "victim", 30_000));
            Path starts = tempDir.resolve("victim.starts");
            TestSupport.pollUntil(Duration.ofSeconds(30), () -> lines(starts).size() == 1, () -> "the task never started");
            long victim = Long.parseLong(lines(starts).get(0).split(" ")[0]);
            assertTrue(pids.contains(victim), "the task runs on " + victim + ", not one of " + pids);
            long killedAt = System.nanoTime();
            ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
            long rerunPid = victimTask.get(30, TimeUnit.SECONDS);
            assertNotEquals(victim, rerunPid);
            assertTrue(pids.contains(rerunPid), "re-run on " + rerunPid + ", not one of " + pids);
            System.out.println("ssh: task of the killed remote worker done on another one "
                    + (System.nanoTime() - killedAt) / 1_000_000 + " ms after kill -9");
        }
        long closedAt = System.nanoTime();
        TestSupport.pollUntil(Duration.ofSeconds(15), () -> SshServer.workerProcesses(token).isEmpty(),
                () -> "worker processes left after close: " + SshServer.workerProcesses(token));
        System.out.println("ssh: no worker process left " + (System.nanoTime() - closedAt) / 1_000_000
                + " ms after close (pids were " + pids + ")");
    }

    @Test
    void aDroppedSessionEndsItsWorkerAndTheOthersGoOn() throws Exception {
        try (Manager manager = manager()) {
            manager.addWorker(SshServer.workers("127.0.0.1:2"));
            List<WorkerInfo> ws = TestSupport.awaitConnected(manager, 2, Duration.ofSeconds(60));
            long victim = ws.get(0).pid();
            long sshdPid = SshTunnelTest.parentOf(victim);
            assertTrue(SshServer.commandLine(sshdPid).startsWith("sshd"), "parent of the worker: "
                    + SshServer.commandLine(sshdPid));
            long droppedAt = System.nanoTime();
            ProcessHandle.of(sshdPid).ifPresent(ProcessHandle::destroyForcibly);
            TestSupport.pollUntil(Duration.ofSeconds(15), () -> SshServer.commandLine(victim).isEmpty()
                    || SshTunnelTest.isZombie(victim), () -> "worker " + victim + " still runs after its session dropped");
            System.out.println("ssh: worker exited " + (System.nanoTime() - droppedAt) / 1_000_000
                    + " ms after its SSH session was dropped (direct mode)");
            Context<Void, Long> ctx = manager.getContext();
            ctx.addTask(s -> WorkerSide.pid());
            long ranOn = ctx.getResultsUnordered().iterator().next();
            assertNotEquals(victim, ranOn, "a task ran on the worker whose session dropped");
        }
    }

    @Test
    void remoteJavaMissingIsReportedWithThePathOfTheRemoteShell() {
        try (Manager manager = manager()) {
            manager.addWorker(SshServer.workers("127.0.0.1").javaCommand("no-such-java-17"));
            WorkerInfo w = TestSupport.awaitFailed(manager, Duration.ofSeconds(30));
            assertTrue(w.detail().contains("the java command no-such-java-17 was not found"), w.detail());
            assertTrue(w.detail().contains("PATH=/"), w.detail());
            assertTrue(w.detail().contains("jparallel.ssh.java"), w.detail());
        }
    }

    @Test
    void anUnknownHostKeyIsRefusedWithItsFingerprintAndHowToTrustIt() throws Exception {
        Path empty = Files.createFile(tempDir.resolve("known_hosts"));
        try (Manager manager = manager()) {
            manager.addWorker(SshServer.workers("127.0.0.1").knownHosts(empty));
            WorkerInfo w = TestSupport.awaitFailed(manager, Duration.ofSeconds(30));
            String fp = fingerprint();
            assertTrue(w.detail().contains("not in " + empty), w.detail());
            assertTrue(w.detail().contains(fp), "expected fingerprint " + fp + " in: " + w.detail());
            assertTrue(w.detail().contains("ssh-keyscan -p " + SshServer.PORT + " -t ed25519 127.0.0.1 >> " + empty),
                    w.detail());
            assertTrue(w.detail().contains("accept-new"), w.detail());
            System.out.println("ssh: unknown host key refused: " + w.detail().lines().findFirst().orElse(""));
        }
        assertEquals(0, Files.size(empty), "a refused key must not be recorded");
    }

    @Test
    void acceptNewAcceptsAnUnknownHostKeyAndRecordsIt() throws Exception {
        Path file = tempDir.resolve("ssh/known_hosts");
        try (Manager manager = manager()) {
            manager.addWorker(SshServer.workers("127.0.0.1:2").knownHosts(file)
                    .hostKeyPolicy(org.jparallel.ssh.HostKeyPolicy.ACCEPT_NEW));
            TestSupport.awaitConnected(manager, 2, Duration.ofSeconds(60));
        }
        List<String> recorded = lines(file);
        assertEquals(1, recorded.size(), "one entry, written once for two sessions: " + recorded);
        String key = Files.readString(SshServer.DIR.resolve("ssh_host_ed25519_key.pub")).split(" ")[1];
        assertEquals("[127.0.0.1]:" + SshServer.PORT + " ssh-ed25519 " + key, recorded.get(0));
        // OpenSSH agrees with what was recorded
        SshServer.Result r = SshServer.run("ssh-keygen", "-F", "[127.0.0.1]:" + SshServer.PORT, "-f", file.toString());
        assertEquals(0, r.code(), r.output());
    }

    private static String fingerprint() throws Exception {
        SshServer.Result r = SshServer.run("ssh-keygen", "-lf", SshServer.DIR.resolve("ssh_host_ed25519_key.pub").toString());
        return r.output().split(" ")[1];
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
