package org.jparallel.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code jparallel run} and {@code jparallel log} on real local worker JVMs. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RunCommandTest {
    @TempDir
    Path dir;

    @Test
    void arrayOfTwoHundredWithFourFailuresOnLocalWorkers() throws Exception {
        Path log = dir.resolve("run.log");
        Cli.Result r = Cli.run(RunChecks.fourFailing(200, log, "--workers", "2"));
        RunChecks.assertFourFailed(200, log, r);
        Cli.Result one = Cli.run("log", log.toString(), "150");
        assertEquals(0, one.code(), one::toString);
        assertEquals("150\n", one.out());
        assertTrue(one.err().contains("[task 150: failed: exit code 1]"), one::toString);
        Cli.Result none = Cli.run("log", log.toString(), "201");
        assertEquals(1, none.code(), none::toString);
        assertTrue(none.err().contains("has no task 201"), none::toString);
    }

    @Test
    void eachLineFillsThePlaceholdersAndWritesAFilePerTask() throws Exception {
        Path input = dir.resolve("inputs.txt");
        Files.writeString(input, "alpha\n\nbeta gamma\n");
        Path log = dir.resolve("lines.log");
        Path outDir = dir.resolve("out");
        Cli.Result r = Cli.run("run", "--each-line", input.toString(), "--workers", "1", "--log", log.toString(),
                "--output-dir", outDir.toString(), "--progress", "off", "--",
                "sh", "-c", "echo \"line {#}: $1 key=$JPARALLEL_TASK_KEY\"; echo warn >&2", "sh", "{}");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("jparallel run: 2 task(s): 2 succeeded, 0 failed in "), r::toString);
        assertEquals("line 1: alpha key=1\n", Files.readString(outDir.resolve("1.out")));
        assertEquals("line 3: beta gamma key=3\n", Files.readString(outDir.resolve("3.out")));
        assertEquals("warn\n", Files.readString(outDir.resolve("3.err")));
        String text = Files.readString(log);
        assertTrue(text.contains("[3 out] line 3: beta gamma key=3\n[3 err] warn\n[3 end] exit 0 in "), text);
        Cli.Result one = Cli.run("log", log.toString(), "3");
        assertEquals("line 3: beta gamma key=3\n", one.out(), one::toString);
    }

    @Test
    void jsonLinesTasksWithKeysEnvAndTheirOwnCommands() throws Exception {
        Path tasks = dir.resolve("tasks.jsonl");
        Files.writeString(tasks, """
                {"key": "model-a", "env": {"SEED": "11"}}
                {"key": "model-b", "input": "b.dat", "env": {"SEED": "22"}}
                {"key": "own", "command": "echo own {#} $SEED; echo first >&2; echo bad thing >&2; exit 3"}
                """);
        Path log = dir.resolve("tasks.log");
        Cli.Result r = Cli.run("run", "--tasks", tasks.toString(), "--workers", "1", "--log", log.toString(),
                "--progress", "off", "--", "sh", "-c", "echo \"$0 seed=$SEED n={#}\"", "{}");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.out().contains("3 task(s): 2 succeeded, 1 failed"), r::toString);
        assertTrue(r.out().contains("  task own failed: exit code 3: bad thing\n"), r::toString);
        assertTrue(r.out().contains("task own failed: exit code 3: bad thing\n"), "the progress display names it");
        String text = Files.readString(log);
        assertTrue(text.contains("[model-a out] model-a seed=11 n=1\n"), text);
        assertTrue(text.contains("[model-b out] b.dat seed=22 n=2\n"), text);
        assertTrue(text.contains("[own out] own 3\n[own err] first\n[own err] bad thing\n[own end] failed: exit code 3\n"),
                text);
    }

    @Test
    void aTimeoutKillsTheTasksWholeProcessTree() throws Exception {
        Path log = dir.resolve("timeout.log");
        Cli.Result r = Cli.run("run", "--array", "1", "--workers", "1", "--timeout", "1s", "--log", log.toString(),
                "--progress", "off", "--", "sh", "-c",
                "sleep 60 & echo $! > " + dir.resolve("child.pid") + "; echo $$ > " + dir.resolve("shell.pid") + "; wait");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.out().contains("  task 1 failed: timed out"), r::toString);
        for (String f : List.of("child.pid", "shell.pid")) {
            long pid = Long.parseLong(Files.readString(dir.resolve(f)).trim());
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            if (p.isPresent()) {
                // the worker kills the tree as it is interrupted; the manager may report the timeout first
                p.get().onExit().get(10, TimeUnit.SECONDS);
            }
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), f + " " + pid + " still runs");
        }
        assertTrue(Files.readString(log).contains("[1 end] failed: timed out"));
    }

    @Test
    void aTaskOfAWorkerKilledMidRunRunsAgainElsewhere() throws Exception {
        Path log = dir.resolve("kill.log");
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> Cli.run("run", "--array", "1-4",
                "--workers", "2", "--log", log.toString(), "--progress", "off", "--", "sh", "-c",
                "echo run >> " + dir + "/{}.runs; echo $$ > " + dir + "/{}.pid; sleep 2; echo done {}"));
        Path pidFile = dir.resolve("1.pid");
        long t0 = System.nanoTime();
        while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30), "task 1 never started");
            Thread.sleep(20);
        }
        ProcessHandle worker = workerOf(Long.parseLong(Files.readString(pidFile).trim()));
        worker.destroyForcibly(); // SIGKILL
        Cli.Result r = run.get(60, TimeUnit.SECONDS);
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("4 task(s): 4 succeeded, 0 failed"), r::toString);
        assertEquals(List.of("run", "run"), Files.readAllLines(dir.resolve("1.runs")), "task 1 ran twice");
        assertTrue(Files.readString(log).contains("[1 out] done 1\n"));
        String kept = "jparallel run: the local workers' output is kept in ";
        assertTrue(r.err().contains(kept), "a lost worker's output is kept: " + r);
        Path outputs = Path.of(r.err().substring(r.err().indexOf(kept) + kept.length()).lines().findFirst().get());
        assertTrue(Files.isDirectory(outputs), outputs::toString);
        deleteTree(outputs);
    }

    @Test
    void aRunWhoseWorkersAllEndedWellLeavesNoOutputDirectoryBehind() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> before = workerOutputDirs(tmp);
        Cli.Result r = Cli.run("run", "--array", "1-3", "--workers", "1", "--log", dir.resolve("ok.log").toString(),
                "--progress", "off", "--", "true");
        assertEquals(0, r.code(), r::toString);
        assertFalse(r.err().contains("output is kept"), r::toString);
        List<Path> after = workerOutputDirs(tmp);
        after.removeAll(before);
        assertEquals(List.of(), after, "the run's local workers' output directory was left behind");
    }

    private static List<Path> workerOutputDirs(Path tmp) throws java.io.IOException {
        try (java.util.stream.Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("jparallel-run-workers-"))
                    .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
        }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (java.util.stream.Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void retriesRunAFailedTaskAgainAndHugeOutputKeepsHeadAndTail() throws Exception {
        Path log = dir.resolve("retry.log");
        Cli.Result r = Cli.run("run", "--array", "1-2", "--workers", "1", "--retries", "1", "--max-output", "64",
                "--status-port", "0", "--log", log.toString(), "--progress", "off", "--", "sh", "-c",
                "seq 1 1000; if [ ! -e " + dir + "/{}.once ]; then touch " + dir + "/{}.once; exit 5; fi");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("status page: http://127.0.0.1:"), r::toString);
        assertTrue(r.out().contains("2 task(s): 2 succeeded, 0 failed"), r::toString);
        String text = Files.readString(log);
        // seq 1 1000 prints 3,893 bytes: 32 of the head and 32 of the tail are kept
        assertTrue(text.contains("[1 out] 1\n"), text);
        assertTrue(text.contains("[1 out] [jparallel: 3829 bytes dropped here]\n"), text);
        assertTrue(text.contains("[1 out] 1000\n[1 end] exit 0"), text);
    }

    @Test
    void workersThatCannotStartEndTheRunWithTheTasksNotRun() throws Exception {
        Path config = dir.resolve("bad-java.properties");
        Files.writeString(config, "jparallel.backend=local\njparallel.workers=1\njparallel.worker.java=/nonexistent/java\n");
        Cli.Result r = Cli.run("run", "--array", "1-2", "--config", config.toString(), "--log",
                dir.resolve("none.log").toString(), "--progress", "off", "--", "true");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().contains("jparallel run: stopped early: "), r::toString);
        assertTrue(r.out().contains("2 task(s): 0 succeeded, 0 failed, 2 not run"), r::toString);
        Files.writeString(config, "jparallel.wrokers=1\n");
        Cli.Result bad = Cli.run("run", "--array", "1-2", "--config", config.toString(), "--log",
                dir.resolve("bad.log").toString(), "--", "true");
        assertEquals(2, bad.code(), bad::toString);
        assertTrue(bad.err().contains("did you mean jparallel.workers?"), bad::toString);
        assertFalse(Files.exists(dir.resolve("bad.log")), "a bad configuration writes no log");
    }

    @Test
    void aConfigurationWhoseGroupAllocatesAutomaticallyRunsTheTasksOnTheWorkersItAllocates() throws Exception {
        Path config = dir.resolve("alloc.properties");
        Files.writeString(config, "jparallel.backend=local\njparallel.alloc.max=2\njparallel.alloc.idle-timeout=30s\n");
        Cli.Result r = Cli.run("run", "--array", "1-6", "--config", config.toString(), "--log",
                dir.resolve("alloc.log").toString(), "--progress", "off", "--", "true");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("6 task(s): 6 succeeded, 0 failed"), r::toString);
    }

    @Test
    void usageErrorsExitWithTwo() {
        Cli.Result noList = Cli.run("run", "--", "echo");
        assertEquals(2, noList.code(), noList::toString);
        Cli.Result badArray = Cli.run("run", "--array", "3-1", "--", "echo");
        assertEquals(2, badArray.code(), badArray::toString);
        assertTrue(badArray.err().contains("--array 3-1: the range '3-1' is empty"), badArray::toString);
        Cli.Result noCommand = Cli.run("run", "--array", "1-2");
        assertEquals(2, noCommand.code(), noCommand::toString);
        assertTrue(noCommand.err().contains("no command: give it after --"), noCommand::toString);
        Cli.Result badLog = Cli.run("run", "--array", "1", "--log", dir.resolve("missing/run.log").toString(), "--", "true");
        assertEquals(2, badLog.code(), badLog::toString);
        assertTrue(badLog.err().contains("cannot write the run's log in " + dir.resolve("missing")), badLog::toString);
    }

    @Test
    void aCommandDiesWithItsWorkerKilledByKill9() throws Exception {
        Path log = dir.resolve("orphan.log");
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> Cli.run("run", "--array", "1",
                "--workers", "2", "--log", log.toString(), "--progress", "off", "--", "sh", "-c",
                "if [ -e " + dir + "/killed ]; then exit 0; fi; echo $$ > " + dir + "/cmd.pid; sleep 600"));
        Path pidFile = dir.resolve("cmd.pid");
        long t0 = System.nanoTime();
        while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30), "the task never started");
            Thread.sleep(20);
        }
        ProcessHandle command = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).orElseThrow();
        List<ProcessHandle> tree = new java.util.ArrayList<>(command.descendants().toList());
        tree.add(command);
        ProcessHandle worker = workerOf(command.pid());
        Files.createFile(dir.resolve("killed")); // the task's next attempt ends at once
        worker.destroyForcibly(); // SIGKILL: the worker can kill nothing
        for (ProcessHandle h : tree) {
            // the wrapper's watcher looks once a second
            h.onExit().completeOnTimeout(h, 10, TimeUnit.SECONDS).get();
            assertFalse(h.isAlive(), "process " + h.pid() + " of the killed worker's command is still alive");
        }
        Cli.Result r = run.get(60, TimeUnit.SECONDS);
        assertEquals(0, r.code(), r::toString);
    }

    /** @return the worker JVM that runs the process (its nearest java ancestor) */
    private static ProcessHandle workerOf(long pid) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        while (p.isPresent()) {
            p = p.get().parent();
            if (p.isPresent() && p.get().info().command().orElse("").contains("java")) {
                return p.get();
            }
        }
        throw new AssertionError("process " + pid + " has no worker JVM among its ancestors");
    }
}
