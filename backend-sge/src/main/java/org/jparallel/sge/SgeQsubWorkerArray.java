package org.jparallel.sge;

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
 * Workers as the tasks of one Grid Engine array job, the Java counterpart of IMP.parallel's
 * {@code SGEQsubWorkerArray}:
 *
 * <pre>{@code
 * manager.addWorker(new SgeQsubWorkerArray(8, new SgeOptions().queue("all.q").resources("h_vmem=4G")));
 * }</pre>
 *
 * <p>One {@code qsub -terse -t FIRST-LAST} job per start, whose task ids are the worker ids, running a
 * POSIX {@code sh} script; each task writes its own output file (the {@code %d} of the output
 * pattern), given to Grid Engine with {@code -o}. The run's secret is written to a 0600 file in a
 * private 0700 directory under {@link SgeOptions#secretDir} that the jobs read (the directory must be
 * on a file system shared with the execution hosts, as home directories usually are); it is never on
 * a command line nor in the job's environment. State comes from one throttled {@code qstat} for all
 * jobs; stopping deletes the tasks with one batched {@code qdel}. With {@link SgeOptions.Submit#DRMAA}
 * the job is submitted and terminated through the cluster's DRMAA library instead.
 */
public final class SgeQsubWorkerArray implements WorkerGroup {
    private static final Logger LOG = LoggerFactory.getLogger(SgeQsubWorkerArray.class);
    private static final long QSUB_TIMEOUT_MS = 60_000;
    /** The script of every task: {@code qsub -t FIRST-LAST} makes {@code $SGE_TASK_ID} the worker id. */
    static final ArrayJobScript JOB_SCRIPT = new ArrayJobScript("SgeQsubWorkerArray", "SGE_TASK_ID",
            "Grid Engine job ${JOB_ID:-?}.$id on ${HOSTNAME:-$(uname -n)}");

    private final int count;
    private final SgeOptions options;
    private final CommandRunner runner;
    private SgeCluster cluster;

    /**
     * @param count how many workers, at least 1
     * @param options how to submit them
     */
    public SgeQsubWorkerArray(int count, SgeOptions options) {
        this(count, options, CommandRunner.system(), null);
    }

    /** @param count how many workers, at least 1, submitted with every default */
    public SgeQsubWorkerArray(int count) {
        this(count, new SgeOptions());
    }

    SgeQsubWorkerArray(int count, SgeOptions options, CommandRunner runner, SgeCluster cluster) {
        if (count < 1) {
            throw new IllegalArgumentException("SgeQsubWorkerArray count must be at least 1, got " + count);
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
        return SgeBackend.NAME;
    }

    /** @return the options this group submits with */
    public SgeOptions options() {
        return options;
    }

    @Override
    public List<WorkerHandle> start(LaunchSpec spec) throws Exception {
        LaunchSpec s = options.applyTo(spec);
        List<Integer> ids = new ArrayList<>(s.workerIds());
        ids.sort(null);
        if (!options.dryRun && options.submit == SgeOptions.Submit.QSUB) {
            CommandRunner.resolve(SgeOptions.words(options.qsubCommand).get(0), "Grid Engine", "jparallel.sge.qsub",
                    "install the Grid Engine client (SgeOptions.qsubCommand in code)");
        }
        RunDirectory run;
        try {
            run = RunDirectory.create(options.secretDirOrDefault(), s);
        } catch (IOException e) {
            throw new IOException("cannot write the run's secret under " + options.secretDirOrDefault() + ": " + e
                    + " (set a directory shared with the execution hosts with jparallel.sge.secret-dir)", e);
        }
        Path script = run.writeScript("job.sh", JOB_SCRIPT.text(s, run));
        String pattern = Path.of(s.outputPattern()).toAbsolutePath().toString();
        SgeSubmission submission = new SgeSubmission(run, ids.size());
        List<WorkerHandle> handles = new ArrayList<>();
        for (int[] r : TaskIdRanges.runs(ids)) {
            handles.addAll(submit(s, submission, script, pattern, r[0], r[1]));
        }
        if (options.dryRun) {
            run.delete();
        }
        // back in the core's order
        List<WorkerHandle> ordered = new ArrayList<>();
        for (int id : s.workerIds()) {
            handles.stream().filter(h -> h.workerId() == id).findFirst().ifPresent(ordered::add);
        }
        return ordered;
    }

    /**
     * @param spec a launch spec
     * @return the job script and the qsub command line {@link #start} would use, without submitting
     */
    public String dryRunText(LaunchSpec spec) throws IOException {
        LaunchSpec s = options.applyTo(spec);
        RunDirectory run = RunDirectory.create(options.secretDirOrDefault(), s);
        try {
            Path script = run.writeScript("job.sh", JOB_SCRIPT.text(s, run));
            String pattern = Path.of(s.outputPattern()).toAbsolutePath().toString();
            StringBuilder sb = new StringBuilder();
            for (int[] r : TaskIdRanges.runs(s.workerIds().stream().sorted().toList())) {
                sb.append("qsub command: ").append(ShellWords.join(QsubCommand.build(options, r[0], r[1], pattern, script)))
                        .append('\n');
            }
            return sb.append("job script ").append(script).append(":\n").append(JOB_SCRIPT.text(s, run)).toString();
        } finally {
            run.delete();
        }
    }

    private List<WorkerHandle> submit(LaunchSpec s, SgeSubmission submission, Path script, String pattern,
                                      int first, int last) {
        List<String> cmd = QsubCommand.build(options, first, last, pattern, script);
        String commandText = ShellWords.join(cmd);
        if (options.dryRun) {
            String text = "dry run (jparallel.sge.dry-run=true), nothing submitted.\nqsub command: " + commandText
                    + "\njob script " + script + ":\n" + JOB_SCRIPT.text(s, submission.run());
            LOG.info("{}", text);
            return failAll(first, last, pattern, submission, text);
        }
        for (int id = first; id <= last; id++) {
            OutputFiles.clearStale(outputFile(pattern, id)); // Grid Engine appends: an earlier run's lines would stay
        }
        List<TaskKey> tasks;
        TaskKiller killer;
        try {
            if (options.submit == SgeOptions.Submit.DRMAA) {
                DrmaaSubmitter drmaa = DrmaaSubmitter.get();
                tasks = drmaa.submitArray(script, QsubCommand.nativeOptions(options), options.jobName,
                        QsubCommand.sgeOutputPath(pattern, DrmaaSubmitter.INDEX_PLACEHOLDER),
                        options.directoryOrDefault(), first, last);
                killer = drmaa::terminate;
                LOG.info("submitted Grid Engine tasks {} through DRMAA (workers {}-{})", tasks, first, last);
            } else {
                long t0 = System.nanoTime();
                CommandRunner.Result r = runner.run(cmd, null, QSUB_TIMEOUT_MS);
                if (r.exitCode() != 0) {
                    return failAll(first, last, pattern, submission, "qsub failed with exit code " + r.exitCode()
                            + ": " + r.both() + "\ncommand: " + commandText);
                }
                long job = QsubOutputParser.jobId(r.stdout());
                tasks = new ArrayList<>();
                for (int id = first; id <= last; id++) {
                    tasks.add(new TaskKey(job, id));
                }
                SgeCluster c = cluster();
                killer = c::delete;
                LOG.info("submitted Grid Engine job {}.{}-{} ({}) in {} ms", job, first, last, options.jobName,
                        (System.nanoTime() - t0) / 1_000_000);
                LOG.debug("qsub command: {}", commandText);
            }
        } catch (IOException | RuntimeException e) {
            return failAll(first, last, pattern, submission, "could not submit workers " + first + "-" + last
                    + ": " + e.getMessage() + "\ncommand: " + commandText);
        }
        List<WorkerHandle> out = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            int id = first + i;
            out.add(new SgeTaskHandle(id, tasks.get(i), options.jobName, cluster(), killer, submission,
                    outputFile(pattern, id)));
        }
        return out;
    }

    private synchronized SgeCluster cluster() {
        if (cluster == null) {
            cluster = SgeCluster.shared(SgeOptions.words(options.qstatCommand), SgeOptions.words(options.qdelCommand));
        }
        return cluster;
    }

    private List<WorkerHandle> failAll(int first, int last, String pattern, SgeSubmission submission, String reason) {
        if (!options.dryRun) {
            LOG.warn("{}", reason);
        }
        List<WorkerHandle> out = new ArrayList<>();
        for (int id = first; id <= last; id++) {
            out.add(new UnstartedWorkerHandle(id, "Grid Engine worker " + id + " (not submitted)", outputFile(pattern, id),
                    reason, submission::handleStopped));
        }
        return out;
    }

    static Path outputFile(String pattern, int id) {
        return Path.of(QsubCommand.sgeOutputPath(pattern, Integer.toString(id)));
    }
}
