package org.jparallel.slurm;

import java.util.List;
import org.jparallel.spi.BackendSettings;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.DoctorCheck;
import org.jparallel.spi.DoctorContext;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.batch.BatchBackend;
import org.jparallel.spi.batch.BatchDoctor;
import org.jparallel.spi.batch.BatchKeys;

/**
 * Makes {@link SlurmWorkerArray} groups from configuration ({@code jparallel.backend=slurm} and the
 * {@code jparallel.slurm.*} keys), found by the core through {@link java.util.ServiceLoader} from
 * {@code META-INF/services/org.jparallel.spi.WorkerBackend}.
 */
public final class SlurmBackend extends BatchBackend {
    /** The name configuration uses for this backend. */
    public static final String NAME = "slurm";

    /** Key: the partition. */
    static final ConfigKey<String> PARTITION = ConfigKey.string("partition", null,
            "partition the jobs go to (sbatch --partition); empty: the cluster's default");
    /** Key: the time limit. */
    static final ConfigKey<String> TIME = ConfigKey.string("time", null,
            "time limit of each worker's job (sbatch --time), e.g. 90, 2:00:00, 1-12:00; empty: the partition's default");
    /** Key: the memory. */
    static final ConfigKey<String> MEMORY = ConfigKey.string("memory", null,
            "memory of each worker's job (sbatch --mem), e.g. 4G; empty: the cluster's default");
    /** Key: the account. */
    static final ConfigKey<String> ACCOUNT = ConfigKey.string("account", null,
            "account the jobs are charged to (sbatch --account)");
    /** Key: extra #SBATCH lines. */
    static final ConfigKey<String> SBATCH_LINES = ConfigKey.string("sbatch-lines", null,
            "extra #SBATCH lines for the job script, separated by ';' or new lines, e.g. --qos=long;--gres=gpu:1");
    /** Key: the sacct command, which may be {@code none}. */
    static final ConfigKey<String> SACCT = BatchKeys.tool("sacct").withDescription(
            "the sacct command for jobs that left squeue, several words allowed; none: never ask sacct");

    /** Makes the backend, as {@link java.util.ServiceLoader} does. */
    public SlurmBackend() {
        super(NAME, "workers as the tasks of a Slurm array job (sbatch --array)", new SlurmScheduler(),
                List.of(PARTITION, TIME, MEMORY, ACCOUNT, SBATCH_LINES, SACCT));
    }

    @Override
    public WorkerGroup createGroup(int count, BackendSettings settings) {
        return new SlurmWorkerArray(count, options(settings));
    }

    /** The kit's checks of sbatch, squeue and scancel (sacct is optional: without it Slurm's history is not asked). */
    @Override
    public List<DoctorCheck> doctorChecks(DoctorContext context) {
        return BatchDoctor.toolChecks(context, new SlurmScheduler(), List.of("sbatch", "squeue", "scancel"));
    }

    /**
     * @param settings the group's settings
     * @return the options they describe
     * @throws IllegalArgumentException when a value is not valid (a time limit or memory Slurm cannot read)
     */
    static SlurmOptions options(BackendSettings settings) {
        SlurmOptions o = new SlurmOptions();
        settings.ifSet(PARTITION, o::partition);
        settings.ifSet(TIME, o::time);
        settings.ifSet(MEMORY, o::memory);
        settings.ifSet(ACCOUNT, o::account);
        settings.ifSet(SBATCH_LINES, o::sbatchLines);
        o.read(settings, o.scheduler());
        settings.ifSet(SACCT, o::sacctCommand);
        return o;
    }
}
