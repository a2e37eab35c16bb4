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
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.jparallel.core.journal.JournalContents;
import org.jparallel.core.journal.JournalReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run survives its manager (issue 22's acceptance, at its size): a manager process ({@link JournalKillChild})
 * running 20,000 keyed tasks of about a millisecond with a journal is killed with kill -9 at a random moment and
 * started again with the same journal, five times over (each time a fresh journal) with real worker JVMs. Over
 * the two runs together: no key is missing; no task whose result was in the journal at the kill runs again (its
 * side effect, a line per execution, shows once); and every key is delivered exactly once. The program's output
 * takes part (README's "Runs that survive the manager"): it marks the keys it wrote before the kill delivered
 * ({@link org.jparallel.Context#markDelivered}), which closes the window the journal alone leaves (the result in
 * the program's hand at the kill). Rounds 2 and 4 kill while the program holds a result, so that window is tested
 * for sure, not only when a kill falls in it.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@Tag("scale")
class JournalKillTest {
    /** Tasks per run: the size ({@code -DjournalKillTasks=N} for a quick look on a busy machine). */
    static final int TASKS = Integer.getInteger("journalKillTasks", 20_000);
    /**
     * Local workers per run. Four: tasks sleep, so they overlap even on two cores; a whole campaign of 20,000 took
     * 14 s with four, 18 s with three, 21 s with two (2 cores at load 9-11; at load 20 four were no faster).
     */
    static final int WORKERS = 4;

    @TempDir
    Path tempDir;

    @Test
    void killedManagerRestartedWithItsJournalDeliversEveryKeyOnceAndRunsNoFinishedTaskAgain() throws Exception {
        long seed = Long.getLong("journalKillSeed", System.nanoTime());
        System.out.println("JournalKillTest: seed " + seed + " (rerun with -DjournalKillSeed=" + seed + ")");
        Random random = new Random(seed);
        for (int round = 1; round <= 5; round++) {
            Path dir = Files.createDirectories(tempDir.resolve("round" + round));
            int killAfter = 1 + random.nextInt(TASKS - 1);
            boolean holding = round % 2 == 0; // rounds 2 and 4 kill while the program holds its last result
            killAndRestart(dir, killAfter, holding, "seed " + seed + " round " + round, 0);
        }
    }

    /**
     * How a kill and restart went.
     *
     * @param first the killed manager process
     * @param second the restarted manager process
     * @param workersStarted how many workers the restarted manager started
     */
    record Outcome(ProcessHandle first, ProcessHandle second, int workersStarted) {
    }

    /**
     * Runs {@link JournalKillChild}, kills it after {@code killAfter} deliveries, runs it again and checks the two
     * runs' deliveries and executions against each other and against the journal as the kill left it.
     *
     * @param holding whether the first run's program holds its {@code killAfter}-th result (no {@code hasNext()}
     *     since) until killed, so that the kill falls in the window of one for sure
     * @param what names the round in failure messages (with the seed that reproduces it)
     * @param port the managers' port, 0 for one of the moment each
     */
    static Outcome killAndRestart(Path dir, int killAfter, boolean holding, String what, int port)
            throws Exception {
        Path delivered = dir.resolve(JournalKillChild.DELIVERED);
        LineCounter deliveries = new LineCounter(delivered);
        long t0 = System.nanoTime();
        Process first = start(dir, "first", port, holding ? killAfter : 0);
        Path held = dir.resolve(JournalKillChild.HOLDING);
        TestSupport.pollUntil(Duration.ofSeconds(90), () -> !first.isAlive()
                        || (holding ? Files.exists(held) : deliveries.count() >= killAfter),
                () -> what + ": the first run delivered only " + deliveries.count() + " results");
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no close
        assertTrue(first.waitFor(10, TimeUnit.SECONDS), what + ": the manager JVM survived SIGKILL");
        long t1 = System.nanoTime();
        List<String> before = TestSupport.lines(delivered);
        Path journal = dir.resolve(JournalKillChild.JOURNAL);
        Path atKill = Files.copy(journal, dir.resolve("journal-at-kill")); // read later: the workers are waiting

        Process second = start(dir, "second", port, 0);
        assertTrue(second.waitFor(90, TimeUnit.SECONDS), what + ": the second run did not finish");
        long t2 = System.nanoTime();
        String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Set<String> durable = journaledKeys(atKill);
        assertEquals(0, second.exitValue(), what + ": the second run failed: " + out
                + Files.readString(dir.resolve("second.stderr")));

        List<String> all = TestSupport.lines(delivered);
        Map<String, Integer> times = new HashMap<>();
        for (String line : all) {
            String[] kv = line.split(" ");
            assertEquals("r" + kv[0], kv[1], what + ": a result does not encode its key: " + line);
            times.merge(kv[0], 1, Integer::sum);
        }
        for (int k = 0; k < TASKS; k++) {
            assertTrue(times.containsKey(Integer.toString(k)), what + ": key " + k + " never delivered");
        }
        Set<String> deliveredBefore = new HashSet<>();
        before.forEach(l -> deliveredBefore.add(l.split(" ")[0]));
        Set<String> notDurable = new TreeSet<>(deliveredBefore);
        notDurable.removeAll(durable);
        assertTrue(notDurable.isEmpty(), what + ": results the program received before the kill are not in the"
                + " journal: " + notDurable);

        // each key exactly once, the one in the killed program's hand included
        String lastReceived = before.isEmpty() ? null : before.get(before.size() - 1).split(" ")[0];
        Map<String, Integer> repeated = new HashMap<>();
        times.forEach((k, n) -> {
            if (n > 1) {
                repeated.put(k, n);
            }
        });
        assertEquals(Map.of(), repeated, what + ": delivered more than once (the last result the killed program"
                + " received was " + lastReceived + ")");
        if (holding) {
            assertEquals("r" + lastReceived, Files.readString(held), what + ": the result held at the kill");
        }
        assertEquals(TASKS, all.size(), what + ": deliveries");

        // no task whose result was durable at the kill ran again
        Map<String, Integer> executions = new HashMap<>();
        for (String k : TestSupport.lines(dir.resolve(JournalKillChild.EXECUTIONS))) {
            executions.merge(k, 1, Integer::sum);
        }
        List<String> runAgain = new ArrayList<>();
        for (String k : durable) {
            if (executions.getOrDefault(k, 0) != 1) {
                runAgain.add(k + " x" + executions.get(k));
            }
        }
        assertTrue(runAgain.isEmpty(), what + ": tasks journaled before the kill ran again: " + runAgain);

        String[] done = out.lines().filter(l -> l.startsWith("DONE ")).findFirst().orElseThrow().split(" ");
        assertEquals(durable.size(), Long.parseLong(done[1]), what + ": results taken from the journal");
        assertEquals(TASKS - durable.size(), Long.parseLong(done[2]), what + ": tasks run by the restart");
        System.out.printf("JournalKillTest %s: killed after %d deliveries (%d results journaled) at %.1f s;"
                        + " the restart took %d from the journal, ran %s and finished in %.1f s; %d executions"
                        + " repeated (results lost with the manager)%n", what, before.size(),
                durable.size(), (t1 - t0) / 1e9, durable.size(), done[2], (t2 - t1) / 1e9,
                executions.values().stream().mapToInt(i -> i).sum() - TASKS);
        return new Outcome(first.toHandle(), second.toHandle(), Integer.parseInt(done[3]));
    }

    /** @return the keys whose result (or final failure) the journal holds, as the kill left it */
    private static Set<String> journaledKeys(Path journal) throws IOException {
        Set<String> keys = new HashSet<>();
        for (JournalContents.ContextEntry e : JournalReader.read(journal).contexts().values()) {
            keys.addAll(e.results().keySet());
            keys.addAll(e.delivered());
            keys.addAll(e.failures().keySet());
        }
        return keys;
    }

    private static Process start(Path dir, String name, int port, long holdAt) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(List.of(JournalKillChild.QUICK_JVM));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), JournalKillChild.class.getName(),
                dir.toString(), Integer.toString(TASKS), Integer.toString(port), Integer.toString(WORKERS),
                Long.toString(holdAt)));
        Process p = new ProcessBuilder(command)
                .redirectError(dir.resolve(name + ".stderr").toFile())
                .start();
        p.getOutputStream().close();
        return p;
    }

    /** Counts a growing file's lines, reading only what was added since the last count. */
    private static final class LineCounter {
        private final Path file;
        private long position;
        private long lines;

        LineCounter(Path file) {
            this.file = file;
        }

        long count() {
            if (!Files.exists(file)) {
                return 0;
            }
            try (var c = java.nio.channels.FileChannel.open(file)) {
                c.position(position);
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 << 16);
                int n;
                while ((n = c.read(b)) > 0) {
                    for (int i = 0; i < n; i++) {
                        if (b.get(i) == '\n') {
                            lines++;
                        }
                    }
                    position += n;
                    b.clear();
                }
                return lines;
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file, e);
            }
        }
    }
}
