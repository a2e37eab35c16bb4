package org.jparallel.spi.batch;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jparallel.spi.RunDirectory;

/**
 * One call of {@link BatchWorkerGroup#start}: its private run directory, the jobs it submitted, and
 * how many of its workers are not stopped yet. When the last one is stopped the directory (and the
 * secret in it: a task that starts later finds none and exits) is deleted and the view stops asking
 * about the jobs. Thread-safe.
 */
final class RunRecord {
    private final RunDirectory run;
    private final QueueView view;
    private final AtomicInteger live;
    private final List<String> jobs = new CopyOnWriteArrayList<>();

    /**
     * @param run the submission's directory
     * @param workers how many workers it starts
     * @param view the view that watches its jobs
     */
    RunRecord(RunDirectory run, int workers, QueueView view) {
        this.run = run;
        this.view = view;
        this.live = new AtomicInteger(workers);
    }

    /** @return the run directory */
    RunDirectory directory() {
        return run;
    }

    /** Records a submitted job and has the view watch it. */
    void submitted(String jobId) {
        jobs.add(jobId);
        view.watch(jobId);
    }

    /** Counts one stopped worker; after the last, deletes the directory and forgets the jobs. */
    void workerStopped() {
        if (live.decrementAndGet() == 0) {
            run.delete();
            jobs.forEach(view::forget);
        }
    }
}
