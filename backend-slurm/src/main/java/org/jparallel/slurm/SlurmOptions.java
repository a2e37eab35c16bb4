package org.jparallel.slurm;

import java.nio.file.Path;
import java.util.List;
import org.jparallel.spi.batch.BatchOptions;

/**
 * How {@link SlurmWorkerArray} submits its workers, in one fluent class for code: Slurm's own settings
 * (partition, time limit, memory, account, extra {@code #SBATCH} lines; held by a {@link SlurmScheduler})
 * and those every batch backend shares (job name, output, commands, secret directory, java ...; held by
 * the kit's {@link BatchOptions}). Every setting left unset keeps Slurm's or the manager's default.
 *
 * <pre>{@code
 * manager.addWorker(new SlurmWorkerArray(8, new SlurmOptions().partition("short").time("1:00:00").memory("4G")));
 * }</pre>
 */
public final class SlurmOptions {
    private final SlurmScheduler scheduler = new SlurmScheduler();
    private final BatchOptions batch = new BatchOptions();

    /** Options with every default. */
    public SlurmOptions() {
    }

    /** @param partition the partition ({@code sbatch --partition}); @return this */
    public SlurmOptions partition(String partition) {
        scheduler.partition(partition);
        return this;
    }

    /**
     * @param limit the time limit of each worker's job ({@code sbatch --time}): {@code MINUTES}, {@code HH:MM:SS} ...
     * @return this
     * @throws IllegalArgumentException when it is not in a form Slurm reads
     */
    public SlurmOptions time(String limit) {
        scheduler.time(limit);
        return this;
    }

    /**
     * @param memory memory per worker's job ({@code sbatch --mem}), e.g. {@code 4G}, {@code 500M}
     * @return this
     * @throws IllegalArgumentException when it is not a number with an optional K, M, G or T
     */
    public SlurmOptions memory(String memory) {
        scheduler.memory(memory);
        return this;
    }

    /** @param account the account the jobs are charged to ({@code sbatch --account}); @return this */
    public SlurmOptions account(String account) {
        scheduler.account(account);
        return this;
    }

    /** @param lines extra {@code #SBATCH} lines, separated by {@code ;} or new lines, e.g. {@code --qos=long; --gres=gpu:1}; @return this */
    public SlurmOptions sbatchLines(String lines) {
        scheduler.sbatchLines(lines);
        return this;
    }

    /** @param options more sbatch options, split like a shell would, e.g. {@code --qos=long --nice=10}; @return this */
    public SlurmOptions extraOptions(String options) {
        batch.options(options);
        return this;
    }

    /** @param name the job name ({@code sbatch --job-name}); default {@code jparallel}; @return this */
    public SlurmOptions jobName(String name) {
        batch.jobName(name);
        return this;
    }

    /** @param pattern the worker output file pattern, {@code %d} is the worker id; default the manager's; @return this */
    public SlurmOptions output(String pattern) {
        batch.output(pattern);
        return this;
    }

    /** @param command the sbatch command, several words allowed; @return this */
    public SlurmOptions sbatchCommand(String command) {
        batch.command("sbatch", command);
        return this;
    }

    /** @param command the squeue command, several words allowed; @return this */
    public SlurmOptions squeueCommand(String command) {
        batch.command("squeue", command);
        return this;
    }

    /** @param command the scancel command, several words allowed; @return this */
    public SlurmOptions scancelCommand(String command) {
        batch.command("scancel", command);
        return this;
    }

    /** @param command the sacct command, several words allowed; {@code none} never asks sacct; @return this */
    public SlurmOptions sacctCommand(String command) {
        boolean none = command != null && command.strip().equals("none");
        scheduler.history(!none);
        if (!none) {
            batch.command("sacct", command);
        }
        return this;
    }

    /** @param dryRun true to submit nothing: the job script and the sbatch command are logged and every worker fails with them; @return this */
    public SlurmOptions dryRun(boolean dryRun) {
        batch.dryRun(dryRun);
        return this;
    }

    /** @param dir where each submission's private directory (secret, job script) goes, shared with the nodes; default {@code ~/.jparallel/slurm}; @return this */
    public SlurmOptions secretDir(Path dir) {
        batch.secretDir(dir);
        return this;
    }

    /** @param command the command starting a worker JVM on the compute nodes; default the manager's; @return this */
    public SlurmOptions javaCommand(String command) {
        batch.javaCommand(command);
        return this;
    }

    /** @param options worker JVM options, replacing the manager's; @return this */
    public SlurmOptions jvmOptions(List<String> options) {
        batch.jvmOptions(options);
        return this;
    }

    /** @param host the address workers use to reach the manager; default every address of this machine; @return this */
    public SlurmOptions host(String host) {
        batch.host(host);
        return this;
    }

    /** @param classpath the worker classpath; default the manager's; @return this */
    public SlurmOptions classpath(String classpath) {
        batch.classpath(classpath);
        return this;
    }

    /** @param directory the jobs' working directory ({@code sbatch --chdir}); default the manager's; @return this */
    public SlurmOptions workingDirectory(Path directory) {
        batch.workingDirectory(directory);
        return this;
    }

    /** @return the job name */
    public String jobName() {
        return batch.jobName();
    }

    /** @return Slurm's own settings */
    SlurmScheduler scheduler() {
        return scheduler;
    }

    /** @return the settings every batch backend shares */
    BatchOptions batch() {
        return batch;
    }
}
