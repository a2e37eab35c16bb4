package org.jparallel.spi.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jparallel.spi.ConfigKey;

/**
 * The configuration keys every batch-scheduler backend shares, declared once: the worker's java
 * command, JVM options, classpath and manager host, the output pattern, the private run directory,
 * the job name, raw submit options, the working directory, dry run, and one key per {@link
 * BatchScheduler#tools() tool} naming its command. {@link BatchOptions#read} applies them; {@link
 * #forScheduler} lists them, worded for one scheduler, for a backend's {@code configKeys()}.
 */
public final class BatchKeys {
    /** The job name. */
    public static final ConfigKey<String> JOB_NAME = ConfigKey.string("job-name", "jparallel", "job name");
    /** More submit options, split like a shell would. */
    public static final ConfigKey<String> OPTIONS = ConfigKey.string("options", null,
            "more submit options, split like a shell would");
    /** The worker output file pattern. */
    public static final ConfigKey<String> OUTPUT = ConfigKey.string("output", null, "worker output file pattern,"
            + " %d is the worker id; the manager makes its directory, which the execution hosts must share"
            + " (empty: jparallel.worker.output)");
    /** Submit nothing: log the job script and the submit command. */
    public static final ConfigKey<Boolean> DRY_RUN = ConfigKey.bool("dry-run", "false", "submit nothing: log the job"
            + " script and the exact submit command line; the workers fail with that text");
    /** Where the private run directories go (default {@code ~/.jparallel/<backend>}). */
    public static final ConfigKey<Path> SECRET_DIR = ConfigKey.path("secret-dir", null, "where the private (0700)"
            + " directory with the run's secret file (0600) and job script goes; must be shared with the hosts");
    /** The command starting a worker JVM. */
    public static final ConfigKey<String> JAVA = ConfigKey.string("java", null,
            "command starting a worker JVM on the hosts (empty: jparallel.worker.java)");
    /** Worker JVM options. */
    public static final ConfigKey<String> JVM_OPTIONS = ConfigKey.string("jvm-options", null,
            "worker JVM options (empty: jparallel.worker.jvm-options)");
    /** The worker classpath. */
    public static final ConfigKey<String> CLASSPATH = ConfigKey.string("classpath", null,
            "worker classpath (empty: jparallel.worker.classpath)");
    /** The address workers use to reach the manager. */
    public static final ConfigKey<String> HOST = ConfigKey.string("host", null, "address workers use to reach the"
            + " manager (empty: jparallel.manager.host, else every address of this machine)");
    /** How many tasks each worker runs at once; the cores asked of the scheduler per worker. */
    public static final ConfigKey<String> SLOTS = ConfigKey.string("slots", null, "how many tasks each worker runs"
            + " at once, sharing one setup per context: a number (the job asks the scheduler for that many cores), or"
            + " auto for the cores the job was given (empty: jparallel.worker.slots)");
    /** The jobs' working directory. */
    public static final ConfigKey<Path> DIRECTORY = ConfigKey.path("directory", null,
            "working directory of the jobs; empty: the manager's");

    private BatchKeys() {
    }

    /**
     * @param tool one of a scheduler's tools, e.g. {@code qsub}
     * @return the key naming its command, default the tool's name
     */
    public static ConfigKey<String> tool(String tool) {
        return ConfigKey.string(tool, tool, "the " + tool + " command, several words allowed");
    }

    /**
     * @param backendName the backend's name, for the secret directory's default
     * @param scheduler whose name goes into the descriptions and whose tools get a key each
     * @return the shared keys worded for this scheduler, to put in a backend's {@code configKeys()}
     */
    public static List<ConfigKey<?>> forScheduler(String backendName, BatchScheduler scheduler) {
        String p = scheduler.product();
        List<ConfigKey<?>> keys = new ArrayList<>(List.of(
                JOB_NAME,
                OPTIONS.withDescription("more " + p + " submit options, split like a shell would"),
                OUTPUT,
                DRY_RUN,
                SECRET_DIR.documentedDefault("~/.jparallel/" + backendName).withDescription("where the private (0700)"
                        + " directory with the run's secret file (0600) and job script goes; must be shared with the "
                        + p + " hosts"),
                JAVA.withDescription("command starting a worker JVM on the " + p + " hosts (empty: jparallel.worker.java)"),
                JVM_OPTIONS,
                CLASSPATH,
                HOST,
                SLOTS,
                DIRECTORY));
        for (String tool : scheduler.tools()) {
            keys.add(tool(tool));
        }
        return List.copyOf(keys);
    }
}
