package org.jparallel.spi.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jparallel.spi.BackendSettings;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.ConfigKey.Type;
import org.jparallel.spi.LaunchOverrides;
import org.jparallel.spi.LaunchSpec;

/**
 * The options every batch-scheduler backend shares, declared once: the worker's java command, JVM
 * options, classpath and manager host, the output pattern, where the private run directory goes,
 * the job name, raw scheduler options, the working directory, dry run, and the command of each of
 * the scheduler's {@link BatchScheduler#tools() tools}. A scheduler's own settings (a queue, a
 * partition, a time limit) live in its {@link BatchScheduler}. Usable from code (fluent setters) and
 * from configuration ({@link #configKeys}, {@link #read}), so both configure exactly the same thing.
 */
public final class BatchOptions {
    /** Key: the command starting a worker JVM. */
    public static final String JAVA = "java";
    /** Key: worker JVM options. */
    public static final String JVM_OPTIONS = "jvm-options";
    /** Key: worker classpath. */
    public static final String CLASSPATH = "classpath";
    /** Key: the address workers use to reach the manager. */
    public static final String HOST = "host";
    /** Key: worker output file pattern. */
    public static final String OUTPUT = "output";
    /** Key: where private run directories go. */
    public static final String SECRET_DIR = "secret-dir";
    /** Key: job name. */
    public static final String JOB_NAME = "job-name";
    /** Key: raw scheduler options. */
    public static final String OPTIONS = "options";
    /** Key: the jobs' working directory. */
    public static final String DIRECTORY = "directory";
    /** Key: submit nothing, print the submit command. */
    public static final String DRY_RUN = "dry-run";

    private final LaunchOverrides launch = new LaunchOverrides();
    private final Map<String, List<String>> commands = new HashMap<>();
    private String jobName = "jparallel";
    private List<String> options = List.of();
    private boolean dryRun;
    private Path secretDir;
    private Path directory;

    /** Options with every default: the manager's java, JVM options, classpath, host and output. */
    public BatchOptions() {
    }

    /**
     * @param backendName the backend's name, for the secret directory's default
     * @param scheduler whose tools get a key each
     * @return the keys every batch backend reads, to put in its {@link org.jparallel.spi.WorkerBackend#configKeys()}
     */
    public static List<ConfigKey> configKeys(String backendName, BatchScheduler scheduler) {
        String p = scheduler.product();
        List<ConfigKey> keys = new ArrayList<>(List.of(
                ConfigKey.optional(JOB_NAME, Type.STRING, "jparallel", "job name"),
                ConfigKey.optional(OPTIONS, Type.STRING, null,
                        "more " + p + " submit options, split like a shell would"),
                ConfigKey.optional(OUTPUT, Type.STRING, null, "worker output file pattern, %d is the worker id;"
                        + " its directory must exist (empty: jparallel.worker.output)"),
                ConfigKey.optional(DRY_RUN, Type.BOOLEAN, "false", "submit nothing: log the job script and the exact"
                        + " submit command line; the workers fail with that text"),
                ConfigKey.optional(SECRET_DIR, Type.PATH, "~/.jparallel/" + backendName, "where the private (0700)"
                        + " directory with the run's secret file (0600) and job script goes; must be shared with the "
                        + p + " hosts"),
                ConfigKey.optional(JAVA, Type.STRING, null,
                        "command starting a worker JVM on the " + p + " hosts (empty: jparallel.worker.java)"),
                ConfigKey.optional(JVM_OPTIONS, Type.STRING, null, "worker JVM options (empty: jparallel.worker.jvm-options)"),
                ConfigKey.optional(CLASSPATH, Type.STRING, null, "worker classpath (empty: jparallel.worker.classpath)"),
                ConfigKey.optional(HOST, Type.STRING, null, "address workers use to reach the manager"
                        + " (empty: jparallel.manager.host, else every address of this machine)"),
                ConfigKey.optional(DIRECTORY, Type.PATH, null, "working directory of the jobs; empty: the manager's")));
        for (String tool : scheduler.tools()) {
            keys.add(ConfigKey.optional(tool, Type.STRING, tool, "the " + tool + " command, several words allowed"));
        }
        return List.copyOf(keys);
    }

    /**
     * Sets what the shared keys and the tools' keys in {@code settings} say (blank values keep the default).
     *
     * @param settings the backend's keys without prefix
     * @param scheduler whose tools have keys
     * @return this
     * @throws IllegalArgumentException when a value cannot be used, naming the key
     */
    public BatchOptions read(Map<String, String> settings, BatchScheduler scheduler) {
        BackendSettings s = new BackendSettings(settings);
        s.ifSet(JOB_NAME, this::jobName);
        s.ifSet(OPTIONS, this::options);
        s.ifSet(OUTPUT, this::output);
        s.ifSet(DRY_RUN, v -> dryRun(Boolean.parseBoolean(v)));
        s.ifSet(SECRET_DIR, v -> secretDir(BackendSettings.homePath(v)));
        s.ifSet(JAVA, this::javaCommand);
        s.ifSet(JVM_OPTIONS, v -> jvmOptions(LaunchSpec.splitWords(v)));
        s.ifSet(CLASSPATH, this::classpath);
        s.ifSet(HOST, this::host);
        s.ifSet(DIRECTORY, v -> workingDirectory(Path.of(v)));
        for (String tool : scheduler.tools()) {
            s.ifSet(tool, v -> command(tool, v));
        }
        return this;
    }

    /** @param name the job name; white space becomes {@code _}; @return this */
    public BatchOptions jobName(String name) {
        this.jobName = Objects.requireNonNull(blankToNull(name), "job name").replaceAll("\\s", "_");
        return this;
    }

    /** @param options more submit options, split like a shell would, e.g. {@code -P proj -p -10}; @return this */
    public BatchOptions options(String options) {
        this.options = options == null ? List.of() : LaunchSpec.splitWords(options);
        return this;
    }

    /** @param pattern the worker output file pattern, {@code %d} is the worker id; default the manager's; @return this */
    public BatchOptions output(String pattern) {
        launch.outputPattern(blankToNull(pattern));
        return this;
    }

    /**
     * @param dryRun true to submit nothing: the job script and the exact submit command are logged and
     *     every worker fails with that text
     * @return this
     */
    public BatchOptions dryRun(boolean dryRun) {
        this.dryRun = dryRun;
        return this;
    }

    /**
     * @param dir where each submission makes its private (0700) directory with the secret file (0600), the
     *     job script and the exit codes; it must be at the same path on the scheduler's hosts.
     *     Default {@code ~/.jparallel/<backend>}
     * @return this
     */
    public BatchOptions secretDir(Path dir) {
        this.secretDir = dir;
        return this;
    }

    /** @param command the command starting a worker JVM on the scheduler's hosts; default the manager's; @return this */
    public BatchOptions javaCommand(String command) {
        launch.javaCommand(blankToNull(command));
        return this;
    }

    /** @param options worker JVM options, replacing the manager's; @return this */
    public BatchOptions jvmOptions(List<String> options) {
        launch.jvmOptions(options);
        return this;
    }

    /** @param host the address workers use to reach the manager; default every address of this machine; @return this */
    public BatchOptions host(String host) {
        launch.host(blankToNull(host));
        return this;
    }

    /** @param classpath the worker classpath; default the manager's; @return this */
    public BatchOptions classpath(String classpath) {
        launch.classpath(blankToNull(classpath));
        return this;
    }

    /** @param directory the jobs' working directory; default the manager's; @return this */
    public BatchOptions workingDirectory(Path directory) {
        this.directory = directory;
        return this;
    }

    /**
     * @param tool one of the scheduler's tools, e.g. {@code qsub}
     * @param command the command to run in its place, several words allowed
     * @return this
     * @throws IllegalArgumentException when it is blank or a quote is not closed
     */
    public BatchOptions command(String tool, String command) {
        String c = blankToNull(command);
        if (c == null) {
            throw new IllegalArgumentException("the " + tool + " command is empty");
        }
        commands.put(tool, List.copyOf(LaunchSpec.splitWords(c)));
        return this;
    }

    /** @return the job name */
    public String jobName() {
        return jobName;
    }

    /** @return the raw submit options */
    public List<String> options() {
        return options;
    }

    /** @return true for a dry run */
    public boolean dryRun() {
        return dryRun;
    }

    /** @return the words to run for a tool: those set with {@link #command}, else the tool's name */
    public List<String> commandWords(String tool) {
        return commands.getOrDefault(tool, List.of(tool));
    }

    /** @return the secret directory, absolute; {@code ~/.jparallel/<backendName>} when none was set */
    public Path secretDirOrDefault(String backendName) {
        return (secretDir != null ? secretDir : Path.of(System.getProperty("user.home"), ".jparallel", backendName))
                .toAbsolutePath();
    }

    /** @return the jobs' working directory, absolute */
    public Path directoryOrDefault() {
        return (directory != null ? directory : Path.of("")).toAbsolutePath();
    }

    /** @return the spec with these options' java command, JVM options, host, output and classpath over the core's */
    public LaunchSpec applyTo(LaunchSpec spec) {
        return launch.applyTo(spec);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
