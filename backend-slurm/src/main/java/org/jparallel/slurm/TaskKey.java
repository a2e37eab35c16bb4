package org.jparallel.slurm;

/**
 * One task of a Slurm array job as Slurm writes it: {@code 123_4}; a job that is not an array has
 * task -1 and is written {@code 123}.
 *
 * @param jobId the array's job id ({@code SLURM_ARRAY_JOB_ID})
 * @param taskId the array task id ({@code SLURM_ARRAY_TASK_ID}), or -1 for a job that is not an array
 */
public record TaskKey(long jobId, int taskId) {
    @Override
    public String toString() {
        return taskId < 0 ? Long.toString(jobId) : jobId + "_" + taskId;
    }

    /**
     * @param text {@code 123} or {@code 123_4}
     * @return the key
     * @throws NumberFormatException when the text is neither
     */
    public static TaskKey parse(String text) {
        String t = text.strip();
        int us = t.indexOf('_');
        return us < 0 ? new TaskKey(Long.parseLong(t), -1)
                : new TaskKey(Long.parseLong(t.substring(0, us)), Integer.parseInt(t.substring(us + 1)));
    }
}
