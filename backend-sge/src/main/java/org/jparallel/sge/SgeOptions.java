package org.jparallel.sge;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jparallel.spi.LaunchOverrides;
import org.jparallel.spi.LaunchSpec;

/**
 * How {@link SgeQsubWorkerArray} submits its workers: queue, resources, parallel environment, job
 * name, extra qsub options, output pattern, qsub or DRMAA, the Grid Engine commands and where the
 * run's secret is written. Every setting left unset keeps Grid Engine's or the manager's default.
 *
 * <pre>{@code
 * manager.addWorker(new SgeQsubWorkerArray(8, new SgeOptions().queue("all.q").resources("h_vmem=4G")));
 * }</pre>
 */
public final class SgeOptions {
    /** How jobs are submitted. */
    public enum Submit {
        /** With the {@code qsub} command. */
        QSUB,
        /** With the cluster's DRMAA library ({@code drmaa.jar} and {@code libdrmaa}). */
        DRMAA
    }

    String queue;
    String resources;
    String pe;
    String jobName = "jparallel";
    List<String> extraOptions = List.of();
    Submit submit = Submit.QSUB;
    String qsubCommand = "qsub";
    String qstatCommand = "qstat";
    String qdelCommand = "qdel";
    boolean dryRun;
    Path secretDir;
    Path directory;
    /** Java command, JVM options, host, output pattern and classpath, over the manager's. */
    final LaunchOverrides launch = new LaunchOverrides();

    /** Options with every default. */
    public SgeOptions() {
    }

    /** @param queue the queue ({@code qsub -q}), e.g. {@code all.q}; @return this */
    public SgeOptions queue(String queue) {
        this.queue = blankToNull(queue);
        return this;
    }

    /** @param resources resource requests ({@code qsub -l}), e.g. {@code h_vmem=4G,h_rt=1:00:00}; @return this */
    public SgeOptions resources(String resources) {
        this.resources = blankToNull(resources);
        return this;
    }

    /** @param pe a parallel environment and slot count ({@code qsub -pe}), e.g. {@code smp 2}; @return this */
    public SgeOptions parallelEnvironment(String pe) {
        this.pe = blankToNull(pe);
        return this;
    }

    /** @param name the job name ({@code qsub -N}); Grid Engine forbids some characters, they become _; @return this */
    public SgeOptions jobName(String name) {
        String n = Objects.requireNonNull(blankToNull(name), "job name");
        this.jobName = n.replaceAll("[\\s/:@\\\\*?]", "_");
        return this;
    }

    /** @param options more qsub options, split like a shell would, e.g. {@code -P myproject -p -10}; @return this */
    public SgeOptions extraOptions(String options) {
        this.extraOptions = options == null ? List.of() : LaunchSpec.splitWords(options);
        return this;
    }

    /** @param pattern the worker output file pattern, {@code %d} is the worker id; default the manager's; @return this */
    public SgeOptions output(String pattern) {
        launch.outputPattern(blankToNull(pattern));
        return this;
    }

    /** @param submit qsub (default) or DRMAA; @return this */
    public SgeOptions submit(Submit submit) {
        this.submit = Objects.requireNonNull(submit, "submit");
        return this;
    }

    /** @param command the qsub command, several words allowed; @return this */
    public SgeOptions qsubCommand(String command) {
        this.qsubCommand = Objects.requireNonNull(blankToNull(command), "qsub command");
        return this;
    }

    /** @param command the qstat command, several words allowed; @return this */
    public SgeOptions qstatCommand(String command) {
        this.qstatCommand = Objects.requireNonNull(blankToNull(command), "qstat command");
        return this;
    }

    /** @param command the qdel command, several words allowed; @return this */
    public SgeOptions qdelCommand(String command) {
        this.qdelCommand = Objects.requireNonNull(blankToNull(command), "qdel command");
        return this;
    }

    /**
     * @param dryRun true to submit nothing: the job script and the exact qsub command line are logged and
     *     printed on standard error, and every worker fails with that text
     * @return this
     */
    public SgeOptions dryRun(boolean dryRun) {
        this.dryRun = dryRun;
        return this;
    }

    /**
     * @param dir where each group makes its private (0700) directory holding the secret file (0600), the
     *     job script and the exit codes; it must be visible at the same path on the execution hosts.
     *     Default {@code ~/.jparallel/sge}
     * @return this
     */
    public SgeOptions secretDir(Path dir) {
        this.secretDir = dir;
        return this;
    }

    /** @param command the command starting a worker JVM on the execution hosts; default the manager's; @return this */
    public SgeOptions javaCommand(String command) {
        launch.javaCommand(blankToNull(command));
        return this;
    }

    /** @param options worker JVM options, replacing the manager's; @return this */
    public SgeOptions jvmOptions(List<String> options) {
        launch.jvmOptions(options);
        return this;
    }

    /** @param host the address workers use to reach the manager; default every address of this machine; @return this */
    public SgeOptions host(String host) {
        launch.host(blankToNull(host));
        return this;
    }

    /** @param classpath the worker classpath; default the manager's; @return this */
    public SgeOptions classpath(String classpath) {
        launch.classpath(blankToNull(classpath));
        return this;
    }

    /** @param directory the jobs' working directory ({@code qsub -wd}); default the manager's; @return this */
    public SgeOptions workingDirectory(Path directory) {
        this.directory = directory;
        return this;
    }

    /** @return how jobs are submitted */
    public Submit submit() {
        return submit;
    }

    /** @return the job name */
    public String jobName() {
        return jobName;
    }

    /** @return the spec with these options applied over the core's */
    LaunchSpec applyTo(LaunchSpec spec) {
        return launch.applyTo(spec);
    }

    /** @return the secret directory, resolved */
    Path secretDirOrDefault() {
        return (secretDir != null ? secretDir : Path.of(System.getProperty("user.home"), ".jparallel", "sge"))
                .toAbsolutePath();
    }

    /** @return the working directory of the jobs, resolved */
    Path directoryOrDefault() {
        return (directory != null ? directory : Path.of("")).toAbsolutePath();
    }

    /** @return the words of a configured command */
    static List<String> words(String command) {
        return new ArrayList<>(LaunchSpec.splitWords(command));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
