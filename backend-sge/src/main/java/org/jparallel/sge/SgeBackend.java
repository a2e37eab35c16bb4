package org.jparallel.sge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jparallel.spi.BackendSettings;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.ConfigKey.Type;
import org.jparallel.spi.DoctorCheck;
import org.jparallel.spi.DoctorContext;
import org.jparallel.spi.WorkerBackend;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.batch.BatchDoctor;
import org.jparallel.spi.batch.BatchOptions;

/**
 * Makes {@link SgeQsubWorkerArray} groups from configuration ({@code jparallel.backend=sge} and the
 * {@code jparallel.sge.*} keys), found by the core through {@link java.util.ServiceLoader}.
 */
public final class SgeBackend implements WorkerBackend {
    /** The name configuration uses for this backend. */
    public static final String NAME = "sge";

    private static final List<ConfigKey> KEYS = keys();

    private static List<ConfigKey> keys() {
        List<ConfigKey> keys = new ArrayList<>(List.of(
                ConfigKey.optional("queue", Type.STRING, null, "queue the jobs go to (qsub -q); empty: the cluster's default"),
                ConfigKey.optional("resources", Type.STRING, null, "resource requests (qsub -l), e.g. h_vmem=4G,h_rt=1:00:00"),
                ConfigKey.optional("pe", Type.STRING, null, "parallel environment and slots per worker (qsub -pe), e.g. smp 2"),
                ConfigKey.optional("submit", Type.STRING, "qsub",
                        "qsub, or drmaa (needs the cluster's drmaa.jar on the classpath and libdrmaa on the library path)")));
        keys.addAll(BatchOptions.configKeys(NAME, new SgeScheduler()));
        return List.copyOf(keys);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "workers as the tasks of a Grid Engine array job (qsub or DRMAA)";
    }

    @Override
    public List<ConfigKey> configKeys() {
        return KEYS;
    }

    @Override
    public WorkerGroup createGroup(int count, Map<String, String> settings) {
        return new SgeQsubWorkerArray(count, options(settings));
    }

    /**
     * The kit's checks of qsub, qstat and qdel (not qsub when DRMAA submits), and DRMAA's own when it does.
     */
    @Override
    public List<DoctorCheck> doctorChecks(DoctorContext context) {
        boolean drmaa = "drmaa".equalsIgnoreCase(context.value("submit"));
        SgeScheduler scheduler = new SgeScheduler();
        List<DoctorCheck> checks = new ArrayList<>(BatchDoctor.toolChecks(context, scheduler,
                drmaa ? List.of("qstat", "qdel") : scheduler.tools()));
        if (drmaa && !Boolean.parseBoolean(context.value(BatchOptions.DRY_RUN))) {
            checks.add(new DrmaaCheck());
        }
        return checks;
    }

    /** @return the options the settings describe */
    static SgeOptions options(Map<String, String> settings) {
        SgeOptions o = new SgeOptions();
        o.batch.read(settings, o.scheduler);
        BackendSettings s = new BackendSettings(settings);
        s.ifSet("queue", o::queue);
        s.ifSet("resources", o::resources);
        s.ifSet("pe", o::parallelEnvironment);
        s.ifSet("job-name", o::jobName); // Grid Engine's characters in messages too
        s.ifSet("submit", v -> o.submit(submit(v)));
        return o;
    }

    private static SgeOptions.Submit submit(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "qsub" -> SgeOptions.Submit.QSUB;
            case "drmaa" -> SgeOptions.Submit.DRMAA;
            default -> throw new IllegalArgumentException("jparallel.sge.submit must be qsub or drmaa, got " + v);
        };
    }
}
