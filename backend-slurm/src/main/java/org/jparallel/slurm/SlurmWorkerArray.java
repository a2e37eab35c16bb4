package org.jparallel.slurm;

import java.util.function.LongSupplier;
import org.jparallel.spi.CommandRunner;
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
public final class SlurmWorkerArray extends BatchWorkerGroup<SlurmOptions> {

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

    SlurmWorkerArray(int count, SlurmOptions options, CommandRunner runner, LongSupplier clock, long maxAgeMillis) {
        super(count, SlurmBackend.NAME, new QueueView(options.scheduler(), options, runner, clock, maxAgeMillis), options);
    }
}
