package org.jparallel.sge;

import java.nio.file.Path;
import java.util.Objects;
import org.jparallel.spi.batch.BatchOptions;

/**
 * How {@link SgeQsubWorkerArray} submits its workers: Grid Engine's own settings (queue, resources,
 * parallel environment, qsub or DRMAA), held by an {@link SgeScheduler}, over the settings every batch
 * backend shares (job name, extra qsub options, output pattern, the commands, dry run, secret
 * directory, how workers start) of the kit's {@link BatchOptions}. Every setting left unset keeps Grid
 * Engine's or the manager's default.
 *
 * <pre>{@code
 * manager.addWorker(new SgeQsubWorkerArray(8, new SgeOptions().queue("all.q").resources("h_vmem=4G")));
 * }</pre>
 */
public final class SgeOptions extends BatchOptions<SgeOptions> {
    /** How jobs are submitted. */
    public enum Submit {
        /** With the {@code qsub} command. */
        QSUB,
        /** With the cluster's DRMAA library ({@code drmaa.jar} and {@code libdrmaa}). */
        DRMAA
    }

    final SgeScheduler scheduler = new SgeScheduler();
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
    @Override
    public SgeOptions jobName(String name) {
        return super.jobName(name == null ? null : SgeScheduler.jobName(name));
    }

    /** @param submit qsub (default) or DRMAA; @return this */
    public SgeOptions submit(Submit submit) {
        this.submit = Objects.requireNonNull(submit, "submit");
        return this;
    }

    /** @param command the qsub command, several words allowed (the others: {@code command("qstat", ...)}); @return this */
    public SgeOptions qsubCommand(String command) {
        return command("qsub", command);
    }

    /** @return how jobs are submitted */
    public Submit submit() {
        return submit;
    }

    /** @return the secret directory, resolved ({@code ~/.jparallel/sge} when none was set) */
    Path secretDirOrDefault() {
        return secretDirOrDefault(SgeBackend.NAME);
    }
}
