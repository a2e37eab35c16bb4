package org.jparallel.slurm;

import java.io.IOException;
import java.util.List;
import org.jparallel.spi.CommandRunner;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.batch.BatchWorkerGroup;
import org.jparallel.spi.batch.QueueView;

/**
 * Workers as the tasks of one Slurm array job per start:
 *
 * <pre>{@code
 * manager.addWorker(new SlurmWorkerArray(8, new SlurmOptions().partition("short").time("2:00:00").memory("4G")));
 * }</pre>
 *
 * <p>The batch kit's {@link BatchWorkerGroup} with a {@link SlurmScheduler}: one {@code sbatch
 * --parsable --array=IDS} whose array task ids are the worker ids, the run's secret in a private 0600
 * file under {@link SlurmOptions#secretDir} (never on a command line, in the job's environment nor in
 * squeue), one throttled {@code squeue} for the group's jobs, one batched {@code scancel} at stop. A
 * failed {@code sbatch} fails every worker at once with sbatch's message.
 */
public final class SlurmWorkerArray implements WorkerGroup {
    private final SlurmOptions options;
    private final BatchWorkerGroup group;

    /**
     * @param count how many workers, at least 1
     * @param options how to submit them
     */
    public SlurmWorkerArray(int count, SlurmOptions options) {
        this(count, options, CommandRunner.system(), System::nanoTime, QueueView.DEFAULT_MAX_AGE_MS);
    }

    /** @param count how many workers, at least 1, submitted with every default */
    public SlurmWorkerArray(int count) {
        this(count, new SlurmOptions());
    }

    SlurmWorkerArray(int count, SlurmOptions options, CommandRunner runner, java.util.function.LongSupplier clock,
                     long maxAgeMillis) {
        this.options = options;
        this.group = new BatchWorkerGroup(count, SlurmBackend.NAME,
                new QueueView(options.scheduler(), options.batch(), runner, clock, maxAgeMillis), options.batch());
    }

    @Override
    public int size() {
        return group.size();
    }

    @Override
    public String backendName() {
        return group.backendName();
    }

    /** @return the options this group submits with */
    public SlurmOptions options() {
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
     * @return the job script and the sbatch command line {@link #start} would use, without submitting
     * @throws IOException when the private directory cannot be written
     */
    public String dryRunText(LaunchSpec spec) throws IOException {
        return group.dryRunText(spec);
    }
}
