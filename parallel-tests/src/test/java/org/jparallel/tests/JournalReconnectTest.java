package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jparallel.core.journal.RunSecret;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers survive their manager: a manager process ({@link JournalKillChild}) on a fixed port, with a journal, is
 * killed with kill -9 at a random moment and started again on the same port with the same journal (and so the same
 * secret, kept beside it). The first run's worker processes (same pids) seek their manager again, return to the
 * restarted one and take the remaining tasks; the restarted manager, which adds the same two workers, starts none.
 * Every key is delivered and no task that finished before the kill runs again, as in {@link JournalKillTest}, at
 * its size (20,000 tasks); two rounds rather than five, as each holds the returning workers' pids to account.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@Tag("scale")
class JournalReconnectTest {
    @TempDir
    Path tempDir;

    @Test
    void workersOfAKilledManagerReturnToItsRestartAndTakeTheRemainingTasks() throws Exception {
        long seed = Long.getLong("journalKillSeed", System.nanoTime());
        System.out.println("JournalReconnectTest: seed " + seed + " (rerun with -DjournalKillSeed=" + seed + ")");
        Random random = new Random(seed);
        for (int round = 1; round <= 2; round++) {
            Path dir = Files.createDirectories(tempDir.resolve("round" + round));
            int killAfter = 1 + random.nextInt(JournalKillTest.TASKS - 1);
            JournalKillTest.Outcome o = JournalKillTest.killAndRestart(dir, killAfter, false,
                    "seed " + seed + " round " + round, freePort());

            Set<String> firstWorkers = new HashSet<>(TestSupport.lines(dir.resolve("joined-" + o.first().pid() + ".txt")));
            Set<String> secondWorkers = new HashSet<>(TestSupport.lines(dir.resolve("joined-" + o.second().pid() + ".txt")));
            assertEquals(JournalKillTest.WORKERS, firstWorkers.size(), "round " + round + ": the first run's workers: " + firstWorkers);
            assertEquals(firstWorkers, secondWorkers, "round " + round + ": the restarted manager's workers must be the"
                    + " first run's processes");
            assertEquals(0, o.workersStarted(), "round " + round + ": the restarted manager started workers");
            Path secret = RunSecret.fileFor(dir.resolve(JournalKillChild.JOURNAL));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
            for (String pid : firstWorkers) { // told to shut down by the restarted manager's close
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(h -> h.onExit().join());
                assertFalse(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false));
            }
            System.out.println("JournalReconnectTest round " + round + ": workers " + firstWorkers
                    + " returned to the restarted manager");
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
