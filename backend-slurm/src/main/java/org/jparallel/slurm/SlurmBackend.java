package org.jparallel.slurm;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jparallel.spi.BackendSettings;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.ConfigKey.Type;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerBackend;
import org.jparallel.spi.WorkerGroup;

/**
 * Makes {@link SlurmWorkerArray} groups from configuration ({@code jparallel.backend=slurm} and the
 * {@code jparallel.slurm.*} keys), found by the core through {@link java.util.ServiceLoader} from
 * {@code META-INF/services/org.jparallel.spi.WorkerBackend}.
 */
public final class SlurmBackend implements WorkerBackend {
    /** The name configuration uses for this backend. */
    public static final String NAME = "slurm";

    private static final List<ConfigKey> KEYS = List.of(
            ConfigKey.optional("partition", Type.STRING, null, "partition the jobs go to (sbatch --partition); empty: the cluster's default"),
            ConfigKey.optional("time", Type.STRING, null,
                    "time limit of each worker's job (sbatch --time), e.g. 90, 2:00:00, 1-12:00; empty: the partition's default"),
            ConfigKey.optional("memory", Type.STRING, null, "memory of each worker's job (sbatch --mem), e.g. 4G; empty: the cluster's default"),
            ConfigKey.optional("account", Type.STRING, null, "account the jobs are charged to (sbatch --account)"),
            ConfigKey.optional("sbatch-lines", Type.STRING, null,
                    "extra #SBATCH lines for the job script, separated by ';' or new lines, e.g. --qos=long;--gres=gpu:1"),
            ConfigKey.optional("options", Type.STRING, null, "more sbatch options, split like a shell would, e.g. --qos=long --nice=10"),
            ConfigKey.optional("job-name", Type.STRING, "jparallel", "job name (sbatch --job-name)"),
            ConfigKey.optional("output", Type.STRING, null,
                    "worker output file pattern, %d is the worker id (Slurm's %a); its directory must exist (empty: jparallel.worker.output)"),
            ConfigKey.optional("sbatch", Type.STRING, "sbatch", "the sbatch command, several words allowed"),
            ConfigKey.optional("squeue", Type.STRING, "squeue", "the squeue command, several words allowed"),
            ConfigKey.optional("scancel", Type.STRING, "scancel", "the scancel command, several words allowed"),
            ConfigKey.optional("sacct", Type.STRING, "sacct",
                    "the sacct command for jobs that left squeue, several words allowed; none: never ask sacct"),
            ConfigKey.optional("dry-run", Type.BOOLEAN, "false",
                    "submit nothing: log the job script and the exact sbatch command line; the workers fail with that text"),
            ConfigKey.optional("secret-dir", Type.PATH, "~/.jparallel/slurm",
                    "where the private (0700) directory with the run's secret file (0600) and job script goes; must be shared with the compute nodes"),
            ConfigKey.optional("java", Type.STRING, null, "command starting a worker JVM on the compute nodes (empty: jparallel.worker.java)"),
            ConfigKey.optional("jvm-options", Type.STRING, null, "worker JVM options (empty: jparallel.worker.jvm-options)"),
            ConfigKey.optional("classpath", Type.STRING, null, "worker classpath (empty: jparallel.worker.classpath)"),
            ConfigKey.optional("host", Type.STRING, null,
                    "address workers use to reach the manager (empty: jparallel.manager.host, else every address of this machine)"),
            ConfigKey.optional("directory", Type.PATH, null, "working directory of the jobs (sbatch --chdir); empty: the manager's"));

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
        s.ifSet("options", o::extraOptions);
        s.ifSet("job-name", o::jobName);
        s.ifSet("output", o::output);
        s.ifSet("sbatch", o::sbatchCommand);
        s.ifSet("squeue", o::squeueCommand);
        s.ifSet("scancel", o::scancelCommand);
        s.ifSet("sacct", o::sacctCommand);
        s.ifSet("dry-run", v -> o.dryRun(Boolean.parseBoolean(v)));
        s.ifSet("secret-dir", v -> o.secretDir(BackendSettings.homePath(v)));
        s.ifSet("java", o::javaCommand);
        s.ifSet("jvm-options", v -> o.jvmOptions(LaunchSpec.splitWords(v)));
        s.ifSet("classpath", o::classpath);
        s.ifSet("host", o::host);
        s.ifSet("directory", v -> o.workingDirectory(Path.of(v)));
        return o;
    }
}
