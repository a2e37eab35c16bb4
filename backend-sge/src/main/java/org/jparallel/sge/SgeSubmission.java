package org.jparallel.sge;

import org.jparallel.spi.RunDirectory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One call of {@link SgeQsubWorkerArray#start}: its private directory and how many of its workers are
 * not stopped yet. The directory (and the secret in it) is deleted when the last one is stopped.
 */
final class SgeSubmission {
    private final RunDirectory run;
    private final AtomicInteger live;

    SgeSubmission(RunDirectory run, int workers) {
        this.run = run;
        this.live = new AtomicInteger(workers);
    }

    /** @return the submission's directory */
    RunDirectory run() {
        return run;
    }

    /** Counts one stopped worker; deletes the directory after the last. */
    void handleStopped() {
        if (live.decrementAndGet() == 0) {
            run.delete();
        }
    }
}
