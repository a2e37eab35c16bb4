package org.jparallel.sge;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@code qsub} command line of one array job:
 * {@code qsub -terse -N NAME -t FIRST-LAST -S /bin/sh -b n -j y -o OUTPUT -wd DIR [-q] [-l] [-pe] [extra] SCRIPT}.
 * The same options without the array, name, output and script parts are DRMAA's native specification.
 */
final class QsubCommand {
    private QsubCommand() {
    }

    /**
     * @param options the group's options
     * @param first the first task id (a worker id)
     * @param last the last task id
     * @param outputPattern the worker output pattern ({@code %d} = worker id), absolute
     * @param script the job script
     * @return the command, one word per element
     */
    static List<String> build(SgeOptions options, int first, int last, String outputPattern, Path script) {
        List<String> cmd = SgeOptions.words(options.qsubCommand);
        cmd.add("-terse");
        cmd.add("-N");
        cmd.add(options.jobName);
        cmd.add("-t");
        cmd.add(first + "-" + last);
        cmd.add("-S");
        cmd.add("/bin/sh");
        cmd.add("-b");
        cmd.add("n");
        cmd.add("-j");
        cmd.add("y");
        cmd.add("-o");
        cmd.add(sgeOutputPath(outputPattern, "$TASK_ID"));
        cmd.add("-wd");
        cmd.add(options.directoryOrDefault().toString());
        cmd.addAll(nativeOptions(options));
        cmd.add(script.toString());
        return cmd;
    }

    /** @return queue, resources, parallel environment and extra options as qsub words */
    static List<String> nativeOptions(SgeOptions options) {
        List<String> out = new ArrayList<>();
        if (options.queue != null) {
            out.add("-q");
            out.add(options.queue);
        }
        if (options.resources != null) {
            out.add("-l");
            out.add(options.resources);
        }
        if (options.pe != null) {
            out.add("-pe");
            out.addAll(SgeOptions.words(options.pe));
        }
        out.addAll(options.extraOptions);
        return out;
    }

    /**
     * @param outputPattern the worker output pattern
     * @param taskVariable how the scheduler writes the task id in a path ({@code $TASK_ID} for qsub,
     *     {@code $drmaa_incr_ph$} for DRMAA)
     * @return the output path with the worker id as the task id; a pattern without {@code %d} gets
     *     {@code .TASKID} appended, so each task has a file of its own
     */
    static String sgeOutputPath(String outputPattern, String taskVariable) {
        return outputPattern.contains("%d") ? outputPattern.replace("%d", taskVariable)
                : outputPattern + "." + taskVariable;
    }
}
