package org.jparallel.spi.batch;

import java.nio.file.Path;
import java.util.List;

/**
 * One array job the kit asks a {@link BatchScheduler} to write the submit command for: its task
 * indices (the worker ids: one contiguous range unless the scheduler {@link
 * BatchScheduler#acceptsIdLists accepts lists}), the job script, the job name, each task's output
 * file, the working directory and the user's raw scheduler options.
 *
 * @param ids the array task indices, ascending, without repeats
 * @param script the job script to submit (it reads the index from {@link BatchScheduler#taskIdVariable})
 * @param jobName the job name
 * @param outputPattern each task's output file, absolute; {@code %d} stands for the index
 * @param directory the jobs' working directory, absolute
 * @param options the user's raw scheduler options, one word per element, to add before the script
 * @param cores the cores each worker needs on one host (its task slots): a scheduler asks for them when above 1
 */
public record Submission(List<Integer> ids, Path script, String jobName, String outputPattern, Path directory,
                         List<String> options, int cores) {
    /** Copies the lists. */
    public Submission {
        ids = List.copyOf(ids);
        options = List.copyOf(options);
        cores = Math.max(1, cores);
    }

    /** A submission of workers with one task slot each. */
    public Submission(List<Integer> ids, Path script, String jobName, String outputPattern, Path directory,
                      List<String> options) {
        this(ids, script, jobName, outputPattern, directory, options, 1);
    }

    /** @return the first index */
    public int first() {
        return ids.get(0);
    }

    /** @return the last index */
    public int last() {
        return ids.get(ids.size() - 1);
    }

    /** @return the indices as schedulers write them, e.g. {@code 1-4,7} (see {@link org.jparallel.spi.TaskIdRanges}) */
    public String idList() {
        return org.jparallel.spi.TaskIdRanges.format(ids);
    }

    /**
     * @param indexToken how the scheduler writes the task index in an output path, e.g. Grid Engine's
     *     {@code $TASK_ID} or PBS's {@code ^array_index^}
     * @return the output pattern with the token in place of {@code %d}
     */
    public String outputPath(String indexToken) {
        return outputPattern.replace("%d", indexToken);
    }
}
