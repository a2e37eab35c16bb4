package org.jparallel.slurm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jparallel.spi.BackendSettings;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.ConfigKey.Type;
import org.jparallel.spi.DoctorCheck;
import org.jparallel.spi.DoctorContext;
import org.jparallel.spi.WorkerBackend;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.batch.BatchDoctor;
import org.jparallel.spi.batch.BatchOptions;

/**
 * Makes {@link SlurmWorkerArray} groups from configuration ({@code jparallel.backend=slurm} and the
 * {@code jparallel.slurm.*} keys), found by the core through {@link java.util.ServiceLoader} from
 * {@code META-INF/services/org.jparallel.spi.WorkerBackend}.
 */
public final class SlurmBackend implements WorkerBackend {
    /** The name configuration uses for this backend. */
    public static final String NAME = "slurm";

    private static final List<ConfigKey> KEYS = keys();

    private static List<ConfigKey> keys() {
        List<ConfigKey> keys = new ArrayList<>(List.of(
                ConfigKey.optional("partition", Type.STRING, null, "partition the jobs go to (sbatch --partition); empty: the cluster's default"),
                ConfigKey.optional("time", Type.STRING, null,
                        "time limit of each worker's job (sbatch --time), e.g. 90, 2:00:00, 1-12:00; empty: the partition's default"),
                ConfigKey.optional("memory", Type.STRING, null, "memory of each worker's job (sbatch --mem), e.g. 4G; empty: the cluster's default"),
                ConfigKey.optional("account", Type.STRING, null, "account the jobs are charged to (sbatch --account)"),
                ConfigKey.optional("sbatch-lines", Type.STRING, null,
                        "extra #SBATCH lines for the job script, separated by ';' or new lines, e.g. --qos=long;--gres=gpu:1")));
        for (ConfigKey k : BatchOptions.configKeys(NAME, new SlurmScheduler())) {
            keys.add(k.name().equals("sacct") ? ConfigKey.optional("sacct", Type.STRING, "sacct",
                    "the sacct command for jobs that left squeue, several words allowed; none: never ask sacct") : k);
        }
        return List.copyOf(keys);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "workers as the tasks of a Slurm array job (sbatch --array)";
    }

    @Override
    public List<ConfigKey> configKeys() {
        return KEYS;
    }

    @Override
    public WorkerGroup createGroup(int count, Map<String, String> settings) {
        return new SlurmWorkerArray(count, options(settings));
    }

    /** The kit's checks of sbatch, squeue and scancel (sacct is optional: without it Slurm's history is not asked). */
    @Override
    public List<DoctorCheck> doctorChecks(DoctorContext context) {
        return BatchDoctor.toolChecks(context, new SlurmScheduler(), List.of("sbatch", "squeue", "scancel"));
    }

    /**
     * @param settings this backend's keys without prefix
     * @return the options they describe
     * @throws IllegalArgumentException when a value is not valid (a time limit or memory Slurm cannot read)
     */
    static SlurmOptions options(Map<String, String> settings) {
        SlurmOptions o = new SlurmOptions();
        BackendSettings s = new BackendSettings(settings);
        s.ifSet("partition", o::partition);
        s.ifSet("time", o::time);
        s.ifSet("memory", o::memory);
        s.ifSet("account", o::account);
        s.ifSet("sbatch-lines", o::sbatchLines);
        o.batch().read(settings, o.scheduler());
        s.ifSet("sacct", o::sacctCommand);
        return o;
    }
}
