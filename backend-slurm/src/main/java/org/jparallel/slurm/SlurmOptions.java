package org.jparallel.slurm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jparallel.spi.LaunchOverrides;
import org.jparallel.spi.LaunchSpec;

/**
 * How {@link SlurmWorkerArray} submits its workers: partition, time limit, memory, account, extra
 * {@code #SBATCH} lines and sbatch options, job name, output pattern, the Slurm commands and where the
 * run's secret is written. Every setting left unset keeps Slurm's or the manager's default.
 *
 * <pre>{@code
 * manager.addWorker(new SlurmWorkerArray(8, new SlurmOptions().partition("short").time("1:00:00").memory("4G")));
 * }</pre>
 */
public final class SlurmOptions {
    String partition;
    String time;
    String memory;
    String account;
    List<String> sbatchLines = List.of();
    List<String> extraOptions = List.of();
    String jobName = "jparallel";
    String sbatchCommand = "sbatch";
    String squeueCommand = "squeue";
    String scancelCommand = "scancel";
    String sacctCommand = "sacct";
    boolean dryRun;
    Path secretDir;
    Path directory;
    /** Java command, JVM options, host, output pattern and classpath, over the manager's. */
    final LaunchOverrides launch = new LaunchOverrides();

    /** Options with every default. */
    public SlurmOptions() {
    }

    /** @param partition the partition ({@code sbatch --partition}); @return this */
    public SlurmOptions partition(String partition) {
        this.partition = blankToNull(partition);
        return this;
    }

    /**
     * @param limit the time limit of each worker's job ({@code sbatch --time}): {@code MINUTES},
     *     {@code HH:MM:SS}, {@code D-HH:MM} ...
     * @return this
     * @throws IllegalArgumentException when it is not in a form Slurm reads
     */
    public SlurmOptions time(String limit) {
        String t = blankToNull(limit);
        if (t != null && !t.matches("(?i)\\d+|\\d+:\\d+|\\d+:\\d+:\\d+|\\d+-\\d+(:\\d+){0,2}|UNLIMITED|INFINITE")) {
            throw new IllegalArgumentException("Slurm time limit \"" + limit + "\" is not MINUTES, MM:SS, HH:MM:SS,"
                    + " D-HH, D-HH:MM or D-HH:MM:SS (jparallel.slurm.time)");
        }
        this.time = t;
        return this;
    }

    /**
     * @param memory memory per worker's job ({@code sbatch --mem}), e.g. {@code 4G}, {@code 500M}
     * @return this
     * @throws IllegalArgumentException when it is not a number with an optional K, M, G or T
     */
    public SlurmOptions memory(String memory) {
        String m = blankToNull(memory);
        if (m != null && !m.matches("(?i)\\d+[KMGT]?")) {
            throw new IllegalArgumentException("Slurm memory \"" + memory
                    + "\" is not a number with an optional unit K, M, G or T, e.g. 4G (jparallel.slurm.memory)");
        }
        this.memory = m;
        return this;
    }

    /** @param account the account the jobs are charged to ({@code sbatch --account}); @return this */
    public SlurmOptions account(String account) {
        this.account = blankToNull(account);
        return this;
    }

    /**
     * @param lines extra {@code #SBATCH} lines for the job script, separated by {@code ;} or new lines;
     *     each may be written with or without its {@code #SBATCH} prefix, e.g. {@code --qos=long; --gres=gpu:1}
     * @return this
     */
    public SlurmOptions sbatchLines(String lines) {
        List<String> out = new ArrayList<>();
        if (lines != null) {
            for (String l : lines.split("[;\\r\\n]+")) {
                String t = l.strip();
                if (t.isEmpty()) {
                    continue;
                }
                String body = t.startsWith("#SBATCH") ? t.substring("#SBATCH".length()).strip() : t;
                out.add("#SBATCH " + body);
            }
        }
        this.sbatchLines = List.copyOf(out);
        return this;
    }

    /** @param options more sbatch options, split like a shell would, e.g. {@code --qos=long --nice=10}; @return this */
    public SlurmOptions extraOptions(String options) {
        this.extraOptions = options == null ? List.of() : LaunchSpec.splitWords(options);
        return this;
    }

    /** @param name the job name ({@code sbatch --job-name}); default {@code jparallel}; @return this */
    public SlurmOptions jobName(String name) {
        this.jobName = Objects.requireNonNull(blankToNull(name), "job name").replaceAll("\\s", "_");
        return this;
    }

    /** @param pattern the worker output file pattern, {@code %d} is the worker id; default the manager's; @return this */
    public SlurmOptions output(String pattern) {
        launch.outputPattern(blankToNull(pattern));
        return this;
    }

    /** @param command the sbatch command, several words allowed; @return this */
    public SlurmOptions sbatchCommand(String command) {
        this.sbatchCommand = Objects.requireNonNull(blankToNull(command), "sbatch command");
        return this;
    }

    /** @param command the squeue command, several words allowed; @return this */
    public SlurmOptions squeueCommand(String command) {
        this.squeueCommand = Objects.requireNonNull(blankToNull(command), "squeue command");
        return this;
    }

    /** @param command the scancel command, several words allowed; @return this */
    public SlurmOptions scancelCommand(String command) {
        this.scancelCommand = Objects.requireNonNull(blankToNull(command), "scancel command");
        return this;
    }

    /** @param command the sacct command, several words allowed; {@code none} never asks sacct; @return this */
    public SlurmOptions sacctCommand(String command) {
        this.sacctCommand = Objects.requireNonNull(blankToNull(command), "sacct command");
        return this;
    }

    /**
     * @param dryRun true to submit nothing: the job script and the exact sbatch command line are logged,
     *     and every worker fails with that text
     * @return this
     */
    public SlurmOptions dryRun(boolean dryRun) {
        this.dryRun = dryRun;
        return this;
    }

    /**
     * @param dir where each submission makes its private (0700) directory holding the secret file (0600),
     *     the job script and the exit codes; it must be visible at the same path on the compute nodes.
     *     Default {@code ~/.jparallel/slurm}
     * @return this
     */
    public SlurmOptions secretDir(Path dir) {
        this.secretDir = dir;
        return this;
    }

    /** @param command the command starting a worker JVM on the compute nodes; default the manager's; @return this */
    public SlurmOptions javaCommand(String command) {
        launch.javaCommand(blankToNull(command));
        return this;
    }

    /** @param options worker JVM options, replacing the manager's; @return this */
    public SlurmOptions jvmOptions(List<String> options) {
        launch.jvmOptions(options);
        return this;
    }

    /** @param host the address workers use to reach the manager; default every address of this machine; @return this */
    public SlurmOptions host(String host) {
        launch.host(blankToNull(host));
        return this;
    }

    /** @param classpath the worker classpath; default the manager's; @return this */
    public SlurmOptions classpath(String classpath) {
        launch.classpath(blankToNull(classpath));
        return this;
    }

    /** @param directory the jobs' working directory ({@code sbatch --chdir}); default the manager's; @return this */
    public SlurmOptions workingDirectory(Path directory) {
        this.directory = directory;
        return this;
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
        return (secretDir != null ? secretDir : Path.of(System.getProperty("user.home"), ".jparallel", "slurm"))
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
