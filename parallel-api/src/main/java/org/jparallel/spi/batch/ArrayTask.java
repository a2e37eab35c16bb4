package org.jparallel.spi.batch;

import java.util.Objects;

/**
 * One task of a scheduler's array job: the job id as the scheduler printed it at submission (e.g.
 * {@code 123}, or PBS's {@code 123[].server}) and the task's index, which is a jparallel worker id.
 * A status parser keys what it reads by these, so the kit can find each worker's task.
 *
 * @param jobId the array job's id, exactly as {@link BatchScheduler#parseJobId} returned it
 * @param index the array task's index (the worker id)
 */
public record ArrayTask(String jobId, int index) {
    /** Checks the fields. */
    public ArrayTask {
        Objects.requireNonNull(jobId, "jobId");
    }

    @Override
    public String toString() {
        return jobId + "#" + index;
    }
}
