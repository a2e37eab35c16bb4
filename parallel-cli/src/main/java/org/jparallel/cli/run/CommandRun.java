package org.jparallel.cli.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jparallel.ConsoleProgress;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.NoMoreWorkersException;
import org.jparallel.TaskFailedException;
import org.jparallel.TaskFuture;
import org.jparallel.TaskOptions;

/**
 * Runs a list of tasks on a manager's workers: adds a {@link CommandTask} per {@link TaskSpec}, writes each result
 * to the run's log (and the output directory) as it arrives, and counts the outcomes.
 *
 * <p>Each task is added with its key, in a context named after the run: with a journal, a task an earlier run
 * finished is not run again, and its outcome is logged as {@code [KEY end] from the journal ...} and counted apart.
 */
final class CommandRun {
    /**
     * @param template the command line's command ({@code {}} and {@code {#}} filled in per task)
     * @param workdir where the commands run, on the workers
     * @param timeout each task's time limit unless it has its own, or {@code null}
     * @param maxOutputBytes how much of each of a task's standard output and error comes back
     * @param outputDir where a file per task and stream goes, or {@code null}
     * @param expected each task's expected running time unless it has its own, or {@code null}
     * @param cpus the task slots of a worker each task takes unless it says, or {@code null} for 1
     * @param name the run's name: its context's name in the manager (and in a journal)
     */
    record Settings(List<String> template, String workdir, Duration timeout, int maxOutputBytes, Path outputDir,
                    Duration expected, Integer cpus, String name) {
    }

    /** How a task ended in an earlier run when the journal already delivered its result, so it is not returned. */
    static final String DELIVERED_EARLIER = "from the journal: succeeded in an earlier run (its output is in that run's log)";

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
        Context<Void, CommandOutput> ctx = manager.getContext(settings.name());
        Set<String> replayed = new HashSet<>();
        for (TaskSpec t : tasks) {
            CommandTask task = new CommandTask(t.key(), t.commandFrom(settings.template()), env(t), settings.workdir(),
                    settings.maxOutputBytes());
            TaskFuture<CommandOutput> f = ctx.addTask(task, options(t, settings));
            if (f.isCancelled()) {
                // the journal holds its result as delivered to an earlier run: it neither runs nor comes back
                log.write(t.key(), null, DELIVERED_EARLIER);
                summary.addFromJournal();
            } else if (f.isDone()) {
                replayed.add(t.key()); // its result comes from the journal, with the iterator's others
            }
        }
        Iterator<CommandOutput> results = ctx.getResultsUnordered().iterator();
        try {
            while (results.hasNext()) {
                TaskOutcome o;
                try {
                    CommandOutput output = results.next();
                    if (replayed.remove(output.key())) {
                        record(output.key(), output, "from the journal: " + TaskOutcome.succeeded(output).reason());
                        summary.addFromJournal();
                        continue;
                    }
                    o = TaskOutcome.succeeded(output);
                } catch (TaskFailedException e) {
                    o = TaskOutcome.failed(e.getKey().orElse("#" + e.getTaskId()), e); // every task is keyed
                    progress.println(o.line());
                }
                record(o.key(), o.output(), o.reason());
                summary.add(o);
            }
        } catch (NoMoreWorkersException e) {
            err.println("jparallel run: stopped early: " + e.getMessage());
        }
        return summary;
    }

    /** @return the task's key, and its own time limit, expected duration and cpus or else the run's */
    static TaskOptions options(TaskSpec t, Settings settings) {
        TaskOptions o = TaskOptions.none().withKey(t.key());
        Duration limit = t.timeout() != null ? t.timeout() : settings.timeout();
        if (limit != null) {
            o = o.withTimeout(limit);
        }
        Duration expected = t.expected() != null ? t.expected() : settings.expected();
        if (expected != null) {
            o = o.withExpectedDuration(expected);
        }
        Integer cpus = t.cpus() != null ? t.cpus() : settings.cpus();
        if (cpus != null) {
            o = o.withCpus(cpus);
        }
        return o;
    }

    private static Map<String, String> env(TaskSpec t) {
        Map<String, String> env = new LinkedHashMap<>(t.env());
        env.put("JPARALLEL_TASK_KEY", t.key());
        return env;
    }

    private void record(String key, CommandOutput output, String end) {
        log.write(key, output, end);
        if (settings.outputDir() != null && output != null) {
            String name = key.replace('/', '_');
            try {
                Files.write(settings.outputDir().resolve(name + ".out"), output.stdout());
                Files.write(settings.outputDir().resolve(name + ".err"), output.stderr());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write task " + key + "'s output in " + settings.outputDir()
                        + ": " + e.getMessage(), e);
            }
        }
    }
}
