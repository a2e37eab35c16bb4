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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manager restarted on its journal (after a kill -9, on the same port) keeps the output files of its
 * predecessor's workers: its own workers' files have names of their own. Before, worker ids started again at 1,
 * so the restart's first new worker truncated the killed run's worker 1's file (the default pattern names a file
 * after the worker id and the port, both the same), losing the old worker's log while that worker, come back to
 * the restart, still wrote to it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RestartOutputFilesTest {
    private static final Pattern TASK_LINE = Pattern.compile("task (\\w+)-\\d+ pid (\\d+)");

    @TempDir
    Path dir;

    @Test
    void aRestartedManagerNeverReusesTheOutputFileOfAWorkerOfTheKilledRun() throws Exception {
        int port = freePort();
        Process first = start("first", port, 2);
        TestSupport.pollUntil(Duration.ofSeconds(90), () -> !first.isAlive() || Files.exists(dir.resolve(
                RestartOutputChild.READY)), () -> "the first run did not get ready");
        assertTrue(first.isAlive(), "the first run ended: " + read(dir.resolve("first.stderr")));
        first.destroyForcibly(); // SIGKILL: its workers seek it again
        assertTrue(first.waitFor(10, TimeUnit.SECONDS), "the manager JVM survived SIGKILL");
        Map<String, String> firstWorkers = workers("first");
        assertEquals(Set.of("1", "2"), firstWorkers.keySet(), "the first run's workers: " + firstWorkers);
        // worker 1 dies with its manager: only worker 2 comes back, and the restart starts one worker
        long dead = Long.parseLong(firstWorkers.get("1"));
        ProcessHandle.of(dead).ifPresent(ProcessHandle::destroyForcibly);
        TestSupport.awaitGone(dead, Duration.ofSeconds(10), "worker 1 of the first run");
        Map<String, Set<String>> before = linesByFile();

        Process second = start("second", port, 2);
        assertTrue(second.waitFor(120, TimeUnit.SECONDS), "the second run did not finish");
        String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, second.exitValue(), "the second run failed: " + out + read(dir.resolve("second.stderr")));

        List<String> secondPids = new ArrayList<>(workers("second").values());
        assertTrue(secondPids.contains(firstWorkers.get("2")), "the first run's worker 2 did not come back: "
                + secondPids);
        Map<String, Set<String>> after = linesByFile();
        before.forEach((file, lines) -> assertTrue(after.getOrDefault(file, Set.of()).containsAll(lines),
                "the first run's lines in " + file + " were lost: before " + lines + ", now " + after.get(file)
                        + " (" + out.trim() + ")"));
        for (Map.Entry<String, Set<String>> e : after.entrySet()) { // one worker process per file
            Set<String> writers = new TreeSet<>();
            e.getValue().forEach(l -> writers.add(l.substring(l.indexOf(" pid ") + 5)));
            assertEquals(1, writers.size(), e.getKey() + " was written by several workers: " + e.getValue());
        }
        for (String pid : secondPids) {
            TestSupport.awaitGone(Long.parseLong(pid), Duration.ofSeconds(30), "worker " + pid);
        }
    }

    /** @return the task lines in each worker output file, by file name */
    private Map<String, Set<String>> linesByFile() throws IOException {
        Map<String, Set<String>> byFile = new HashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".output")).toList()) {
                Set<String> lines = new TreeSet<>();
                Matcher m = TASK_LINE.matcher(read(f));
                while (m.find()) {
                    lines.add(m.group());
                }
                byFile.put(f.getFileName().toString(), lines);
            }
        }
        return byFile;
    }

    /** @return the pid of each worker that joined a run, by its id in that run */
    private Map<String, String> workers(String run) {
        Map<String, String> pids = new HashMap<>();
        TestSupport.lines(dir.resolve("joined-" + run + ".txt")).forEach(l -> pids.put(l.split(" ")[0], l.split(" ")[1]));
        return pids;
    }

    private Process start(String run, int port, int workers) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(List.of(JournalKillChild.QUICK_JVM));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), RestartOutputChild.class.getName(),
                dir.toString(), Integer.toString(port), Integer.toString(workers), run));
        Process p = new ProcessBuilder(command).redirectError(dir.resolve(run + ".stderr").toFile()).start();
        p.getOutputStream().close();
        return p;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
