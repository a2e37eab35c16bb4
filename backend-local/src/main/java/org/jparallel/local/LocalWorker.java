package org.jparallel.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jparallel.spi.LaunchOverrides;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;

/**
 * Workers as child processes on the manager's machine: the simplest way to use every core of a
 * laptop or of one node, and the Java counterpart of IMP.parallel's {@code LocalWorker}.
 *
 * <pre>{@code
 * manager.addWorker(new LocalWorker(4).jvmOptions("-Xmx2g"));
 * }</pre>
 *
 * <p>Every setting left unset comes from the manager's settings (its java command, classpath,
 * output pattern and so on). The run's secret reaches each worker through its standard input,
 * which is then closed: never its command line, nor its environment (which every process a task
 * starts would inherit). Each worker's standard output and error go to its output file, which is
 * overwritten; a relative output pattern is resolved against the manager's working directory.
 */
public final class LocalWorker implements WorkerGroup {
    /** The worker argument that has it read the secret from the first line of its standard input. */
    static final String SECRET_ARG = "--secret-stdin-once";

    private final int count;
    private final LaunchOverrides launch = new LaunchOverrides();
    private Path workingDirectory;
    private boolean classSharing = true;
    private Path classSharingCache;
    /** The classpath's checks for the archive, so each start wave does not read its files again. */
    private final ClasspathChecks classpathChecks = new ClasspathChecks();
    /** The class data sharing trainings this group started, for a classpath with directories. */
    private final ArchiveTraining trainings = new ArchiveTraining();
    private int startsAtOnce = Runtime.getRuntime().availableProcessors();
    private final WorkerEnvironment environment = new WorkerEnvironment();

    /** One worker. */
    public LocalWorker() {
        this(1);
    }

    /**
     * @param count how many workers to start, at least 1
     * @throws IllegalArgumentException when {@code count < 1}
     */
    public LocalWorker(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("LocalWorker count must be at least 1, got " + count);
        }
        this.count = count;
    }

    /**
     * The command that starts a worker JVM (IMP.parallel's {@code python}); several words allowed,
     * e.g. {@code /opt/env.sh java}. Default: the manager's.
     *
     * @param command the command
     * @return this
     */
    public LocalWorker javaCommand(String command) {
        launch.javaCommand(Objects.requireNonNull(command, "command"));
        return this;
    }

    /**
     * Options for the worker JVMs, replacing the manager's, e.g. {@code -Xmx2g}. Workers of the
     * manager's own java also get C2 compilation thresholds at four times the JVM's defaults and a
     * 64 MB initial heap, unless these options, or those the workers inherit in {@code JAVA_TOOL_OPTIONS},
     * {@code JDK_JAVA_OPTIONS} or {@code _JAVA_OPTIONS}, choose compilation or the heap themselves.
     *
     * @param options the options, each one word
     * @return this
     */
    public LocalWorker jvmOptions(String... options) {
        launch.jvmOptions(Arrays.asList(options));
        return this;
    }

    /**
     * The address workers use to reach the manager (IMP.parallel's {@code host}). Default: loopback.
     *
     * @param host a host name or address
     * @return this
     */
    public LocalWorker host(String host) {
        launch.host(Objects.requireNonNull(host, "host"));
        return this;
    }

    /**
     * The output file pattern (IMP.parallel's {@code output}); {@code %d} is the worker id, {@code %p}
     * the manager's port.
     *
     * @param pattern the pattern, e.g. {@code logs/worker%d.log}
     * @return this
     */
    public LocalWorker output(String pattern) {
        launch.outputPattern(Objects.requireNonNull(pattern, "pattern"));
        return this;
    }

    /**
     * How many tasks each worker runs at once (its task slots), sharing one setup per context: one JVM
     * with 8 slots instead of 8 JVMs with a copy each. Default 1. A context's setup's result is then
     * used by several tasks at once, so it must be thread-safe (or use a {@link org.jparallel.PerSlotSetup}).
     *
     * @param slots 1 or more
     * @return this
     */
    public LocalWorker slots(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("a worker needs at least 1 slot, got " + slots);
        }
        launch.slots(Integer.toString(slots));
        return this;
    }

    /**
     * How many tasks each worker runs at once: a number, or {@code auto} for this machine's cores.
     *
     * @param slots a number or {@code auto}
     * @return this
     */
    public LocalWorker slots(String slots) {
        launch.slots(slots);
        return this;
    }

    /**
     * The worker classpath. Default: the manager's.
     *
     * @param classpath the classpath
     * @return this
     */
    public LocalWorker classpath(String classpath) {
        launch.classpath(Objects.requireNonNull(classpath, "classpath"));
        return this;
    }

    /**
     * The directory the workers run in. Default: the manager's working directory.
     *
     * @param directory an existing directory
     * @return this
     */
    public LocalWorker workingDirectory(Path directory) {
        this.workingDirectory = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /**
     * Whether the workers start with a class data sharing archive of their classes (default: yes),
     * which roughly halves the CPU time a fresh worker JVM needs before its first result. The
     * archive is kept per java, JVM options and classpath in a per-user cache directory; when there
     * is none yet, the group's first worker lists the classes it loads, and once it has ended a JVM
     * writes the archive of them (about a second, once; the manager's {@code close()} waits for it).
     * A classpath that holds directories ({@code target/classes}) has its archive written from its
     * jars, of the classes a short training JVM's worker lists beside the first workers (the {@code close()}
     * gives it up to 10 s), and its workers then run with the jars first, the directories after
     * them, unless a directory holds a file a later jar holds too. It applies only to workers run by
     * the manager's own java; for others this setting has no effect.
     *
     * @param on false to start the workers without an archive and never write one
     * @return this
     */
    public LocalWorker classSharing(boolean on) {
        this.classSharing = on;
        return this;
    }

    /**
     * The directory of the class data sharing archives (see {@link #classSharing}; about 10 MB
     * each, the 8 most recently written kept). It is made when absent, and refused (class sharing
     * is then off, with one warning saying why) when it belongs to another user or others may write
     * to it or to a directory above it, which must be yours or root's (as OpenSSH's StrictModes; a sticky
     * directory such as {@code /tmp} is fine when the entry below it is yours or root's; a directory writable
     * by your private group only, as Debian's OpenSSH allows it, is fine too). Default:
     * {@code $XDG_CACHE_HOME/jparallel/cds}, else {@code ~/.cache/jparallel/cds}.
     *
     * @param directory the directory
     * @return this
     */
    public LocalWorker classSharingCache(Path directory) {
        this.classSharingCache = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /**
     * How many of these workers may be starting at once; the others start as those connect (or fail, or
     * after a second each). Fresh JVMs are CPU-bound until their first result: four started together on
     * two cores each take about twice as long as two would, so the first result comes later and every
     * worker is ready at about the same time as when they start in waves. Default: this machine's cores.
     *
     * @param n 1 or more, or 0 to start every worker at once
     * @return this
     */
    public LocalWorker startsAtOnce(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("startsAtOnce must be 0 (no limit) or more, got " + n);
        }
        this.startsAtOnce = n;
        return this;
    }

    @Override
    public int startsAtOnce() {
        return startsAtOnce;
    }

    /** For tests: sets ({@code null}: removes) a variable in the workers' environment; there is no public setting. */
    LocalWorker environment(String name, String value) {
        environment.set(name, value);
        return this;
    }

    /** @return whether the workers start with a class data sharing archive */
    boolean classSharing() {
        return classSharing;
    }

    /** @return the configured directory of the archives, or {@code null} for the default */
    Path classSharingCache() {
        return classSharingCache;
    }

    @Override
    public String slots() {
        return launch.slots();
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public String backendName() {
        return LocalBackend.NAME;
    }

    /** @return true: each start runs the processes it is given, so the group can grow (automatic allocation) */
    @Override
    public boolean canGrow() {
        return true;
    }

    @Override
    public boolean runsOnManagerHost() {
        return true;
    }

    /** Gives a class data sharing training still running ({@link ArchiveTraining}) a few seconds to end, then ends it. */
    @Override
    public void managerClosing() {
        trainings.awaitAll(ArchiveTraining.CLOSE_WAIT_MS);
        classpathChecks.forget(); // a next manager of this group reads the directories again
    }

    /** @return the spec with this group's settings applied over the core's */
    LaunchSpec applyTo(LaunchSpec spec) {
        return launch.applyTo(spec);
    }

    /**
     * @return the spec the workers start with: this group's settings, then the {@link JitThresholds} and
     *     the {@link InitialHeap}, as the options in the workers' environment allow
     */
    LaunchSpec startSpec(LaunchSpec spec) {
        return startSpec(spec, EnvironmentOptions.of(environment.toMap()));
    }

    private LaunchSpec startSpec(LaunchSpec spec, EnvironmentOptions env) {
        return InitialHeap.apply(JitThresholds.apply(applyTo(spec), env), env);
    }

    /** @return the command line of one worker after this group's settings are applied */
    List<String> commandLine(LaunchSpec spec, int workerId) {
        return applyTo(spec).commandLine(workerId, true, SECRET_ARG);
    }

    /**
     * Starts one process per worker id. A worker that cannot start (bad java command, unwritable
     * output file) gets a handle whose status is FAILED, with the reason also written to its
     * output file.
     */
    @Override
    public List<WorkerHandle> start(LaunchSpec spec) {
        EnvironmentOptions env = EnvironmentOptions.of(environment.toMap());
        LaunchSpec s = startSpec(spec, env);
        ClassSharing.Plan plan = classSharing ? ClassSharing.plan(s, env, classSharingCache, classpathChecks,
                new WorkerProcess(environment, workingDirectory))
                : ClassSharing.Plan.NONE;
        LaunchSpec run = plan.classpath() == null ? s : s.withClasspath(plan.classpath());
        List<WorkerHandle> handles = new ArrayList<>(run.workerIds().size());
        for (int i = 0; i < run.workerIds().size(); i++) {
            handles.add(startOne(run, run.workerIds().get(i), plan.optionsFor(i), plan.writerFor(i)));
        }
        if (plan.training() != null) {
            trainings.start(LaunchSpec.splitWords(s.javaCommand()), s.jvmOptions(), s.slots(), plan.training(),
                    environment, workingDirectory);
        }
        return handles;
    }

    /** @return the spec with {@code extra} JVM options after the configured ones */
    private static LaunchSpec withExtraOptions(LaunchSpec spec, List<String> extra) {
        if (extra.isEmpty()) {
            return spec;
        }
        List<String> options = new ArrayList<>(spec.jvmOptions());
        options.addAll(extra);
        return spec.withJvmOptions(options);
    }

    /**
     * @param extraOptions class sharing options for this worker
     * @param archiveWriter the writing of the class data sharing archive when this worker does it, else null
     */
    private WorkerHandle startOne(LaunchSpec spec, int id, List<String> extraOptions, ClassSharing.Writer archiveWriter) {
        WorkerHandle h = new WorkerProcess(environment, workingDirectory).start(withExtraOptions(spec, extraOptions), id,
                archiveWriter);
        if (archiveWriter != null && !(h instanceof LocalProcessHandle lh && lh.pid() > 0)) {
            archiveWriter.abandon();
        }
        return h;
    }

}
