package org.jparallel.sge;

/**
 * One array task of a Grid Engine job, as {@code qdel} and DRMAA write it: {@code 123.4}; a job
 * that is not an array has task 0 and is written {@code 123}.
 *
 * @param jobId the job number
 * @param taskId the array task id, or 0 for a job that is not an array
 */
public record TaskKey(long jobId, int taskId) {
    @Override
    public String toString() {
        return taskId == 0 ? Long.toString(jobId) : jobId + "." + taskId;
    }

    /**
     * @param text {@code 123} or {@code 123.4}
     * @return the key
     */
    public static TaskKey parse(String text) {
        int dot = text.indexOf('.');
        return dot < 0 ? new TaskKey(Long.parseLong(text.strip()), 0)
                : new TaskKey(Long.parseLong(text.substring(0, dot).strip()),
                        Integer.parseInt(text.substring(dot + 1).strip()));
    }
}
