package org.jparallel.tests.batch;

import java.util.List;
import org.jparallel.spi.BackendSettings;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.batch.BatchBackend;
import org.jparallel.spi.batch.BatchOptions;
import org.jparallel.spi.batch.BatchWorkerGroup;

/**
 * The PBS scheduler of this package as a backend named {@code pbsfake} ({@code jparallel.backend=pbsfake}),
 * registered in the test resources' {@code META-INF/services}: the kit's shared keys plus {@code queue}, and
 * the kit's doctor checks of its tools.
 */
public final class PbsBackend extends BatchBackend {
    /** The name configuration uses. */
    public static final String NAME = "pbsfake";
    /** Key: the queue. */
    static final ConfigKey<String> QUEUE = ConfigKey.string("queue", null, "queue the jobs go to (qsub -q)");

    /** Makes the backend, as {@link java.util.ServiceLoader} does. */
    public PbsBackend() {
        super(NAME, "test-only: workers as the subjobs of a PBS array job (qsub -J)", new PbsScheduler(), List.of(QUEUE));
    }

    @Override
    public WorkerGroup createGroup(int count, BackendSettings settings) {
        PbsScheduler pbs = new PbsScheduler().queue(settings.get(QUEUE));
        return new BatchWorkerGroup<>(count, NAME, pbs, new BatchOptions.Basic().read(settings, pbs));
    }
}
