package org.jparallel.cli.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jparallel.ConsoleProgress;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.NoMoreWorkersException;
import org.jparallel.TaskFailedException;
import org.jparallel.TaskFuture;

/**
 * Runs a list of tasks on a manager's workers: adds a {@link CommandTask} per {@link TaskSpec}, writes each result
 * to the run's log (and the output directory) as it arrives, and counts the outcomes.
 *
 * <p>Tasks are identified by their keys; a later resume will pass the keys already done and skip them here.
 */
final class CommandRun {
    /**
     * @param template the command line's command ({@code {}} and {@code {#}} filled in per task)
     * @param workdir where the commands run, on the workers
     * @param timeout each task's time limit unless it has its own, or {@code null}
     * @param maxOutputBytes how much of each of a task's standard output and error comes back
     * @param outputDir where a file per task and stream goes, or {@code null}
     */
    record Settings(List<String> template, String workdir, Duration timeout, int maxOutputBytes, Path outputDir) {
    }

    private final Settings settings;
    private final RunLog log;

    CommandRun(Settings settings, RunLog log) {
        this.settings = settings;
        this.log = log;
    }

    /**
     * Runs the tasks and returns when each has ended, or no worker is left to run the rest.
     *
     * @param manager the manager, with its workers added
     * @param tasks the tasks
     * @param progress where lines of the run's own go (above the progress bar)
     * @return the outcomes
     */
    RunSummary run(Manager manager, List<TaskSpec> tasks, ConsoleProgress progress, PrintStream err) {
        RunSummary summary = new RunSummary(tasks.size());
        Context<Void, CommandOutput> ctx = manager.getContext();
        Map<Long, String> keys = new HashMap<>();
        for (TaskSpec t : tasks) {
            CommandTask task = new CommandTask(t.key(), t.commandFrom(settings.template()), env(t), settings.workdir(),
                    settings.maxOutputBytes());
            Duration limit = t.timeout() != null ? t.timeout() : settings.timeout();
            TaskFuture<CommandOutput> f = limit == null ? ctx.addTask(task) : ctx.addTask(task, limit);
            keys.put(f.taskId(), t.key());
        }
        Iterator<CommandOutput> results = ctx.getResultsUnordered().iterator();
        try {
            while (results.hasNext()) {
                TaskOutcome o;
                try {
                    o = TaskOutcome.succeeded(results.next());
                } catch (TaskFailedException e) {
                    o = TaskOutcome.failed(keys.remove(e.getTaskId()), e);
                    progress.println(o.line());
                }
                record(o);
                summary.add(o);
            }
        } catch (NoMoreWorkersException e) {
            err.println("jparallel run: stopped early: " + e.getMessage());
        }
        return summary;
    }

    private static Map<String, String> env(TaskSpec t) {
        Map<String, String> env = new LinkedHashMap<>(t.env());
        env.put("JPARALLEL_TASK_KEY", t.key());
        return env;
    }

    private void record(TaskOutcome o) {
        log.write(o.key(), o.output(), o.reason());
        if (settings.outputDir() != null && o.output() != null) {
            String name = o.key().replace('/', '_');
            try {
                Files.write(settings.outputDir().resolve(name + ".out"), o.output().stdout());
                Files.write(settings.outputDir().resolve(name + ".err"), o.output().stderr());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write task " + o.key() + "'s output in " + settings.outputDir()
                        + ": " + e.getMessage(), e);
            }
        }
    }
}
