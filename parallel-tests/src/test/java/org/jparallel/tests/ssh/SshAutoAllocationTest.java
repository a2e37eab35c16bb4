package org.jparallel.tests.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jparallel.Allocation;
import org.jparallel.AllocationDecision;
import org.jparallel.ConfigurationException;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;
import org.jparallel.ssh.SshWorker;
import org.jparallel.tests.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic allocation of an SSH group through the real OpenSSH sshd ({@code scripts/sshd-up.sh}),
 * configured from a properties file alone, the same keys as a local group's: from 0 to the 3 slots
 * of {@code localhost:3} under a backlog, after the idle timeout every worker released and no worker
 * process left on the host, and the freed slots taken again by a second backlog. A max above the host
 * slots is refused before anything starts.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SshAutoAllocationTest {
    private static final int TASKS = 300;

    @TempDir
    Path dir;

    private Path properties(String max) throws Exception {
        Path f = dir.resolve("jparallel.properties");
        Files.write(f, List.of("jparallel.backend=ssh", "jparallel.ssh.hosts=localhost:3",
                "jparallel.ssh.port=" + SshServer.PORT, "jparallel.ssh.user=root",
                "jparallel.ssh.identity=" + SshServer.IDENTITY, "jparallel.ssh.known-hosts=" + SshServer.KNOWN_HOSTS,
                "jparallel.worker.output=" + dir.resolve("w%d.out"),
                "jparallel.alloc.max=" + max, "jparallel.alloc.idle-timeout=2s", "jparallel.alloc.min-interval=1s"));
        return f;
    }

    @Test
    void growsFromZeroToTheHostSlotsReleasesTheIdleWorkersLeavingNoProcessThenRegrowsOnTheFreedSlots() throws Exception {
        SshServer.requireUp();
        long t0 = System.nanoTime();
        try (Manager manager = Manager.fromProperties(properties("3"))) {
            String token = ":" + manager.listenAddress().getPort() + " ";
            assertTrue(manager.workers().isEmpty(), "no worker before there is work");
            Context<Void, long[]> ctx = manager.getContext();
            for (int i = 0; i < TASKS; i++) {
                long k = i;
                ctx.addTask(s -> {
                    Thread.sleep(20);
                    return new long[] {k, ProcessHandle.current().pid()};
                });
            }
            Set<Long> keys = new HashSet<>();
            Set<Long> pids = new HashSet<>();
            int mostAlive = 0;
            int mostProcesses = 0;
            for (long[] r : ctx.getResultsUnordered()) {
                assertTrue(keys.add(r[0]), "result of task " + r[0] + " twice");
                pids.add(r[1]);
                mostAlive = Math.max(mostAlive, alive(manager.workers()));
                if (keys.size() % 50 == 0) {
                    mostProcesses = Math.max(mostProcesses, SshServer.workerProcesses(token).size());
                }
            }
            long doneMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(TASKS, keys.size());
            assertTrue(mostAlive <= 3, "never above the 3 host slots: " + mostAlive);
            assertTrue(mostProcesses <= 3, "never more than 3 worker processes on the host: " + mostProcesses);
            assertEquals(3, pids.size(), "the group grew to its 3 slots under the backlog: " + manager.allocations());

            long releasedFrom = System.nanoTime();
            TestSupport.pollUntil(Duration.ofSeconds(20), () -> alive(manager.workers()) == 0,
                    () -> "every idle worker released: " + TestSupport.describe(manager.workers()));
            List<WorkerInfo> ws = manager.workers();
            assertEquals(3, ws.size(), "no replacement started: " + TestSupport.describe(ws));
            for (WorkerInfo w : ws) {
                assertEquals(WorkerInfo.State.STOPPED, w.state(), "released, not lost: " + w);
                assertTrue(w.detail().startsWith("released by automatic allocation: idle for"), w.detail());
            }
            // the manager is still open: the remote processes ended because they were released
            TestSupport.pollUntil(Duration.ofSeconds(15), () -> SshServer.workerProcesses(token).isEmpty(),
                    () -> "worker processes left on the host after the release: " + SshServer.workerProcesses(token));
            for (long pid : pids) {
                assertTrue(SshServer.commandLine(pid).isEmpty() || SshTunnelTest.isZombie(pid),
                        "worker pid " + pid + " still runs: " + SshServer.commandLine(pid));
            }
            long goneMs = (System.nanoTime() - releasedFrom) / 1_000_000;
            List<AllocationDecision> ds = manager.allocations();
            assertEquals(3, ds.stream().filter(d -> d.kind() == AllocationDecision.Kind.SUBMIT)
                    .mapToInt(AllocationDecision::workers).sum(), ds.toString());
            assertEquals(3, ds.stream().filter(d -> d.kind() == AllocationDecision.Kind.RELEASE).count(), ds.toString());
            assertEquals(TASKS, manager.stats().tasksSucceeded());

            // the released workers gave their slots back: a second backlog gets all 3 slots again
            long again = System.nanoTime();
            Context<Void, Long> second = manager.getContext();
            for (int i = 0; i < 60; i++) {
                second.addTask(s -> {
                    Thread.sleep(100);
                    return ProcessHandle.current().pid();
                });
            }
            Set<Long> secondPids = new HashSet<>();
            second.getResultsUnordered().forEach(secondPids::add);
            assertEquals(3, secondPids.size(), "the group grew again to its 3 freed slots: " + manager.allocations());
            assertTrue(secondPids.stream().noneMatch(pids::contains), "new workers: " + secondPids + " " + pids);
            assertTrue(manager.workers().stream().noneMatch(w -> w.state() == WorkerInfo.State.FAILED),
                    "no start failed for want of a slot: " + TestSupport.describe(manager.workers()));
            System.out.println("ssh alloc: " + TASKS + " tasks on 0..3 ssh workers done in " + doneMs
                    + " ms; every worker released and its process gone " + goneMs + " ms after the last result;"
                    + " 60 more tasks on 3 new workers on the freed slots in " + (System.nanoTime() - again) / 1_000_000
                    + " ms");
        }
    }

    @Test
    void aMaxAboveTheHostSlotsIsRefusedAtConfigurationNamingBothNumbers() throws Exception {
        Path f = properties("5");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Manager.fromProperties(f).close());
        assertTrue(e.getMessage().contains("jparallel.alloc.max=5 is more workers than group 'default' (ssh backend)"
                + " can run at once: 3 (for an ssh group, the sum of its hosts' slots). Set jparallel.alloc.max to 3"
                + " at most"), e.getMessage());
    }

    @Test
    void aNamedGroupsMaxAboveItsHostSlotsIsRefusedNamingItsOwnKey() throws Exception {
        Path f = dir.resolve("groups.properties");
        Files.write(f, List.of("jparallel.groups=lab", "jparallel.group.lab.backend=ssh",
                "jparallel.group.lab.hosts=node1:1,node2:2", "jparallel.group.lab.alloc.max=4"));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Manager.fromProperties(f).close());
        assertTrue(e.getMessage().contains("jparallel.group.lab.alloc.max=4 is more workers than group 'lab' (ssh"
                + " backend) can run at once: 3"), e.getMessage());
    }

    @Test
    void aMaxAboveTheHostSlotsIsRefusedByAddWorkerNamingBothNumbers() {
        try (Manager manager = Manager.builder().outputPattern(dir.resolve("w%d.out").toString()).build()) {
            SshWorker lab = new SshWorker("node1:1,node2:2");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> manager.addWorker(lab, "lab", Allocation.upTo(4)));
            assertEquals("the ssh worker group 'lab' runs at most 3 worker(s) at once (for ssh: the sum of its hosts'"
                    + " slots), but its automatic allocation's max is 4: lower the max to 3, or give the group more"
                    + " room (more hosts or slots)", e.getMessage());
            assertTrue(manager.workers().isEmpty());
            manager.addWorker(lab, "lab", Allocation.upTo(3)); // its slots exactly: accepted
        }
    }

    private static int alive(List<WorkerInfo> ws) {
        List<WorkerInfo> live = new ArrayList<>(ws);
        live.removeIf(w -> w.state() != WorkerInfo.State.STARTING && w.state() != WorkerInfo.State.CONNECTED);
        return live.size();
    }
}
