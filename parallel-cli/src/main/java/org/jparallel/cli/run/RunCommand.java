package org.jparallel.cli.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import org.jparallel.ConfigurationException;
import org.jparallel.ConsoleProgress;
import org.jparallel.JParallelException;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;
import org.jparallel.cli.ProgressModeConverter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jparallel run}: runs a shell command per task on the configured workers, its output in one log. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs COMMAND once per task on the workers (local ones, or those --config configures: Grid Engine, "
                + "Slurm, SSH hosts), each task's output going to one log, then prints a summary.",
                "In COMMAND and its ARGS, {} is the task's input (the index, the line) and {#} its number; the "
                        + "environment has JPARALLEL_TASK_INDEX and JPARALLEL_TASK_KEY.",
                "Exit code: 0 when every task succeeded, 1 when one failed (or did not run), 2 for a usage error."},
        footer = {"", "Examples:",
                "  jparallel run --array 1-100 -- ./simulate --seed {}",
                "  jparallel run --each-line inputs.txt --timeout 10m -- python score.py {}",
                "  jparallel run --config cluster.properties --tasks tasks.jsonl",
                "  jparallel run --array 1-5000 --journal sims.journal -- ./simulate {}   (again: runs only what has not succeeded)"})
public final class RunCommand implements Callable<Integer> {
    @ArgGroup(multiplicity = "1")
    TaskList taskList;

    /** Exactly one task list. */
    static final class TaskList {
        @Option(names = "--array", paramLabel = "RANGES", description = "a task per index: 1-1000, 1-1000:2 (a step), 1,5,7-9")
        String array;

        @Option(names = "--each-line", paramLabel = "FILE", description = "a task per non-empty line of FILE (- for standard input)")
        String eachLine;

        @Option(names = "--tasks", paramLabel = "FILE.jsonl",
                description = "a task per line of a JSON-lines file: {\"args\": [...]} or {\"command\": \"...\"}, and "
                        + "optional key, input, env, timeout, expected, cpus")
        Path tasks;
    }

    @Option(names = "--config", paramLabel = "FILE", description = "a jparallel.properties file that configures the workers (any backend)")
    Path config;

    @Option(names = "--workers", paramLabel = "N", description = "how many local workers without --config (default: one per core)")
    Integer workers;

    @Option(names = "--workdir", paramLabel = "DIR", description = "where the commands run on the workers (default: the current directory)")
    Path workdir;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "each task's time limit, e.g. 90s, 10m, 2h: past it, "
            + "the task's processes are killed and it fails")
    String timeout;

    @Option(names = "--retries", paramLabel = "N", description = "how many times a failed task runs again (default: the "
            + "configuration's jparallel.manager.task-retries, 0)")
    Integer retries;

    @Option(names = "--expected", paramLabel = "DURATION", description = "each task's expected running time, e.g. 30s, "
            + "10m (a task file's tasks may have their own): workers about to reach their time limit get no task "
            + "expected to outlast them")
    String expected;

    @Option(names = "--cpus", paramLabel = "N", description = "the task slots of a worker each task takes (a task file's "
            + "tasks may say their own), for commands that run several threads on workers with slots "
            + "(jparallel.worker.slots): a task goes only where that many are free")
    Integer cpus;

    @Option(names = "--journal", paramLabel = "FILE", description = "keep each finished task's result in FILE (or the "
            + "configuration's jparallel.manager.journal): running the same command again with it runs only the tasks "
            + "that have not succeeded")
    Path journal;

    @Option(names = "--fresh", description = "discard the journal's results and run every task (the journal may be of "
            + "another command)")
    boolean fresh;

    @Option(names = "--name", paramLabel = "NAME", description = "the run's name in the journal (default: its command): "
            + "a run of another command with the same name resumes the journal")
    String name;

    @Option(names = "--log", paramLabel = "FILE", description = "the run's log (default: jparallel-run-<timestamp>.log here)")
    Path log;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "also write each task's output to DIR/KEY.out and DIR/KEY.err")
    Path outputDir;

    @Option(names = "--max-output", paramLabel = "BYTES", defaultValue = "1048576",
            description = "how much of each of a task's standard output and error is kept: its head and tail, the "
                    + "middle dropped with a note (default: ${DEFAULT-VALUE})")
    int maxOutput;

    @Option(names = "--status-port", paramLabel = "PORT", description = "serve the status page on 127.0.0.1:PORT (0: any free port)")
    Integer statusPort;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (a bar on a terminal, plain lines elsewhere), bar, plain or off (default: ${DEFAULT-VALUE})",
            converter = ProgressModeConverter.class)
    ConsoleProgress.Mode progress;

    @Parameters(paramLabel = "COMMAND", description = "the command and its arguments (after --); optional with --tasks "
            + "when every task has its own")
    List<String> command = List.of();

    @Override
    public Integer call() throws IOException {
        List<TaskSpec> tasks;
        Duration limit;
        Duration expectedTime;
        try {
            checkOptions();
            limit = timeout == null ? null : TaskLists.duration(timeout, "--timeout");
            expectedTime = expected == null ? null : TaskLists.duration(expected, "--expected");
            tasks = readTasks();
            if (command.isEmpty() && tasks.stream().anyMatch(t -> t.command() == null)) {
                throw new IllegalArgumentException("no command: give it after --, e.g. jparallel run --array 1-10 -- echo {}"
                        + (taskList.tasks != null ? " (or give each task in " + taskList.tasks + " args or command)" : ""));
            }
        } catch (IllegalArgumentException e) {
            System.err.println("jparallel run: " + e.getMessage());
            return 2;
        }
        if (tasks.isEmpty()) {
            System.err.println("jparallel run: the task list is empty: nothing to run");
            return 0;
        }
        Path logFile = log != null ? log : defaultLog();
        String dir = (workdir != null ? workdir : Path.of("")).toAbsolutePath().normalize().toString();
        String runName = runName();
        CommandRun.Settings settings = new CommandRun.Settings(command, dir, limit, maxOutput, outputDir, expectedTime,
                cpus, runName);
        if (outputDir != null) {
            Files.createDirectories(outputDir);
        }
        long t0 = System.nanoTime();
        RunSummary summary;
        int connected;
        WorkerOutputDir workerOutput = config == null ? WorkerOutputDir.make() : null;
        List<WorkerInfo> ended = null;
        // the manager closes before the display, delivering its last events; a bad configuration writes no log
        try (ConsoleProgress bar = new ConsoleProgress(System.out, progress, 2_000)) {
            try (Manager manager = RunManagers.create(config, workerOutput == null ? null : workerOutput.path(),
                    workers, retries, statusPort, new Journaling(journal, fresh, runName));
                 RunLog runLog = new RunLog(logFile, "jparallel run: " + tasks.size() + " task(s) of "
                         + String.join(" ", command) + " in " + dir)) {
                manager.addListener(bar);
                manager.statusAddress().ifPresent(a -> bar.println("status page: http://" + a.getHostString() + ":"
                        + a.getPort() + "/"));
                summary = new CommandRun(settings, runLog).run(manager, tasks, bar, System.err);
                connected = manager.stats().workersConnected();
                ended = manager.workers();
            }
        } catch (ConfigurationException e) {
            System.err.println(e.getMessage());
            return 2;
        } catch (JParallelException e) {
            System.err.println("jparallel run: " + e.getMessage());
            return 1;
        } finally {
            if (workerOutput != null) {
                workerOutput.finish(ended, System.err);
            }
        }
        summary.print(System.out, (System.nanoTime() - t0) / 1_000_000, connected, logFile.toString());
        return summary.exitCode();
    }

    private void checkOptions() {
        if (config != null && workers != null) {
            throw new IllegalArgumentException("--workers is for local workers without --config; set jparallel.workers "
                    + "in " + config + " instead");
        }
        if (workers != null && workers < 1) {
            throw new IllegalArgumentException("--workers must be at least 1");
        }
        if (retries != null && retries < 0) {
            throw new IllegalArgumentException("--retries must be 0 or more");
        }
        if (cpus != null && cpus < 1) {
            throw new IllegalArgumentException("--cpus must be at least 1");
        }
        if (name != null && (name.isBlank() || name.startsWith("#"))) {
            throw new IllegalArgumentException("--name must not be blank nor start with #");
        }
        if (fresh && journal == null && config == null) {
            throw new IllegalArgumentException("--fresh discards a journal: give --journal FILE too");
        }
        if (maxOutput < 2) {
            throw new IllegalArgumentException("--max-output must be at least 2 bytes");
        }
        Path logDir = log == null ? Path.of("").toAbsolutePath() : log.toAbsolutePath().getParent();
        if (!Files.isDirectory(logDir) || !Files.isWritable(logDir)) {
            throw new IllegalArgumentException("cannot write the run's log in " + logDir + ": no such writable directory"
                    + (log == null ? "; give --log FILE" : ""));
        }
        if (workdir != null && !Files.isDirectory(workdir)) {
            throw new IllegalArgumentException("--workdir " + workdir + " is not a directory");
        }
    }

    /** @return {@code --name}, or the command line's command (and the task file's name when its tasks have their own) */
    private String runName() {
        if (name != null) {
            return name;
        }
        String cmd = command.isEmpty() ? "" : "-- " + String.join(" ", command);
        return taskList.tasks == null ? cmd : ("--tasks " + taskList.tasks.getFileName() + " " + cmd).trim();
    }

    private List<TaskSpec> readTasks() throws IOException {
        if (taskList.array != null) {
            return TaskLists.array(taskList.array);
        }
        if (taskList.eachLine != null) {
            if (taskList.eachLine.equals("-")) {
                return TaskLists.lines(System.in);
            }
            Path f = Path.of(taskList.eachLine);
            if (!Files.isReadable(f)) {
                throw new IllegalArgumentException("--each-line " + f + ": no such readable file");
            }
            try (InputStream in = Files.newInputStream(f)) {
                return TaskLists.lines(in);
            }
        }
        if (!Files.isReadable(taskList.tasks)) {
            throw new IllegalArgumentException("--tasks " + taskList.tasks + ": no such readable file");
        }
        return TaskLists.jsonLines(taskList.tasks);
    }

    private static Path defaultLog() {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path p = Path.of("jparallel-run-" + stamp + ".log");
        for (int i = 2; Files.exists(p); i++) {
            p = Path.of("jparallel-run-" + stamp + "-" + i + ".log");
        }
        return p;
    }
}
