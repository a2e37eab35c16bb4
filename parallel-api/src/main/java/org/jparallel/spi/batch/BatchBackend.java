package org.jparallel.spi.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.DoctorCheck;
import org.jparallel.spi.DoctorContext;
import org.jparallel.spi.WorkerBackend;

/**
 * The part of a batch-scheduler backend that is the same for every scheduler: its name, its
 * description, its keys (its own, then the kit's {@link BatchKeys} worded for its scheduler) and the
 * kit's doctor checks of the scheduler's tools. A backend extends it with {@link #createGroup} (its
 * keys read into its options, the kit's with {@link BatchOptions#read}):
 *
 * <pre>{@code
 * public final class PbsBackend extends BatchBackend {
 *     static final ConfigKey<String> QUEUE = ConfigKey.string("queue", null, "queue the jobs go to (qsub -q)");
 *     public PbsBackend() { super("pbs", "workers as PBS array subjobs", new PbsScheduler(), List.of(QUEUE)); }
 *     public WorkerGroup createGroup(int count, BackendSettings s) { ... }
 * }
 * }</pre>
 */
public abstract class BatchBackend implements WorkerBackend {
    private final String name;
    private final String description;
    private final BatchScheduler scheduler;
    private final List<ConfigKey<?>> keys;

    /**
     * @param name the name configuration uses for the backend
     * @param description one line saying what it starts
     * @param scheduler a scheduler, for the wording of the shared keys, their tools and the doctor checks
     * @param ownKeys the backend's own keys, listed first; one named like a shared key (e.g. a tool's,
     *     with its own description) takes that key's place
     */
    protected BatchBackend(String name, String description, BatchScheduler scheduler, List<ConfigKey<?>> ownKeys) {
        this.name = Objects.requireNonNull(name, "name");
        this.description = Objects.requireNonNull(description, "description");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        List<ConfigKey<?>> shared = BatchKeys.forScheduler(name, scheduler);
        List<String> sharedNames = shared.stream().map(ConfigKey::name).toList();
        List<ConfigKey<?>> all = new ArrayList<>(ownKeys.stream().filter(k -> !sharedNames.contains(k.name())).toList());
        for (ConfigKey<?> k : shared) {
            all.add(ownKeys.stream().filter(o -> o.name().equals(k.name())).findFirst().orElse(k));
        }
        this.keys = List.copyOf(all);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final List<ConfigKey<?>> configKeys() {
        return keys;
    }

    /** The kit's check of each of the scheduler's tools (one warning instead for a dry run). */
    @Override
    public List<DoctorCheck> doctorChecks(DoctorContext context) {
        return BatchDoctor.toolChecks(context, scheduler);
    }
}
