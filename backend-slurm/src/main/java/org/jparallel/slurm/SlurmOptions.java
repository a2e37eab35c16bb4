package org.jparallel.slurm;

import org.jparallel.spi.batch.BatchOptions;

/**
 * How {@link SlurmWorkerArray} submits its workers, in one fluent class for code: Slurm's own settings
 * (partition, time limit, memory, account, extra {@code #SBATCH} lines; held by a {@link SlurmScheduler})
 * over those every batch backend shares (job name, output, commands, secret directory, java ...) of
 * the kit's {@link BatchOptions}. Every setting left unset keeps Slurm's or the manager's default.
 *
 * <pre>{@code
 * manager.addWorker(new SlurmWorkerArray(8, new SlurmOptions().partition("short").time("1:00:00").memory("4G")));
 * }</pre>
 */
public final class SlurmOptions extends BatchOptions<SlurmOptions> {
    private final SlurmScheduler scheduler = new SlurmScheduler();

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

    /** @param command the sbatch command, several words allowed (the others: {@code command("squeue", ...)}); @return this */
    public SlurmOptions sbatchCommand(String command) {
        return command("sbatch", command);
    }

    /** @param command the sacct command, several words allowed; {@code none} never asks sacct; @return this */
    public SlurmOptions sacctCommand(String command) {
        boolean none = command != null && command.strip().equals("none");
        scheduler.history(!none);
        if (!none) {
            command("sacct", command);
        }
        return this;
    }

    /** @return Slurm's own settings */
    SlurmScheduler scheduler() {
        return scheduler;
    }
}
