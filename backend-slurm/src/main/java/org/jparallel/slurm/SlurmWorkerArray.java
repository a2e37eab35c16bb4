package org.jparallel.slurm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jparallel.spi.ArrayJobScript;
import org.jparallel.spi.CommandRunner;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.OutputFiles;
import org.jparallel.spi.RunDirectory;
import org.jparallel.spi.ShellWords;
import org.jparallel.spi.TaskIdRanges;
import org.jparallel.spi.UnstartedWorkerHandle;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workers as the tasks of one Slurm array job:
 *
 * <pre>{@code
 * manager.addWorker(new SlurmWorkerArray(8, new SlurmOptions().partition("short").time("2:00:00").memory("4G")));
 * }</pre>
 *
 * <p>One {@code sbatch --parsable --array=IDS} per start, whose array task ids are the worker ids the
 * core handed out, running a POSIX {@code sh} script; each task writes its own output file (the
 * {@code %d} of the output pattern becomes Slurm's {@code %a}). The run's secret is written to a 0600
 * file in a private 0700 directory under {@link SlurmOptions#secretDir} that the jobs read with
 * {@code --secret-file} (the directory must be on a file system shared with the compute nodes, as home
 * directories usually are); it is never on a command line, in the job's environment nor in squeue.
 * State comes from one throttled {@code squeue} for all jobs; stopping cancels the tasks with one
 * batched {@code scancel}. A failed {@code sbatch} (an unknown partition, memory no node has ...) fails
 * every worker at once with sbatch's message. Built on parallel-api's SPI alone.
 */
public final class SlurmWorkerArray implements WorkerGroup {
    private static final Logger LOG = LoggerFactory.getLogger(SlurmWorkerArray.class);
    private static final long SBATCH_TIMEOUT_MS = 60_000;
    /**
     * The script of every task: {@code sbatch --array=IDS} makes {@code $SLURM_ARRAY_TASK_ID} the worker id;
     * the extra {@code #SBATCH} lines go right after the {@code #!} line, where sbatch reads them.
     */
    static final ArrayJobScript JOB_SCRIPT = new ArrayJobScript("SlurmWorkerArray", "SLURM_ARRAY_TASK_ID",
            "Slurm job ${SLURM_ARRAY_JOB_ID:-?}_$id on $(uname -n)");

    private final int count;
    private final SlurmOptions options;
    private final CommandRunner runner;
    private SlurmCluster cluster;

    /**
     * @param count how many workers, at least 1
     * @param options how to submit them
     */
    public SlurmWorkerArray(int count, SlurmOptions options) {
        this(count, options, CommandRunner.system(), null);
    }

    /** @param count how many workers, at least 1, submitted with every default */
    public SlurmWorkerArray(int count) {
        this(count, new SlurmOptions());
    }

    SlurmWorkerArray(int count, SlurmOptions options, CommandRunner runner, SlurmCluster cluster) {
        if (count < 1) {
            throw new IllegalArgumentException("SlurmWorkerArray count must be at least 1, got " + count);
        }
        this.count = count;
        this.options = Objects.requireNonNull(options, "options");
        this.runner = runner;
        this.cluster = cluster;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public String backendName() {
        return SlurmBackend.NAME;
    }

    /** @return the options this group submits with */
    public SlurmOptions options() {
        return options;
    }

    @Override
    public List<WorkerHandle> start(LaunchSpec spec) throws Exception {
        LaunchSpec s = options.applyTo(spec);
        if (!options.dryRun) {
            CommandRunner.resolve(SlurmOptions.words(options.sbatchCommand).get(0), "Slurm", "jparallel.slurm.sbatch",
                    "install the Slurm client (Debian: slurm-client; SlurmOptions.sbatchCommand in code)");
        }
        RunDirectory run;
        try {
            run = RunDirectory.create(options.secretDirOrDefault(), s);
        } catch (IOException e) {
            throw new IOException("cannot write the run's secret under " + options.secretDirOrDefault() + ": " + e
                    + " (set a directory shared with the compute nodes with jparallel.slurm.secret-dir)", e);
        }
        String pattern = Path.of(s.outputPattern()).toAbsolutePath().toString();
        Path script = run.writeScript("job.sh", JOB_SCRIPT.text(s, run, options.sbatchLines));
        List<String> cmd = SbatchCommand.build(options, s.workerIds(), pattern, script);
        SlurmSubmission submission = new SlurmSubmission(run, s.workerIds().size());
        if (options.dryRun) {
            String text = "dry run (jparallel.slurm.dry-run=true), nothing submitted.\n" + describe(cmd, script, s, run);
            LOG.info("{}", text);
            run.delete();
            return failAll(s.workerIds(), pattern, submission, text);
        }
        for (int id : s.workerIds()) {
            OutputFiles.clearStale(SbatchCommand.outputFile(pattern, id)); // an earlier run's lines are not this worker's
        }
        long t0 = System.nanoTime();
        SbatchParser.Submitted job;
        try {
            CommandRunner.Result r = runner.run(cmd, null, SBATCH_TIMEOUT_MS);
            if (r.exitCode() != 0) {
                return failAll(s.workerIds(), pattern, submission, "sbatch failed with exit code " + r.exitCode()
                        + ": " + r.both() + "\ncommand: " + ShellWords.join(cmd));
            }
            job = SbatchParser.parse(r.stdout());
        } catch (IOException | RuntimeException e) {
            return failAll(s.workerIds(), pattern, submission, "could not submit workers " + s.workerIds() + ": "
                    + e.getMessage() + "\ncommand: " + ShellWords.join(cmd));
        }
        SlurmCluster c = cluster();
        submission.submitted(job.jobId(), c);
        LOG.info("submitted Slurm job {}_[{}] ({}) in {} ms", job.jobId(), TaskIdRanges.format(s.workerIds()),
                options.jobName, (System.nanoTime() - t0) / 1_000_000);
        LOG.debug("sbatch command: {}", ShellWords.join(cmd));
        List<WorkerHandle> out = new ArrayList<>();
        for (int id : s.workerIds()) {
            out.add(new SlurmTaskHandle(id, new TaskKey(job.jobId(), id), options.jobName, c, submission,
                    SbatchCommand.outputFile(pattern, id)));
        }
        return out;
    }

    /**
     * @param spec a launch spec
     * @return the job script and the sbatch command line {@link #start} would use, without submitting
     * @throws IOException when the private directory cannot be written
     */
    public String dryRunText(LaunchSpec spec) throws IOException {
        LaunchSpec s = options.applyTo(spec);
        RunDirectory run = RunDirectory.create(options.secretDirOrDefault(), s);
        try {
            Path script = run.writeScript("job.sh", JOB_SCRIPT.text(s, run, options.sbatchLines));
            String pattern = Path.of(s.outputPattern()).toAbsolutePath().toString();
            return describe(SbatchCommand.build(options, s.workerIds(), pattern, script), script, s, run);
        } finally {
            run.delete();
        }
    }

    private String describe(List<String> cmd, Path script, LaunchSpec s, RunDirectory run) {
        return "sbatch command: " + ShellWords.join(cmd) + "\njob script " + script + ":\n"
                + JOB_SCRIPT.text(s, run, options.sbatchLines);
    }

    private synchronized SlurmCluster cluster() {
        if (cluster == null) {
            cluster = SlurmCluster.shared(SlurmOptions.words(options.squeueCommand),
                    SlurmOptions.words(options.scancelCommand), SlurmOptions.words(options.sacctCommand));
        }
        return cluster;
    }

    private List<WorkerHandle> failAll(List<Integer> ids, String pattern, SlurmSubmission submission, String reason) {
        if (!options.dryRun) {
            LOG.warn("{}", reason);
        }
        List<WorkerHandle> out = new ArrayList<>();
        for (int id : ids) {
            out.add(new UnstartedWorkerHandle(id, "Slurm worker " + id + " (not submitted)",
                    SbatchCommand.outputFile(pattern, id), reason, submission::handleStopped));
        }
        return out;
    }
}
