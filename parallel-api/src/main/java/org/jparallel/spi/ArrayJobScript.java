package org.jparallel.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes the POSIX {@code sh} script every task of a batch scheduler's array job runs, when the array's
 * task ids are the worker ids the core handed out. It exists so that every scheduler backend keeps the
 * same contract with {@link RunDirectory}: the task id, read from the scheduler's variable, is checked
 * against the submission's ids; the worker runs with {@code --secret-file} and never sees the secret on
 * its command line; when the secret is gone (the manager has finished) the task exits quietly; the
 * worker's exit code is recorded in {@link RunDirectory#exitFile} for the manager to report once the
 * task has left the scheduler's queue.
 */
public final class ArrayJobScript {
    private static final String ID_MARK = "\u0000ID\u0000";

    private final String writer;
    private final String taskIdVariable;
    private final String location;

    /**
     * @param writer the group class named in the script's comment, e.g. {@code SlurmWorkerArray}
     * @param taskIdVariable the variable holding the array task id, e.g. {@code SLURM_ARRAY_TASK_ID}
     * @param location shell text saying where a worker runs, printed after "worker $id in ", e.g.
     *     {@code Slurm job ${SLURM_ARRAY_JOB_ID:-?}_$id on $(uname -n)}
     */
    public ArrayJobScript(String writer, String taskIdVariable, String location) {
        this.writer = writer;
        this.taskIdVariable = taskIdVariable;
        this.location = location;
    }

    /**
     * @param spec the launch spec, the group's overrides already applied
     * @param run the submission's directory, its secret written
     * @return the script text, without directives for the scheduler
     */
    public String text(LaunchSpec spec, RunDirectory run) {
        return text(spec, run, List.of());
    }

    /**
     * @param spec the launch spec, the group's overrides already applied
     * @param run the submission's directory, its secret written
     * @param directives lines for the scheduler right after the {@code #!} line (e.g. {@code #SBATCH ...}), or none
     * @return the script text
     */
    public String text(LaunchSpec spec, RunDirectory run, List<String> directives) {
        String secret = run.secretFile().toString();
        String idList = spec.workerIds().stream().map(String::valueOf).collect(Collectors.joining(" "));
        StringBuilder sb = new StringBuilder("#!/bin/sh\n");
        for (String line : directives) {
            sb.append(line).append('\n');
        }
        return sb.append("# jparallel worker job, written by ").append(writer)
                .append(". Array task id = jparallel worker id.\n")
                .append("id=${").append(taskIdVariable).append(":-}\n")
                .append("case \" ").append(idList).append(" \" in\n")
                .append("  *\" $id \"*) ;;\n")
                .append("  *) echo \"jparallel: ").append(taskIdVariable).append(" is '$id'; this job runs workers ")
                .append(idList).append("\" >&2; exit 2 ;;\n")
                .append("esac\n")
                .append("secret=").append(ShellWords.quote(secret)).append('\n')
                .append("if [ ! -r \"$secret\" ]; then\n")
                .append("  echo \"jparallel: worker $id not started: the manager has finished ($secret is gone)\"\n")
                .append("  exit 0\n")
                .append("fi\n")
                .append("echo \"jparallel: worker $id in ").append(location).append("\"\n")
                .append(workerCommand(spec, secret)).append(" </dev/null\n")
                .append("rc=$?\n")
                .append("echo \"$rc\" > ").append(ShellWords.quote(run.exitFilePrefix().toString()))
                .append("\"$id\" 2>/dev/null\n")
                .append("exit $rc\n")
                .toString();
    }

    /** @return the worker's command line as shell text, its {@code --id} read from {@code $id} */
    private static String workerCommand(LaunchSpec spec, String secret) {
        List<String> cmd = new ArrayList<>(spec.commandLine(spec.workerIds().get(0), false, "--secret-file", secret));
        int at = cmd.indexOf("--id");
        if (at < 0 || at + 1 >= cmd.size()) {
            throw new IllegalStateException("worker command line has no --id: " + cmd);
        }
        cmd.set(at + 1, ID_MARK);
        return ShellWords.join(cmd).replace(ShellWords.quote(ID_MARK), "\"$id\"");
    }
}
