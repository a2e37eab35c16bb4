package org.jparallel.sge;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
        String v;
        if ((v = value(settings, "queue")) != null) {
            o.queue(v);
        }
        if ((v = value(settings, "resources")) != null) {
            o.resources(v);
        }
        if ((v = value(settings, "pe")) != null) {
            o.parallelEnvironment(v);
        }
        if ((v = value(settings, "job-name")) != null) {
            o.jobName(v);
        }
        if ((v = value(settings, "options")) != null) {
            o.extraOptions(v);
        }
        if ((v = value(settings, "output")) != null) {
            o.output(v);
        }
        if ((v = value(settings, "submit")) != null) {
            switch (v.toLowerCase(Locale.ROOT)) {
                case "qsub" -> o.submit(SgeOptions.Submit.QSUB);
                case "drmaa" -> o.submit(SgeOptions.Submit.DRMAA);
                default -> throw new IllegalArgumentException("jparallel.sge.submit must be qsub or drmaa, got " + v);
            }
        }
        if ((v = value(settings, "qsub")) != null) {
            o.qsubCommand(v);
        }
        if ((v = value(settings, "qstat")) != null) {
            o.qstatCommand(v);
        }
        if ((v = value(settings, "qdel")) != null) {
            o.qdelCommand(v);
        }
        if ((v = value(settings, "dry-run")) != null) {
            o.dryRun(Boolean.parseBoolean(v));
        }
        if ((v = value(settings, "secret-dir")) != null) {
            o.secretDir(Path.of(v.startsWith("~/") ? System.getProperty("user.home") + v.substring(1) : v));
        }
        if ((v = value(settings, "java")) != null) {
            o.javaCommand(v);
        }
        if ((v = value(settings, "jvm-options")) != null) {
            o.jvmOptions(LaunchSpec.splitWords(v));
        }
        if ((v = value(settings, "host")) != null) {
            o.host(v);
        }
        if ((v = value(settings, "classpath")) != null) {
            o.classpath(v);
        }
        if ((v = value(settings, "directory")) != null) {
            o.workingDirectory(Path.of(v));
        }
        return o;
    }

    private static String value(Map<String, String> settings, String key) {
        String v = settings == null ? null : settings.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
