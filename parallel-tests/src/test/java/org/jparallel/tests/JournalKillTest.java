package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run survives its manager: a manager process ({@link JournalKillChild}) running keyed tasks with a journal is
 * killed with kill -9 at a random moment and started again with the same journal, five times over with real
 * worker JVMs. Over the two runs together every key's result is delivered, none is missing, a task whose result
 * reached the journal before the kill is not run again, and a result is delivered twice only when it was the one
 * in the program's hand at the kill (the guarantee README's "Runs that survive the manager" states).
 */
@Timeout(value = 170, unit = TimeUnit.SECONDS)
class JournalKillTest {
    /** Tasks per run: 20,000 one-millisecond tasks take about 10 s a run on two workers; five kills and restarts
     * of that would take minutes, so each repetition runs 2,000 (the kill lands anywhere in it all the same). */
    static final int TASKS = 2_000;

    @TempDir
    Path tempDir;

    @Test
    void killedManagerRestartedWithItsJournalDeliversEveryKeyOnceAndRunsNoFinishedTaskAgain() throws Exception {
        long seed = Long.getLong("journalKillSeed", System.nanoTime());
        System.out.println("JournalKillTest: seed " + seed + " (rerun with -DjournalKillSeed=" + seed + ")");
        Random random = new Random(seed);
        int inHandDuplicates = 0;
        for (int round = 1; round <= 5; round++) {
            Path dir = Files.createDirectories(tempDir.resolve("round" + round));
            int killAfter = 1 + random.nextInt(TASKS - 1);
            inHandDuplicates += killAndRestart(dir, killAfter, round, 0).deliveredTwice();
        }
        System.out.println("JournalKillTest: results delivered twice because they were in the program's hand at"
                + " the kill: " + inHandDuplicates + " of 5 kills");
    }

    /**
     * How a kill and restart went.
     *
     * @param deliveredTwice 1 when the result in the program's hand at the kill was delivered again, else 0
     * @param first the killed manager process
     * @param second the restarted manager process
     * @param workersStarted how many workers the restarted manager started
     */
    record Outcome(int deliveredTwice, ProcessHandle first, ProcessHandle second, int workersStarted) {
    }

    /**
     * Runs {@link JournalKillChild}, kills it after {@code killAfter} deliveries, runs it again and checks the two
     * runs' deliveries and executions.
     *
     * @param port the managers' port, 0 for one of the moment each
     */
    static Outcome killAndRestart(Path dir, int killAfter, int round, int port) throws Exception {
        Path delivered = dir.resolve(JournalKillChild.DELIVERED);
        Process first = start(dir, "first", port);
        TestSupport.pollUntil(Duration.ofSeconds(60), () -> lineCount(delivered) >= killAfter || !first.isAlive(),
                () -> "round " + round + ": the first run delivered only " + lineCount(delivered) + " results");
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no close
        assertTrue(first.waitFor(10, TimeUnit.SECONDS), "the manager JVM survived SIGKILL");
        List<String> before = TestSupport.lines(delivered);
        List<String> executedBefore = TestSupport.lines(dir.resolve(JournalKillChild.EXECUTIONS));

        Process second = start(dir, "second", port);
        assertTrue(second.waitFor(90, TimeUnit.SECONDS), "round " + round + ": the second run did not finish");
        String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, second.exitValue(), "round " + round + ": the second run failed: " + out
                + Files.readString(dir.resolve("second.stderr")));

        List<String> all = TestSupport.lines(delivered);
        List<String> after = all.subList(before.size(), all.size());
        Map<String, Integer> times = new HashMap<>();
        for (String line : all) {
            String[] kv = line.split(" ");
            assertEquals("r" + kv[0], kv[1], "round " + round + ": a result does not encode its key: " + line);
            times.merge(kv[0], 1, Integer::sum);
        }
        for (int k = 0; k < TASKS; k++) {
            assertTrue(times.containsKey(Integer.toString(k)), "round " + round + ": key " + k + " never delivered");
        }
        Set<String> twice = new HashSet<>();
        times.forEach((k, n) -> {
            if (n > 1) {
                twice.add(k);
            }
        });
        String inHand = before.isEmpty() ? null : before.get(before.size() - 1).split(" ")[0];
        assertTrue(twice.isEmpty() || twice.equals(Set.of(inHand)), "round " + round + ": delivered twice: " + twice
                + " (only the result in the program's hand at the kill, " + inHand + ", may be)");
        assertEquals(TASKS + twice.size(), all.size(), "round " + round + ": deliveries");

        Map<String, Integer> executions = new HashMap<>();
        for (String k : TestSupport.lines(dir.resolve(JournalKillChild.EXECUTIONS))) {
            executions.merge(k, 1, Integer::sum);
        }
        List<String> runAgain = new ArrayList<>();
        for (String line : before) {
            String k = line.split(" ")[0];
            if (executions.getOrDefault(k, 0) != 1) {
                runAgain.add(k + " x" + executions.get(k));
            }
        }
        assertTrue(runAgain.isEmpty(), "round " + round + ": tasks delivered before the kill ran again: " + runAgain);
        String[] done = out.lines().filter(l -> l.startsWith("DONE ")).findFirst().orElseThrow().split(" ");
        long fromJournal = Long.parseLong(done[1]);
        assertTrue(fromJournal >= before.size() - 1, "round " + round + ": only " + fromJournal
                + " results came from the journal, " + before.size() + " were delivered before the kill");
        System.out.println("JournalKillTest round " + round + ": killed after " + before.size() + " deliveries ("
                + executedBefore.size() + " executions); the restart took " + fromJournal + " from the journal and "
                + done[2] + " from workers; " + (executions.values().stream().mapToInt(i -> i).sum() - TASKS)
                + " executions repeated (results lost with the manager), " + after.size() + " delivered after");
        return new Outcome(twice.size(), first.toHandle(), second.toHandle(), Integer.parseInt(done[3]));
    }

    private static long lineCount(Path file) {
        return TestSupport.lines(file).size();
    }

    private static Process start(Path dir, String name, int port) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                JournalKillChild.class.getName(), dir.toString(), Integer.toString(TASKS), Integer.toString(port))
                .redirectError(dir.resolve(name + ".stderr").toFile())
                .start();
        p.getOutputStream().close();
        return p;
    }
}
