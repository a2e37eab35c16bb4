package org.jparallel.spi.batch;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jparallel.spi.BackendSettings;
import org.jparallel.spi.LaunchOverrides;
import org.jparallel.spi.LaunchSpec;

/**
 * The options every batch-scheduler backend shares, held once: the worker's java command, JVM
 * options, classpath and manager host, the output pattern, where the private run directory goes,
 * the job name, raw scheduler options, the working directory, dry run, and the command of each of
 * the scheduler's {@link BatchScheduler#tools() tools}. A scheduler's options class extends it with
 * its own settings (a queue, a partition, a time limit), so code sets both on one fluent object:
 *
 * <pre>{@code
 * public final class PbsOptions extends BatchOptions<PbsOptions> {
 *     public PbsOptions queue(String q) { ...; return this; }
 * }
 * new PbsOptions().queue("workq").jobName("sim").dryRun(true);
 * }</pre>
 *
 * Configuration sets exactly the same things through {@link BatchKeys} and {@link #read}; {@link
 * Basic} is the class for a backend with no settings of its own.
 *
 * @param <S> the options class itself, which the setters return
 */
public abstract class BatchOptions<S extends BatchOptions<S>> {
    private final LaunchOverrides launch = new LaunchOverrides();
    private final Map<String, List<String>> commands = new HashMap<>();
    private String jobName = "jparallel";
    private List<String> options = List.of();
    private boolean dryRun;
    private Path secretDir;
    private Path directory;

    /** Options with every default: the manager's java, JVM options, classpath, host and output. */
    protected BatchOptions() {
    }

    /** The shared options alone, for a scheduler without settings of its own. */
    public static final class Basic extends BatchOptions<Basic> {
        /** Options with every default. */
        public Basic() {
        }
    }

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    /**
     * Sets what the shared keys ({@link BatchKeys}) and the tools' keys in {@code settings} say (blank
     * values keep the default), and adds the scheduler's walltime option after the user's options when
     * the settings carry a {@linkplain BackendSettings#walltime() walltime}.
     *
     * @param settings the group's settings
     * @param scheduler whose tools have keys
     * @return this
     * @throws IllegalArgumentException when a value cannot be used
     */
    public S read(BackendSettings settings, BatchScheduler scheduler) {
        settings.ifSet(BatchKeys.JOB_NAME, this::jobName);
        settings.ifSet(BatchKeys.OPTIONS, this::extraOptions);
        settings.ifSet(BatchKeys.OUTPUT, this::output);
        settings.ifSet(BatchKeys.DRY_RUN, this::dryRun);
        settings.ifSet(BatchKeys.SECRET_DIR, this::secretDir);
        settings.ifSet(BatchKeys.JAVA, this::javaCommand);
        settings.ifSet(BatchKeys.JVM_OPTIONS, v -> jvmOptions(LaunchSpec.splitWords(v)));
        settings.ifSet(BatchKeys.CLASSPATH, this::classpath);
        settings.ifSet(BatchKeys.HOST, this::host);
        settings.ifSet(BatchKeys.SLOTS, this::slots);
        settings.ifSet(BatchKeys.DIRECTORY, this::workingDirectory);
        for (String tool : scheduler.tools()) {
            settings.ifSet(BatchKeys.tool(tool), v -> command(tool, v));
        }
        if (settings.walltime() != null) {
            List<String> all = new java.util.ArrayList<>(options);
            try {
                all.addAll(scheduler.walltimeOptions(settings.walltime()));
            } catch (UnsupportedOperationException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            options = List.copyOf(all);
        }
        return self();
    }

    /** @param name the job name; white space becomes {@code _}; @return this */
    public S jobName(String name) {
        this.jobName = Objects.requireNonNull(blankToNull(name), "job name").replaceAll("\\s", "_");
        return self();
    }

    /** @param options more submit options, split like a shell would, e.g. {@code -P proj -p -10}; @return this */
    public S extraOptions(String options) {
        this.options = options == null ? List.of() : LaunchSpec.splitWords(options);
        return self();
    }

    /** @param pattern the worker output file pattern, {@code %d} is the worker id; default the manager's; @return this */
    public S output(String pattern) {
        launch.outputPattern(blankToNull(pattern));
        return self();
    }

    /**
     * @param dryRun true to submit nothing: the job script and the exact submit command are logged and
     *     every worker fails with that text
     * @return this
     */
    public S dryRun(boolean dryRun) {
        this.dryRun = dryRun;
        return self();
    }

    /**
     * @param dir where each submission makes its private (0700) directory with the secret file (0600), the
     *     job script and the exit codes; it must be at the same path on the scheduler's hosts.
     *     Default {@code ~/.jparallel/<backend>}
     * @return this
     */
    public S secretDir(Path dir) {
        this.secretDir = dir;
        return self();
    }

    /** @param command the command starting a worker JVM on the scheduler's hosts; default the manager's; @return this */
    public S javaCommand(String command) {
        launch.javaCommand(blankToNull(command));
        return self();
    }

    /** @param options worker JVM options, replacing the manager's; @return this */
    public S jvmOptions(List<String> options) {
        launch.jvmOptions(options);
        return self();
    }

    /** @param host the address workers use to reach the manager; default every address of this machine; @return this */
    public S host(String host) {
        launch.host(blankToNull(host));
        return self();
    }

    /**
     * @param slots how many tasks each worker runs at once (a number, or {@code auto} for the cores its job
     *     is given); the group asks its scheduler for that many cores per worker; default 1
     * @return this
     */
    public S slots(String slots) {
        launch.slots(blankToNull(slots));
        return self();
    }

    /** @return the task slots set, or {@code null} for 1 */
    public String slots() {
        return launch.slots();
    }

    /** @param classpath the worker classpath; default the manager's; @return this */
    public S classpath(String classpath) {
        launch.classpath(blankToNull(classpath));
        return self();
    }

    /** @param directory the jobs' working directory; default the manager's; @return this */
    public S workingDirectory(Path directory) {
        this.directory = directory;
        return self();
    }

    /**
     * @param tool one of the scheduler's tools, e.g. {@code qsub}
     * @param command the command to run in its place, several words allowed
     * @return this
     * @throws IllegalArgumentException when it is blank or a quote is not closed
     */
    public S command(String tool, String command) {
        String c = blankToNull(command);
        if (c == null) {
            throw new IllegalArgumentException("the " + tool + " command is empty");
        }
        commands.put(tool, List.copyOf(LaunchSpec.splitWords(c)));
        return self();
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
