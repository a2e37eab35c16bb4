package org.jparallel.spi.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jparallel.spi.ArrayJobScript;
import org.jparallel.spi.CommandRunner;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.OutputFiles;
import org.jparallel.spi.RunDirectory;
import org.jparallel.spi.RunDirectorySweep;
import org.jparallel.spi.ShellWords;
import org.jparallel.spi.TaskIdRanges;
import org.jparallel.spi.UnstartedWorkerHandle;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;

/**
 * Workers as the tasks of a batch scheduler's array jobs, for any {@link BatchScheduler}: the
 * scheduler says what to run and how to read it, this group does the rest. Each {@link #start}:
 * <ol>
 * <li>makes a private 0700 {@link RunDirectory} under the secret directory and writes the run's
 *     secret in it (0600): never on a command line nor in the job's environment (the first start in a JVM
 *     also has those that killed managers left there deleted, once their jobs have ended: {@link
 *     RunDirectorySweep});</li>
 * <li>writes the {@link ArrayJobScript}, which takes the worker id from the scheduler's task id
 *     variable and records the worker's exit code;</li>
 * <li>submits the ids as one array job, or one per contiguous range when the scheduler takes single
 *     ranges only, each worker's stale output file deleted first;</li>
 * <li>returns one {@link BatchTaskHandle} per id, in the spec's order, sharing this group's {@link
 *     QueueView} and {@link CancelBatcher}. A refused submission fails its workers at once with the
 *     scheduler's message; a dry run fails them with the script and the submit command.</li>
 * </ol>
 * A scheduler's worker array class extends it with its options class and constructors, e.g. {@code
 * class PbsWorkerArray extends BatchWorkerGroup<PbsOptions>}.
 *
 * @param <O> the options class the group submits with
 */
public class BatchWorkerGroup<O extends BatchOptions<O>> implements WorkerGroup {
    private static final System.Logger LOG = System.getLogger(BatchWorkerGroup.class.getName());
    private static final long SUBMIT_TIMEOUT_MS = 60_000;

    private final int count;
    private final String backendName;
    private final BatchScheduler scheduler;
    private final O options;
    private final QueueView view;
    private final CancelBatcher cancels;

    /**
     * A group with its own view of the queue and its own batched cancel.
     *
     * @param count how many workers, at least 1
     * @param backendName the backend's name, for messages, keys and the secret directory's default
     * @param scheduler the scheduler
     * @param options the shared options
     */
    public BatchWorkerGroup(int count, String backendName, BatchScheduler scheduler, O options) {
        this(count, backendName, new QueueView(scheduler, options, CommandRunner.system(), System::nanoTime,
                QueueView.DEFAULT_MAX_AGE_MS), options);
    }

    /**
     * A group sharing a view of the queue (and the view's runner and clock), e.g. with the other
     * groups its backend made, so that one status command serves them all.
     *
     * @param count how many workers, at least 1
     * @param backendName the backend's name, for messages, keys and the secret directory's default
     * @param view the view, whose scheduler this group submits to
     * @param options the shared options
     */
    public BatchWorkerGroup(int count, String backendName, QueueView view, O options) {
        this(count, backendName, view, new CancelBatcher(view), options);
    }

    /**
     * @param count how many workers, at least 1
     * @param backendName the backend's name
     * @param view the view of the queue
     * @param cancels the batched cancel
     * @param options the shared options
     */
    public BatchWorkerGroup(int count, String backendName, QueueView view, CancelBatcher cancels, O options) {
        if (count < 1) {
            throw new IllegalArgumentException(backendName + " worker group count must be at least 1, got " + count);
        }
        this.count = count;
        this.backendName = Objects.requireNonNull(backendName, "backendName");
        this.view = Objects.requireNonNull(view, "view");
        this.scheduler = view.scheduler();
        this.cancels = Objects.requireNonNull(cancels, "cancels");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public int size() {
        return count;
    }

    /** @return true: each start is one more array submission of the ids it is given (automatic allocation) */
    @Override
    public boolean canGrow() {
        return true;
    }

    @Override
    public String backendName() {
        return backendName;
    }

    /** @return the time limit each worker's job asks for, as its scheduler reads it from the options; {@code null} for none */
    @Override
    public java.time.Duration walltime() {
        return scheduler.walltime(options.options());
    }

    /** @return the task slots of each worker, as set on the options ({@code null}: 1) */
    @Override
    public String slots() {
        return options.slots();
    }

    /** @return the scheduler this group submits to */
    public BatchScheduler scheduler() {
        return scheduler;
    }

    /** @return the options this group submits with */
    public O options() {
        return options;
    }

    @Override
    public List<WorkerHandle> start(LaunchSpec spec) throws Exception {
        LaunchSpec s = options.applyTo(spec);
        if (!options.dryRun()) {
            String tool = scheduler.tools().get(0);
            CommandRunner.resolve(options.commandWords(tool).get(0), scheduler.product(), key(tool),
                    "install the " + scheduler.product() + " client");
        }
        Path secretDir = options.secretDirOrDefault(backendName);
        if (!options.dryRun()) { // what managers killed earlier left there, once their jobs have ended
            RunDirectorySweep.startOnce(secretDir, backendName, view::unended);
        }
        RunDirectory run;
        try {
            run = RunDirectory.create(secretDir, s);
        } catch (IOException e) {
            throw new IOException("cannot write the run's secret under " + secretDir + ": " + e + " (set a directory"
                    + " shared with the " + scheduler.product() + " hosts with " + key(BatchKeys.SECRET_DIR.name()) + ")", e);
        }
        String script = script(s, run);
        Path scriptFile = run.writeScript("job.sh", script);
        RunRecord record = new RunRecord(run, s.workerIds().size(), view);
        List<WorkerHandle> handles = new ArrayList<>();
        for (Submission sub : submissions(s, scriptFile)) {
            handles.addAll(submit(sub, script, record));
        }
        if (options.dryRun()) {
            run.delete();
        }
        List<WorkerHandle> ordered = new ArrayList<>(); // back in the core's order
        for (int id : s.workerIds()) {
            handles.stream().filter(h -> h.workerId() == id).findFirst().ifPresent(ordered::add);
        }
        return ordered;
    }

    /**
     * @param spec a launch spec
     * @return the submit command(s) and the job script {@link #start} would use, without submitting
     * @throws IOException when the private directory cannot be written
     */
    public String dryRunText(LaunchSpec spec) throws IOException {
        LaunchSpec s = options.applyTo(spec);
        RunDirectory run = RunDirectory.create(options.secretDirOrDefault(backendName), s);
        try {
            String script = script(s, run);
            Path scriptFile = run.writeScript("job.sh", script);
            StringBuilder sb = new StringBuilder();
            for (Submission sub : submissions(s, scriptFile)) {
                sb.append(describe(sub, script)).append('\n');
            }
            return sb.toString().strip();
        } finally {
            run.delete();
        }
    }

    private String script(LaunchSpec s, RunDirectory run) {
        return new ArrayJobScript(scheduler.getClass().getSimpleName(), scheduler.taskIdVariable(), scheduler.location())
                .text(s, run, scheduler.directives());
    }

    private List<Submission> submissions(LaunchSpec s, Path script) {
        List<Integer> ids = s.workerIds().stream().distinct().sorted().toList();
        String pattern = Path.of(s.outputPattern()).toAbsolutePath().toString();
        pattern = pattern.contains("%d") ? pattern : pattern + ".%d"; // one file per task
        List<List<Integer>> parts = new ArrayList<>();
        if (scheduler.acceptsIdLists()) {
            parts.add(ids);
        } else {
            for (int[] r : TaskIdRanges.runs(ids)) {
                List<Integer> range = new ArrayList<>();
                for (int id = r[0]; id <= r[1]; id++) {
                    range.add(id);
                }
                parts.add(range);
            }
        }
        List<Submission> out = new ArrayList<>();
        for (List<Integer> part : parts) {
            out.add(new Submission(part, script, options.jobName(), pattern, options.directoryOrDefault(),
                    options.options(), s.requestedCores()));
        }
        return out;
    }

    private List<WorkerHandle> submit(Submission sub, String script, RunRecord record) {
        List<String> cmd = view.commandLine(scheduler.submitCommand(sub));
        String commandText = ShellWords.join(cmd);
        if (options.dryRun()) {
            String text = "dry run (" + key(BatchKeys.DRY_RUN.name()) + "=true), nothing submitted.\n" + describe(sub, script);
            LOG.log(System.Logger.Level.INFO, text);
            return failAll(sub, record, text);
        }
        String noDirectory = makeOutputDirectory(sub);
        if (noDirectory != null) {
            return failAll(sub, record, noDirectory);
        }
        for (int id : sub.ids()) {
            OutputFiles.clearStale(outputFile(sub, id)); // an earlier run's lines are not this worker's
        }
        long t0 = System.nanoTime();
        String jobId;
        try {
            CommandRunner.Result r = view.runner().run(cmd, null, SUBMIT_TIMEOUT_MS);
            if (r.exitCode() != 0) {
                return failAll(sub, record, scheduler.tools().get(0) + " failed with exit code " + r.exitCode() + ": "
                        + r.both() + "\ncommand: " + commandText);
            }
            jobId = scheduler.parseJobId(r.stdout());
        } catch (IOException | RuntimeException e) {
            return failAll(sub, record, "could not submit workers " + sub.idList() + ": " + e.getMessage()
                    + "\ncommand: " + commandText);
        }
        record.directory().recordJob(backendName, jobId); // kept for the job while it runs, even after a kill -9
        record.submitted(jobId);
        LOG.log(System.Logger.Level.INFO, "submitted " + scheduler.product() + " job " + jobId + " [" + sub.idList()
                + "] (" + sub.jobName() + ") in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        List<WorkerHandle> out = new ArrayList<>();
        for (int id : sub.ids()) {
            out.add(new BatchTaskHandle(new ArrayTask(jobId, id), sub.jobName(), view, cancels, record,
                    outputFile(sub, id)));
        }
        return out;
    }

    /**
     * Makes the directory of the submission's output files when missing: a scheduler fails a job whose output
     * directory does not exist (Slurm at once; Grid Engine's job waits in Eqw), with a reason far from the cause.
     * The manager and the execution hosts share the filesystem of the output files (the manager reads them).
     *
     * @return why one could not be made, or {@code null}
     */
    private static String makeOutputDirectory(Submission sub) {
        Set<Path> parents = new LinkedHashSet<>(); // one, unless the pattern has a directory per worker
        for (int id : sub.ids()) {
            Path parent = outputFile(sub, id).getParent();
            if (parent != null) {
                parents.add(parent);
            }
        }
        for (Path parent : parents) {
            String problem = OutputFiles.makeDirectory(parent);
            if (problem != null) {
                return problem + " (set the output pattern with jparallel.worker.output or the backend's output key)";
            }
        }
        return null;
    }

    private String describe(Submission sub, String script) {
        return scheduler.tools().get(0) + " command: " + ShellWords.join(view.commandLine(scheduler.submitCommand(sub)))
                + "\njob script " + sub.script() + ":\n" + script;
    }

    private List<WorkerHandle> failAll(Submission sub, RunRecord record, String reason) {
        if (!options.dryRun()) {
            LOG.log(System.Logger.Level.WARNING, reason);
        }
        List<WorkerHandle> out = new ArrayList<>();
        for (int id : sub.ids()) {
            out.add(new UnstartedWorkerHandle(id, scheduler.product() + " worker " + id + " (not submitted)",
                    outputFile(sub, id), reason, record::workerStopped));
        }
        return out;
    }

    private static Path outputFile(Submission sub, int id) {
        return Path.of(sub.outputPath(Integer.toString(id)));
    }

    private String key(String name) {
        return "jparallel." + backendName + "." + name;
    }
}
