package org.jparallel.tests.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jparallel.spi.BackendSettings;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.DoctorCheck;
import org.jparallel.spi.DoctorContext;
import org.jparallel.spi.WorkerBackend;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.batch.BatchDoctor;
import org.jparallel.spi.batch.BatchOptions;
import org.jparallel.spi.batch.BatchWorkerGroup;

/**
 * The PBS scheduler of this package as a backend named {@code pbsfake} ({@code jparallel.backend=pbsfake}),
 * registered in the test resources' {@code META-INF/services}: the kit's shared keys plus {@code queue}, and
 * the kit's doctor checks of its tools.
 */
public final class PbsBackend implements WorkerBackend {
    /** The name configuration uses. */
    public static final String NAME = "pbsfake";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "test-only: workers as the subjobs of a PBS array job (qsub -J)";
    }

    @Override
    public List<ConfigKey> configKeys() {
        List<ConfigKey> keys = new ArrayList<>(BatchOptions.configKeys(NAME, new PbsScheduler()));
        keys.add(ConfigKey.optional("queue", ConfigKey.Type.STRING, null, "queue the jobs go to (qsub -q)"));
        return keys;
    }

    @Override
    public WorkerGroup createGroup(int count, Map<String, String> settings) {
        PbsScheduler pbs = new PbsScheduler().queue(new BackendSettings(settings).value("queue"));
        return new BatchWorkerGroup(count, NAME, pbs, new BatchOptions().read(settings, pbs));
    }

    @Override
    public List<DoctorCheck> doctorChecks(DoctorContext context) {
        return BatchDoctor.toolChecks(context, new PbsScheduler());
    }
}
