package org.jparallel.sge;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.batch.BatchOptions;

/**
 * How {@link SgeQsubWorkerArray} submits its workers: Grid Engine's own settings (queue, resources,
 * parallel environment, qsub or DRMAA) in an {@link SgeScheduler}, and the settings every batch
 * backend shares (job name, extra qsub options, output pattern, the commands, dry run, secret
 * directory, how workers start) in a {@link BatchOptions}. Every setting left unset keeps Grid
 * Engine's or the manager's default.
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

    final SgeScheduler scheduler = new SgeScheduler();
    final BatchOptions batch = new BatchOptions();
    private Submit submit = Submit.QSUB;

    /** Options with every default. */
    public SgeOptions() {
    }

    /** @param queue the queue ({@code qsub -q}), e.g. {@code all.q}; @return this */
    public SgeOptions queue(String queue) {
        scheduler.queue(queue);
        return this;
    }

    /** @param resources resource requests ({@code qsub -l}), e.g. {@code h_vmem=4G,h_rt=1:00:00}; @return this */
    public SgeOptions resources(String resources) {
        scheduler.resources(resources);
        return this;
    }

    /** @param pe a parallel environment and slot count ({@code qsub -pe}), e.g. {@code smp 2}; @return this */
    public SgeOptions parallelEnvironment(String pe) {
        scheduler.parallelEnvironment(pe);
        return this;
    }

    /** @param name the job name ({@code qsub -N}); Grid Engine forbids some characters, they become _; @return this */
    public SgeOptions jobName(String name) {
        batch.jobName(name == null ? null : SgeScheduler.jobName(name));
        return this;
    }

    /** @param options more qsub options, split like a shell would, e.g. {@code -P myproject -p -10}; @return this */
    public SgeOptions extraOptions(String options) {
        batch.options(options);
        return this;
    }

    /** @param pattern the worker output file pattern, {@code %d} is the worker id; default the manager's; @return this */
    public SgeOptions output(String pattern) {
        batch.output(pattern);
        return this;
    }

    /** @param submit qsub (default) or DRMAA; @return this */
    public SgeOptions submit(Submit submit) {
        this.submit = Objects.requireNonNull(submit, "submit");
        return this;
    }

    /** @param command the qsub command, several words allowed; @return this */
    public SgeOptions qsubCommand(String command) {
        batch.command("qsub", command);
        return this;
    }

    /** @param command the qstat command, several words allowed; @return this */
    public SgeOptions qstatCommand(String command) {
        batch.command("qstat", command);
        return this;
    }

    /** @param command the qdel command, several words allowed; @return this */
    public SgeOptions qdelCommand(String command) {
        batch.command("qdel", command);
        return this;
    }

    /**
     * @param dryRun true to submit nothing: the job script and the exact qsub command line are logged,
     *     and every worker fails with that text
     * @return this
     */
    public SgeOptions dryRun(boolean dryRun) {
        batch.dryRun(dryRun);
        return this;
    }

    /**
     * @param dir where each group makes its private (0700) directory holding the secret file (0600), the
     *     job script and the exit codes; it must be visible at the same path on the execution hosts.
     *     Default {@code ~/.jparallel/sge}
     * @return this
     */
    public SgeOptions secretDir(Path dir) {
        batch.secretDir(dir);
        return this;
    }

    /** @param command the command starting a worker JVM on the execution hosts; default the manager's; @return this */
    public SgeOptions javaCommand(String command) {
        batch.javaCommand(command);
        return this;
    }

    /** @param options worker JVM options, replacing the manager's; @return this */
    public SgeOptions jvmOptions(List<String> options) {
        batch.jvmOptions(options);
        return this;
    }

    /** @param host the address workers use to reach the manager; default every address of this machine; @return this */
    public SgeOptions host(String host) {
        batch.host(host);
        return this;
    }

    /** @param classpath the worker classpath; default the manager's; @return this */
    public SgeOptions classpath(String classpath) {
        batch.classpath(classpath);
        return this;
    }

    /** @param directory the jobs' working directory ({@code qsub -wd}); default the manager's; @return this */
    public SgeOptions workingDirectory(Path directory) {
        batch.workingDirectory(directory);
        return this;
    }

    /** @return how jobs are submitted */
    public Submit submit() {
        return submit;
    }

    /** @return the job name */
    public String jobName() {
        return batch.jobName();
    }

    /** @return the spec with these options applied over the core's */
    LaunchSpec applyTo(LaunchSpec spec) {
        return batch.applyTo(spec);
    }

    /** @return the secret directory, resolved */
    Path secretDirOrDefault() {
        return batch.secretDirOrDefault(SgeBackend.NAME);
    }
}
