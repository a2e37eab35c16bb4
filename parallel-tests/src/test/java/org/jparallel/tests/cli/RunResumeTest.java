package org.jparallel.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jparallel.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jparallel run --journal}: running the same command again runs only the tasks that have not succeeded,
 * on real local worker JVMs, also after a kill -9 of the {@code jparallel run} process.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class RunResumeTest {
    private static final Pattern SUMMARY = Pattern.compile(
            "jparallel run: (\\d+) task\\(s\\): (\\d+) succeeded, (?:(\\d+) from an earlier run, )?(\\d+) failed");

    @TempDir
    Path dir;

    @Test
    void aFailedTaskRunsAgainOnResumeAndSucceededOnesDoNot() throws Exception {
        Path journal = dir.resolve("run.journal");
        Path side = dir.resolve("side.txt");
        Path broken = Files.createFile(dir.resolve("broken"));
        String script = "echo {} >> " + side + "; if [ {} = 3 ] && [ -e " + broken + " ]; then echo bad >&2; exit 1; fi; "
                + "echo ok {}";
        Cli.Result first = run(journal, dir.resolve("1.log"), "1-6", script);
        assertEquals(1, first.code(), first::toString);
        assertTrue(first.out().contains("6 task(s): 5 succeeded, 1 failed"), first::toString);

        Files.delete(broken);
        Path log2 = dir.resolve("2.log");
        Cli.Result second = run(journal, log2, "1-6", script);
        assertEquals(0, second.code(), second::toString);
        assertTrue(second.out().contains("6 task(s): 1 succeeded, 5 from an earlier run, 0 failed"), second::toString);
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "3"), sorted(Files.readAllLines(side), 6),
                "only the failed task ran again");
        String text = Files.readString(log2);
        assertTrue(text.contains("[3 out] ok 3\n[3 end] exit 0"), text);
        assertTrue(text.contains("[1 end] from the journal"), text);

        Cli.Result third = run(journal, dir.resolve("3.log"), "1-6", script);
        assertEquals(0, third.code(), third::toString);
        assertTrue(third.out().contains("6 task(s): 0 succeeded, 6 from an earlier run, 0 failed"), third::toString);
        assertEquals(7, Files.readAllLines(side).size(), "nothing ran");
    }

    @Test
    void anotherCommandIsRefusedUnlessFresh() throws Exception {
        Path journal = dir.resolve("run.journal");
        Path side = dir.resolve("side.txt");
        Cli.Result first = run(journal, dir.resolve("1.log"), "1-2", "echo {} >> " + side);
        assertEquals(0, first.code(), first::toString);

        Cli.Result other = run(journal, dir.resolve("2.log"), "1-2", "echo other {} >> " + side);
        assertEquals(2, other.code(), other::toString);
        assertTrue(other.err().contains("the journal " + journal + " is of another run")
                && other.err().contains("--fresh"), other::toString);
        assertEquals(2, Files.readAllLines(side).size(), "the refused run ran nothing");

        Cli.Result fresh = Cli.run("run", "--array", "1-2", "--workers", "1", "--journal", journal.toString(), "--fresh",
                "--log", dir.resolve("3.log").toString(), "--progress", "off", "--", "sh", "-c", "echo other {} >> " + side);
        assertEquals(0, fresh.code(), fresh::toString);
        assertTrue(fresh.out().contains("2 task(s): 2 succeeded, 0 failed"), fresh::toString);
        assertEquals(4, Files.readAllLines(side).size());
    }

    @Test
    void theConfigurationsJournalKeyResumesToo() throws Exception {
        Path side = dir.resolve("side.txt");
        Path config = dir.resolve("jparallel.properties");
        Files.writeString(config, "jparallel.backend=local\njparallel.workers=1\njparallel.manager.journal="
                + dir.resolve("conf.journal").toString().replace("\\", "/") + "\n");
        for (int round = 1; round <= 2; round++) {
            Cli.Result r = Cli.run("run", "--config", config.toString(), "--array", "1-3", "--log",
                    dir.resolve(round + ".log").toString(), "--progress", "off", "--", "sh", "-c", "echo {} >> " + side);
            assertEquals(0, r.code(), r::toString);
            assertTrue(r.out().contains(round == 1 ? "3 task(s): 3 succeeded, 0 failed"
                    : "3 task(s): 0 succeeded, 3 from an earlier run, 0 failed"), r::toString);
        }
        assertEquals(3, Files.readAllLines(side).size(), "the second run ran nothing");
    }

    @Test
    void killedRunRunsOnlyWhatHadNotSucceededWhenRunAgain() throws Exception {
        int n = 60;
        Path journal = dir.resolve("kill.journal");
        Path side = dir.resolve("side.txt");
        Path log1 = dir.resolve("1.log");
        String script = "echo {} >> " + side + "; sleep 0.1";
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process first = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", "--array", "1-" + n, "--workers", "2", "--journal", journal.toString(), "--log", log1.toString(),
                "--progress", "off", "--", "sh", "-c", script)
                .redirectErrorStream(true).redirectOutput(dir.resolve("first.out").toFile()).start();
        long t0 = System.nanoTime();
        while (ends(log1).size() < 20) {
            assertTrue(first.isAlive(), () -> "the first run ended before the kill: " + read(dir.resolve("first.out")));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(60), "the first run logged too few tasks");
            Thread.sleep(10);
        }
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no close
        assertTrue(first.waitFor(10, TimeUnit.SECONDS), "jparallel run survived SIGKILL");
        List<String> before = ends(log1);
        assertTrue(before.size() < n, "the kill came after the end: " + before.size());
        int sideBefore = Files.readAllLines(side).size();

        Path log2 = dir.resolve("2.log");
        Cli.Result second = run(journal, log2, "1-" + n, script);
        assertEquals(0, second.code(), second::toString);
        Matcher m = SUMMARY.matcher(second.out());
        assertTrue(m.find(), second::toString);
        int ran = Integer.parseInt(m.group(2));
        int fromJournal = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        assertEquals(n, Integer.parseInt(m.group(1)));
        assertEquals(0, Integer.parseInt(m.group(4)), second::toString);
        assertEquals(n, ran + fromJournal, second::toString);
        assertTrue(fromJournal >= before.size(), "every task the first run logged came from the journal: "
                + fromJournal + " < " + before.size());

        Map<String, Integer> executions = new HashMap<>();
        for (String k : Files.readAllLines(side)) {
            executions.merge(k, 1, Integer::sum);
        }
        for (int i = 1; i <= n; i++) {
            assertTrue(executions.containsKey(Integer.toString(i)), "task " + i + " never ran");
        }
        List<String> again = new ArrayList<>();
        for (String k : before) {
            if (executions.get(k) != 1) {
                again.add(k + " x" + executions.get(k));
            }
        }
        assertTrue(again.isEmpty(), "tasks the first run finished ran again: " + again);
        List<String> resumed = ends(log2);
        assertEquals(n, resumed.size(), "the second log has every task");
        String text = Files.readString(log2);
        for (String k : before) {
            assertTrue(text.contains("[" + k + " end] from the journal"), k + " is logged as from the journal");
        }
        System.out.println("RunResumeTest: killed after " + before.size() + " logged tasks (" + sideBefore
                + " started); the second run took " + fromJournal + " from the journal and ran " + ran);
    }

    private static Cli.Result run(Path journal, Path log, String array, String script) {
        return Cli.run("run", "--array", array, "--workers", "2", "--journal", journal.toString(), "--log",
                log.toString(), "--progress", "off", "--", "sh", "-c", script);
    }

    /** @return the keys of the tasks a run's log has ended */
    private static List<String> ends(Path log) throws IOException {
        if (!Files.exists(log)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            int i = line.indexOf(" end] ");
            if (line.startsWith("[") && i > 0) {
                keys.add(line.substring(1, i));
            }
        }
        return keys;
    }

    private static List<String> sorted(List<String> lines, int firstN) {
        List<String> head = new ArrayList<>(lines.subList(0, firstN));
        head.sort(null);
        head.addAll(lines.subList(firstN, lines.size()));
        return head;
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
