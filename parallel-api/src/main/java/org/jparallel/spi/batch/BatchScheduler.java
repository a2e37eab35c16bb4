package org.jparallel.spi.batch;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jparallel.spi.CommandRunner;

/**
 * What one batch scheduler (Grid Engine, Slurm, PBS ...) contributes to a backend: which commands to
 * run and how to read what they print. Pure functions from data to command words and from output to
 * data: nothing here runs a process, sleeps or keeps state, so an implementation is tested with
 * captured output alone. {@link BatchWorkerGroup} does everything else.
 *
 * <p>Commands begin with the name of one of the {@link #tools()} (e.g. {@code qsub}); the kit puts the
 * configured command for that tool in its place (a path, or several words), so users can point
 * {@code jparallel.<backend>.qsub} at a wrapper without the scheduler knowing.
 *
 * <p>The kit's contract with the job: the array task indices are the worker ids; the job script
 * reads the index from {@link #taskIdVariable()}; each task writes its own output file.
 */
public interface BatchScheduler {

    /** @return the scheduler's name for messages, e.g. {@code Grid Engine} */
    String product();

    /**
     * @return the command-line tools this scheduler runs, submit first, e.g. {@code qsub, qstat, qdel};
     *     each gets a configuration key of its name whose default is the name itself
     */
    List<String> tools();

    /** @return the environment variable holding a task's array index in the job, e.g. {@code SGE_TASK_ID} */
    String taskIdVariable();

    /**
     * @return true when one submission may hold any list of indices ({@code --array=1-3,7}); false when
     *     it takes one contiguous range only ({@code -t 1-3}): the kit then submits one job per range
     */
    boolean acceptsIdLists();

    /**
     * @param submission what to submit
     * @return the submit command, beginning with a tool's name; it must print the job id
     */
    List<String> submitCommand(Submission submission);

    /**
     * @param stdout what the submit command printed on standard output (it exited with 0)
     * @return the job id, as the other commands and the status parser write it
     * @throws IllegalArgumentException when there is none, quoting the output
     */
    String parseJobId(String stdout);

    /**
     * @param jobIds every job whose tasks the kit watches (at least one)
     * @return one command that reports the state of all their tasks, beginning with a tool's name
     */
    List<String> statusCommand(Collection<String> jobIds);

    /**
     * @param result what the status command did, exit code included
     * @return the state of each task it lists, keyed by the job id as {@link #parseJobId} returns it;
     *     a task that is not listed is one the scheduler no longer knows
     * @throws RuntimeException when the result is an error (the kit keeps the last states and logs the message)
     */
    Map<ArrayTask, TaskState> parseStatus(CommandRunner.Result result);

    /**
     * @param tasksByJob the tasks to cancel: indices (ascending) by job id, in the order first asked
     * @return one command that cancels all of them, queued or running, beginning with a tool's name; it
     *     may fail for tasks that have ended meanwhile
     */
    List<String> cancelCommand(Map<String, List<Integer>> tasksByJob);

    /**
     * @return shell text saying where a worker runs, printed by the job script after "worker $id in ";
     *     {@code $id} is the index
     */
    default String location() {
        return product() + " array task $id on $(uname -n)";
    }

    /**
     * Optional: the time limit each worker's job asks for (Slurm's {@code --time}, Grid Engine's {@code
     * h_rt}), read from this scheduler's settings and the user's submit options. The core tells each
     * worker it lives that long from its start, and drains it before its end.
     *
     * @param userOptions the user's extra submit options ({@link BatchOptions#options()})
     * @return the walltime, or {@code null} when the jobs ask for none (the default)
     */
    default java.time.Duration walltime(List<String> userOptions) {
        return null;
    }

    /**
     * Optional: the submit options that ask this scheduler for a walltime, for a group given one
     * ({@code jparallel.alloc.walltime}); the kit adds them after the user's options, and {@link
     * #walltime} must read them back (rounded up to what the scheduler can express).
     *
     * @param walltime how long each job may run, positive
     * @return the options, e.g. {@code --time=2} for Slurm, {@code -l h_rt=0:01:30} for Grid Engine
     * @throws UnsupportedOperationException when this scheduler cannot be given one (the default)
     */
    default List<String> walltimeOptions(java.time.Duration walltime) {
        throw new UnsupportedOperationException(product() + " cannot be asked for a walltime per submission;"
                + " leave jparallel.alloc.walltime unset and give the scheduler's own option instead");
    }

    /**
     * @param walltime a positive duration
     * @return it as {@code H:MM:SS} (hours unbounded), rounded up to the second, as Grid Engine's
     *     {@code h_rt} and PBS's {@code walltime} read it
     */
    static String hoursMinutesSeconds(java.time.Duration walltime) {
        long s = walltime.getSeconds() + (walltime.getNano() > 0 ? 1 : 0);
        return String.format(java.util.Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    /** @return how messages name a task, e.g. {@code 123.4} for Grid Engine, {@code 123_4} for Slurm */
    default String taskName(ArrayTask task) {
        return task.jobId() + "[" + task.index() + "]";
    }

    /** @return lines for the scheduler right after the script's {@code #!} line (e.g. {@code #SBATCH ...}); none by default */
    default List<String> directives() {
        return List.of();
    }

    /**
     * Optional: a command explaining why a task is FAILED in more words than the status has (Grid
     * Engine's {@code qstat -j JOB} for a task in {@code Eqw}). Asked once per job, and again while
     * it gives nothing.
     *
     * @param task a task the status reported FAILED
     * @return the command, or an empty list for none (the default)
     */
    default List<String> reasonCommand(ArrayTask task) {
        return List.of();
    }

    /**
     * @param output the reason command's standard output and error
     * @param task the task asked about
     * @return the reason, or an empty string when the output gives none
     */
    default String parseReason(String output, ArrayTask task) {
        return "";
    }

    /**
     * Optional: a command for the final state of a job's tasks once they have left the status
     * command's listing (Slurm's {@code sacct}). Asked once per job, when a task of it is missing.
     *
     * @param jobId the job
     * @return the command, or an empty list for none (the default)
     */
    default List<String> historyCommand(String jobId) {
        return List.of();
    }

    /**
     * @param result what the history command did
     * @return the final states it lists (only DONE or FAILED ones count)
     * @throws UnsupportedOperationException when the output says the scheduler keeps no history:
     *     the kit then never asks again
     */
    default Map<ArrayTask, TaskState> parseHistory(CommandRunner.Result result) {
        return Map.of();
    }
}
