package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign on workers with a lifetime (a walltime) survives a kill -9 of its manager: the restarted manager, on
 * the same port and journal, takes back the killed one's workers in place of its group's, and when their lifetime
 * ends it replaces them as it would its own, so the run goes on at its size to the end. Before, the returned workers
 * belonged to no group: they drained at their end and nothing replaced them, and the restart failed with
 * {@code NoMoreWorkersException} (all workers "stopped - drained before the end of its allocation") with most tasks
 * not run (found trying a campaign by hand, docs/benchmarks/2026-12-07-trial2.md).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ReturnedWorkersLifetimeTest {
    /** Enough tasks (each about a millisecond, on two workers) that the restart outlives its returned workers. */
    private static final int TASKS = 30_000;
    private static final int WORKERS = 2;
    private static final long LIFETIME_MS = 6_000;

    @TempDir
    Path dir;

    @Test
    void aRestartedManagerReplacesTheReturnedWorkersWhenTheirLifetimeEnds() throws Exception {
        int port = freePort();
        Path delivered = dir.resolve(JournalKillChild.DELIVERED);
        Process first = start("first", port);
        TestSupport.pollUntil(Duration.ofSeconds(90), () -> !first.isAlive() || count(delivered) >= 500,
                () -> "the first run delivered only " + count(delivered) + " results");
        first.destroyForcibly(); // SIGKILL: its workers seek it again
        assertTrue(first.waitFor(10, TimeUnit.SECONDS), "the manager JVM survived SIGKILL");
        assertTrue(count(delivered) < TASKS, "the first run finished before the kill");

        Process second = start("second", port);
        assertTrue(second.waitFor(180, TimeUnit.SECONDS), "the second run did not finish");
        String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, second.exitValue(), "the second run failed: " + out
                + Files.readString(dir.resolve("second.stderr")));

        List<String> lines = TestSupport.lines(delivered);
        Set<String> keys = new HashSet<>();
        lines.forEach(l -> keys.add(l.split(" ")[0]));
        assertEquals(TASKS, keys.size(), "keys delivered");
        assertEquals(TASKS, lines.size(), "deliveries (each key once)");

        Set<String> firstWorkers = new HashSet<>(TestSupport.lines(dir.resolve("joined-" + first.pid() + ".txt")));
        List<String> secondWorkers = TestSupport.lines(dir.resolve("joined-" + second.pid() + ".txt"));
        List<String> returned = new ArrayList<>(secondWorkers);
        returned.retainAll(firstWorkers);
        assertTrue(!returned.isEmpty(), "no worker of the killed run returned: " + secondWorkers);
        String[] done = out.lines().filter(l -> l.startsWith("DONE ")).findFirst().orElseThrow().split(" ");
        assertTrue(Integer.parseInt(done[3]) > 0, "the restart replaced no returned worker: " + out);
        for (String pid : new HashSet<>(secondWorkers)) { // told to shut down by the restarted manager's close
            TestSupport.awaitGone(Long.parseLong(pid), Duration.ofSeconds(30), "worker " + pid);
        }
    }

    private Process start(String name, int port) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(List.of(JournalKillChild.QUICK_JVM));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), JournalKillChild.class.getName(),
                dir.toString(), Integer.toString(TASKS), Integer.toString(port), Integer.toString(WORKERS), "0",
                Long.toString(LIFETIME_MS)));
        Process p = new ProcessBuilder(command).redirectError(dir.resolve(name + ".stderr").toFile()).start();
        p.getOutputStream().close();
        return p;
    }

    private static long count(Path file) {
        return Files.exists(file) ? TestSupport.lines(file).size() : 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
