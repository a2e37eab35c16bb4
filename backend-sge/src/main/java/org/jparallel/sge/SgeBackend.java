package org.jparallel.sge;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jparallel.spi.BackendSettings;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.ConfigKey.Type;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerBackend;
import org.jparallel.spi.WorkerGroup;

/**
 * Makes {@link SgeQsubWorkerArray} groups from configuration ({@code jparallel.backend=sge} and the
 * {@code jparallel.sge.*} keys), found by the core through {@link java.util.ServiceLoader}.
 */
public final class SgeBackend implements WorkerBackend {
    /** The name configuration uses for this backend. */
    public static final String NAME = "sge";

    private static final List<ConfigKey> KEYS = List.of(
            ConfigKey.optional("queue", Type.STRING, null, "queue the jobs go to (qsub -q); empty: the cluster's default"),
            ConfigKey.optional("resources", Type.STRING, null, "resource requests (qsub -l), e.g. h_vmem=4G,h_rt=1:00:00"),
            ConfigKey.optional("pe", Type.STRING, null, "parallel environment and slots per worker (qsub -pe), e.g. smp 2"),
            ConfigKey.optional("job-name", Type.STRING, "jparallel", "job name (qsub -N)"),
            ConfigKey.optional("options", Type.STRING, null, "more qsub options, split like a shell would, e.g. -P proj -p -10"),
            ConfigKey.optional("output", Type.STRING, null,
                    "worker output file pattern, %d is the worker id; its directory must exist (empty: jparallel.worker.output)"),
            ConfigKey.optional("submit", Type.STRING, "qsub",
                    "qsub, or drmaa (needs the cluster's drmaa.jar on the classpath and libdrmaa on the library path)"),
            ConfigKey.optional("qsub", Type.STRING, "qsub", "the qsub command, several words allowed"),
            ConfigKey.optional("qstat", Type.STRING, "qstat", "the qstat command, several words allowed"),
            ConfigKey.optional("qdel", Type.STRING, "qdel", "the qdel command, several words allowed"),
            ConfigKey.optional("dry-run", Type.BOOLEAN, "false",
                    "submit nothing: log the job script and the exact qsub command line; the workers fail with that text"),
            ConfigKey.optional("secret-dir", Type.PATH, "~/.jparallel/sge",
                    "where the private (0700) directory with the run's secret file (0600) and job script goes; must be shared with the execution hosts"),
            ConfigKey.optional("java", Type.STRING, null,
                    "command starting a worker JVM on the execution hosts (empty: jparallel.worker.java)"),
            ConfigKey.optional("jvm-options", Type.STRING, null, "worker JVM options (empty: jparallel.worker.jvm-options)"),
            ConfigKey.optional("host", Type.STRING, null,
                    "address workers use to reach the manager (empty: jparallel.manager.host, else every address of this machine)"),
            ConfigKey.optional("classpath", Type.STRING, null, "worker classpath (empty: jparallel.worker.classpath)"),
            ConfigKey.optional("directory", Type.PATH, null, "working directory of the jobs (qsub -wd); empty: the manager's"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "workers as the tasks of a Grid Engine array job (qsub or DRMAA)";
    }

    @Override
    public List<ConfigKey> configKeys() {
        return KEYS;
    }

    @Override
    public WorkerGroup createGroup(int count, Map<String, String> settings) {
        return new SgeQsubWorkerArray(count, options(settings));
    }

    /** @return the options the settings describe */
    static SgeOptions options(Map<String, String> settings) {
        SgeOptions o = new SgeOptions();
        BackendSettings s = new BackendSettings(settings);
        s.ifSet("queue", o::queue);
        s.ifSet("resources", o::resources);
        s.ifSet("pe", o::parallelEnvironment);
        s.ifSet("job-name", o::jobName);
        s.ifSet("options", o::extraOptions);
        s.ifSet("output", o::output);
        s.ifSet("submit", v -> o.submit(submit(v)));
        s.ifSet("qsub", o::qsubCommand);
        s.ifSet("qstat", o::qstatCommand);
        s.ifSet("qdel", o::qdelCommand);
        s.ifSet("dry-run", v -> o.dryRun(Boolean.parseBoolean(v)));
        s.ifSet("secret-dir", v -> o.secretDir(BackendSettings.homePath(v)));
        s.ifSet("java", o::javaCommand);
        s.ifSet("jvm-options", v -> o.jvmOptions(LaunchSpec.splitWords(v)));
        s.ifSet("host", o::host);
        s.ifSet("classpath", o::classpath);
        s.ifSet("directory", v -> o.workingDirectory(Path.of(v)));
        return o;
    }

    private static SgeOptions.Submit submit(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "qsub" -> SgeOptions.Submit.QSUB;
            case "drmaa" -> SgeOptions.Submit.DRMAA;
            default -> throw new IllegalArgumentException("jparallel.sge.submit must be qsub or drmaa, got " + v);
        };
    }
}
