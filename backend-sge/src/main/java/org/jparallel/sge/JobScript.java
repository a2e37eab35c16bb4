package org.jparallel.sge;

import org.jparallel.spi.RunDirectory;
import org.jparallel.spi.ShellWords;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jparallel.spi.LaunchSpec;

/**
 * Writes the POSIX {@code sh} script every array task of a submission runs. The array's task ids are
 * the worker ids the core handed out ({@code qsub -t FIRST-LAST}), so {@code $SGE_TASK_ID} is the
 * worker id, checked against the ids of this submission. The script runs the worker with
 * {@code --secret-file}; when the secret is gone (the manager has finished) it exits quietly; it
 * records the worker's exit code so the manager can report it once the task has left qstat.
 */
final class JobScript {
    private static final String ID_MARK = "\u0000ID\u0000";

    private JobScript() {
    }

    /**
     * @param spec the launch spec, options already applied
     * @param run the submission's directory
     * @return the script text
     */
    static String text(LaunchSpec spec, RunDirectory run) {
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
        String exitFile = ShellWords.quote(run.path().resolve("exit.").toString());
        return "#!/bin/sh\n"
                + "# jparallel worker job, written by SgeQsubWorkerArray. Array task id = jparallel worker id.\n"
                + "id=${SGE_TASK_ID:-}\n"
                + "case \" " + idList + " \" in\n"
                + "  *\" $id \"*) ;;\n"
                + "  *) echo \"jparallel: SGE_TASK_ID is '$id'; this job runs workers " + idList
                + "\" >&2; exit 2 ;;\n"
                + "esac\n"
                + "secret=" + ShellWords.quote(secret) + "\n"
                + "if [ ! -r \"$secret\" ]; then\n"
                + "  echo \"jparallel: worker $id not started: the manager has finished ($secret is gone)\"\n"
                + "  exit 0\n"
                + "fi\n"
                + "echo \"jparallel: worker $id in Grid Engine job ${JOB_ID:-?}.$id on ${HOSTNAME:-$(uname -n)}\"\n"
                + command + " </dev/null\n"
                + "rc=$?\n"
                + "echo \"$rc\" > " + exitFile + "\"$id\" 2>/dev/null\n"
                + "exit $rc\n";
    }
}
