package org.jparallel.slurm;

import org.jparallel.spi.RunDirectory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One call of {@link SlurmWorkerArray#start}: its private directory, its job (once submitted) and how
 * many of its workers are not stopped yet. When the last one is stopped the directory (and the secret
 * in it) is deleted and squeue is no longer asked about the job.
 */
final class SlurmSubmission {
    private final RunDirectory run;
    private final AtomicInteger live;
    private volatile long jobId = -1;
    private volatile SlurmCluster cluster;

    SlurmSubmission(RunDirectory run, int workers) {
        this.run = run;
        this.live = new AtomicInteger(workers);
    }

    /** @return the submission's directory */
    RunDirectory run() {
        return run;
    }

    /** Records the submitted job and starts watching it. */
    void submitted(long job, SlurmCluster c) {
        this.jobId = job;
        this.cluster = c;
        c.watch(job);
    }

    /** Counts one stopped worker; after the last, deletes the directory and forgets the job. */
    void handleStopped() {
        if (live.decrementAndGet() == 0) {
            run.delete();
            if (cluster != null) {
                cluster.forget(jobId);
            }
        }
    }
}
