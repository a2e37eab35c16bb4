package org.jparallel.tests.batch;

import java.util.ArrayList;
import java.util.List;
import org.jparallel.spi.BackendSettings;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.DoctorCheck;
import org.jparallel.spi.DoctorContext;
import org.jparallel.spi.WorkerBackend;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.batch.BatchDoctor;
import org.jparallel.spi.batch.BatchKeys;
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
    /** Key: the queue. */
    static final ConfigKey<String> QUEUE = ConfigKey.string("queue", null, "queue the jobs go to (qsub -q)");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "test-only: workers as the subjobs of a PBS array job (qsub -J)";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        List<ConfigKey<?>> keys = new ArrayList<>(BatchKeys.forScheduler(NAME, new PbsScheduler()));
        keys.add(QUEUE);
        return keys;
    }

    @Override
    public WorkerGroup createGroup(int count, BackendSettings settings) {
        PbsScheduler pbs = new PbsScheduler().queue(settings.get(QUEUE));
        return new BatchWorkerGroup<>(count, NAME, pbs, new BatchOptions.Basic().read(settings, pbs));
    }

    @Override
    public List<DoctorCheck> doctorChecks(DoctorContext context) {
        return BatchDoctor.toolChecks(context, new PbsScheduler());
    }
}
