package org.jparallel.sge;

import java.io.IOException;
import java.util.List;
import org.jparallel.spi.CommandRunner;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.batch.BatchWorkerGroup;
import org.jparallel.spi.batch.QueueView;

/**
 * Workers as the tasks of Grid Engine array jobs, the Java counterpart of IMP.parallel's
 * {@code SGEQsubWorkerArray}:
 *
 * <pre>{@code
 * manager.addWorker(new SgeQsubWorkerArray(8, new SgeOptions().queue("all.q").resources("h_vmem=4G")));
 * }</pre>
 *
 * <p>A {@link BatchWorkerGroup} for the {@link SgeScheduler}: one {@code qsub -terse -t FIRST-LAST} job
 * per contiguous range of worker ids, the secret in a 0600 file of a private directory under {@link
 * SgeOptions#secretDir} (which must be shared with the execution hosts), state from one throttled
 * {@code qstat -xml} for the group, stops batched into one {@code qdel}. With {@link
 * SgeOptions.Submit#DRMAA} the jobs are submitted and terminated through the cluster's DRMAA library
 * instead ({@link DrmaaCommands}).
 */
public final class SgeQsubWorkerArray implements WorkerGroup {
    private final SgeOptions options;
    private final BatchWorkerGroup group;

    /**
     * @param count how many workers, at least 1
     * @param options how to submit them
     */
    public SgeQsubWorkerArray(int count, SgeOptions options) {
        this(count, options, CommandRunner.system(), QueueView.DEFAULT_MAX_AGE_MS);
    }

    /** @param count how many workers, at least 1, submitted with every default */
    public SgeQsubWorkerArray(int count) {
        this(count, new SgeOptions());
    }

    SgeQsubWorkerArray(int count, SgeOptions options, CommandRunner runner, long qstatMaxAgeMillis) {
        this.options = options;
        CommandRunner r = options.submit() == SgeOptions.Submit.DRMAA ? new DrmaaCommands(runner, options.batch) : runner;
        QueueView view = new QueueView(options.scheduler, options.batch, r, System::nanoTime, qstatMaxAgeMillis);
        this.group = new BatchWorkerGroup(count, SgeBackend.NAME, view, options.batch);
    }

    @Override
    public int size() {
        return group.size();
    }

    @Override
    public String backendName() {
        return SgeBackend.NAME;
    }

    /** @return the options this group submits with */
    public SgeOptions options() {
        return options;
    }

    /** @return the walltime each worker's job asks for (its time limit), or {@code null} for none */
    @Override
    public java.time.Duration walltime() {
        return group.walltime();
    }

    @Override
    public List<WorkerHandle> start(LaunchSpec spec) throws Exception {
        return group.start(spec);
    }

    /**
     * @param spec a launch spec
     * @return the job script and the qsub command line {@link #start} would use, without submitting
     * @throws IOException when the private directory cannot be written
     */
    public String dryRunText(LaunchSpec spec) throws IOException {
        return group.dryRunText(spec);
    }
}
