package org.jparallel.slurm;

import org.jparallel.spi.RunDirectory;
import org.jparallel.spi.ShellWords;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jparallel.spi.LaunchSpec;

/**
 * Writes the POSIX {@code sh} script every array task of a submission runs. The array's task ids are
 * the worker ids the core handed out ({@code sbatch --array=IDS}), so {@code $SLURM_ARRAY_TASK_ID} is
 * the worker id, checked against the ids of this submission. The extra {@code #SBATCH} lines come
 * right after the {@code #!} line, where sbatch reads them. The script runs the worker with
 * {@code --secret-file}; when the secret is gone (the manager has finished) it exits quietly; it
 * records the worker's exit code so the manager can report it once the task has left squeue.
 */
final class JobScript {
    private static final String ID_MARK = "\u0000ID\u0000";

    private JobScript() {
    }

    /**
     * @param spec the launch spec, options already applied
     * @param run the submission's directory
     * @param sbatchLines extra {@code #SBATCH} lines, each with its prefix
     * @return the script text
     */
    static String text(LaunchSpec spec, RunDirectory run, List<String> sbatchLines) {
        List<Integer> ids = spec.workerIds();
        String secret = run.secretFile().toString();
        List<String> cmd = new ArrayList<>(spec.commandLine(ids.get(0), false, "--secret-file", secret));
        int at = cmd.indexOf("--id");
        if (at < 0 || at + 1 >= cmd.size()) {
            throw new IllegalStateException("worker command line has no --id: " + cmd);
        }
        cmd.set(at + 1, ID_MARK);
        String command = ShellWords.join(cmd).replace(ShellWords.quote(ID_MARK), "\"$id\"");
        String idList = ids.stream().map(String::valueOf).collect(Collectors.joining(" "));
        StringBuilder sb = new StringBuilder("#!/bin/sh\n");
        for (String line : sbatchLines) {
            sb.append(line).append('\n');
        }
        return sb.append("# jparallel worker job, written by SlurmWorkerArray. Array task id = jparallel worker id.\n")
                .append("id=${SLURM_ARRAY_TASK_ID:-}\n")
                .append("case \" ").append(idList).append(" \" in\n")
                .append("  *\" $id \"*) ;;\n")
                .append("  *) echo \"jparallel: SLURM_ARRAY_TASK_ID is '$id'; this job runs workers ").append(idList)
                .append("\" >&2; exit 2 ;;\n")
                .append("esac\n")
                .append("secret=").append(ShellWords.quote(secret)).append('\n')
                .append("if [ ! -r \"$secret\" ]; then\n")
                .append("  echo \"jparallel: worker $id not started: the manager has finished ($secret is gone)\"\n")
                .append("  exit 0\n")
                .append("fi\n")
                .append("echo \"jparallel: worker $id in Slurm job ${SLURM_ARRAY_JOB_ID:-?}_$id on $(uname -n)\"\n")
                .append(command).append(" </dev/null\n")
                .append("rc=$?\n")
                .append("echo \"$rc\" > ").append(ShellWords.quote(run.exitFilePrefix().toString())).append("\"$id\" 2>/dev/null\n")
                .append("exit $rc\n")
                .toString();
    }
}
