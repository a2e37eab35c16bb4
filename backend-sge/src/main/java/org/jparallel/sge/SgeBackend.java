package org.jparallel.sge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jparallel.spi.BackendSettings;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.DoctorCheck;
import org.jparallel.spi.DoctorContext;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.batch.BatchBackend;
import org.jparallel.spi.batch.BatchDoctor;
import org.jparallel.spi.batch.BatchKeys;

/**
 * Makes {@link SgeQsubWorkerArray} groups from configuration ({@code jparallel.backend=sge} and the
 * {@code jparallel.sge.*} keys), found by the core through {@link java.util.ServiceLoader}.
 */
public final class SgeBackend extends BatchBackend {
    /** The name configuration uses for this backend. */
    public static final String NAME = "sge";

    /** Key: the queue. */
    static final ConfigKey<String> QUEUE = ConfigKey.string("queue", null,
            "queue the jobs go to (qsub -q); empty: the cluster's default");
    /** Key: resource requests. */
    static final ConfigKey<String> RESOURCES = ConfigKey.string("resources", null,
            "resource requests (qsub -l), e.g. h_vmem=4G,h_rt=1:00:00");
    /** Key: the parallel environment. */
    static final ConfigKey<String> PE = ConfigKey.string("pe", null,
            "parallel environment and slots per worker (qsub -pe), e.g. smp 2");
    /** Key: qsub or DRMAA. */
    static final ConfigKey<String> SUBMIT = ConfigKey.string("submit", "qsub",
            "qsub, or drmaa (needs the cluster's drmaa.jar on the classpath and libdrmaa on the library path)");

    /** Makes the backend, as {@link java.util.ServiceLoader} does. */
    public SgeBackend() {
        super(NAME, "workers as the tasks of a Grid Engine array job (qsub or DRMAA)", new SgeScheduler(),
                List.of(QUEUE, RESOURCES, PE, SUBMIT));
    }

    @Override
    public WorkerGroup createGroup(int count, BackendSettings settings) {
        return new SgeQsubWorkerArray(count, options(settings));
    }

    /**
     * The kit's checks of qsub, qstat and qdel (not qsub when DRMAA submits), and DRMAA's own when it does.
     */
    @Override
    public List<DoctorCheck> doctorChecks(DoctorContext context) {
        boolean drmaa = "drmaa".equalsIgnoreCase(context.settings().get(SUBMIT));
        SgeScheduler scheduler = new SgeScheduler();
        List<DoctorCheck> checks = new ArrayList<>(BatchDoctor.toolChecks(context, scheduler,
                drmaa ? List.of("qstat", "qdel") : scheduler.tools()));
        if (drmaa && !context.settings().get(BatchKeys.DRY_RUN)) {
            checks.add(new DrmaaCheck());
        }
        String slots = context.settings().get(BatchKeys.SLOTS);
        if (slots != null && slots.trim().matches("[0-9]{1,4}") && Integer.parseInt(slots.trim()) > 1
                && context.settings().get(PE) == null && !context.settings().get(BatchKeys.DRY_RUN)) {
            checks.add(new PeCheck("qconf", Integer.parseInt(slots.trim()), org.jparallel.spi.CommandRunner.system()));
        }
        return checks;
    }

    /** @return the options the settings describe */
    static SgeOptions options(BackendSettings settings) {
        SgeOptions o = new SgeOptions().read(settings, new SgeScheduler());
        settings.ifSet(QUEUE, o::queue);
        settings.ifSet(RESOURCES, o::resources);
        settings.ifSet(PE, o::parallelEnvironment);
        settings.ifSet(SUBMIT, v -> o.submit(submit(v, settings.keyName(SUBMIT))));
        return o;
    }

    private static SgeOptions.Submit submit(String v, String key) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "qsub" -> SgeOptions.Submit.QSUB;
            case "drmaa" -> SgeOptions.Submit.DRMAA;
            default -> throw new IllegalArgumentException(key + " must be qsub or drmaa, got " + v);
        };
    }
}
