package org.jparallel.sge;

import org.jparallel.spi.CommandRunner;
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
 * <p>The kit's {@link BatchWorkerGroup} for the {@link SgeScheduler}: one {@code qsub -terse -t FIRST-LAST}
 * job per contiguous range of worker ids, the secret in a 0600 file of a private directory under {@link
 * SgeOptions#secretDir} (which must be shared with the execution hosts), state from one throttled
 * {@code qstat -xml} for the group, stops batched into one {@code qdel}. With {@link
 * SgeOptions.Submit#DRMAA} the jobs are submitted and terminated through the cluster's DRMAA library
 * instead ({@link DrmaaCommands}).
 */
public final class SgeQsubWorkerArray extends BatchWorkerGroup<SgeOptions> {

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
        super(count, SgeBackend.NAME, new QueueView(options.scheduler, options,
                options.submit() == SgeOptions.Submit.DRMAA ? new DrmaaCommands(runner, options) : runner,
                System::nanoTime, qstatMaxAgeMillis), options);
    }
}
