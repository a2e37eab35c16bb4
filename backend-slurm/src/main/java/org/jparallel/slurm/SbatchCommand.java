package org.jparallel.slurm;

import java.nio.file.Path;
import java.util.List;
import org.jparallel.spi.TaskIdRanges;

/**
 * Builds the {@code sbatch} command line of one array job:
 * {@code sbatch --parsable --array=IDS --job-name=NAME --output=OUT --chdir=DIR [--partition] [--time]
 * [--mem] [--account] [extra] SCRIPT}. The array task ids are the worker ids; the output pattern's
 * {@code %d} becomes Slurm's {@code %a}, so each task writes its own file.
 */
final class SbatchCommand {
    private SbatchCommand() {
    }

    /**
     * @param options the group's options
     * @param ids the worker ids, which become the array task ids
     * @param outputPattern the worker output pattern ({@code %d} = worker id), absolute
     * @param script the job script
     * @return the command, one word per element
     */
    static List<String> build(SlurmOptions options, List<Integer> ids, String outputPattern, Path script) {
        List<String> cmd = SlurmOptions.words(options.sbatchCommand);
        cmd.add("--parsable");
        cmd.add("--array=" + TaskIdRanges.format(ids));
        cmd.add("--job-name=" + options.jobName);
        cmd.add("--output=" + slurmOutputPath(outputPattern));
        cmd.add("--chdir=" + options.directoryOrDefault());
        if (options.partition != null) {
            cmd.add("--partition=" + options.partition);
        }
        if (options.time != null) {
            cmd.add("--time=" + options.time);
        }
        if (options.memory != null) {
            cmd.add("--mem=" + options.memory);
        }
        if (options.account != null) {
            cmd.add("--account=" + options.account);
        }
        cmd.addAll(options.extraOptions);
        cmd.add(script.toString());
        return cmd;
    }

    /**
     * @param outputPattern the worker output pattern
     * @return the pattern in Slurm's file name syntax: {@code %d} becomes {@code %a} (the array task id,
     *     i.e. the worker id), every other {@code %} is doubled; a pattern without {@code %d} gets
     *     {@code .%a} appended, so each task has a file of its own
     */
    static String slurmOutputPath(String outputPattern) {
        String p = outputPattern.contains("%d") ? outputPattern : outputPattern + ".%d";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '%' && i + 1 < p.length() && p.charAt(i + 1) == 'd') {
                sb.append("%a");
                i++;
            } else if (c == '%') {
                sb.append("%%");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** @return the output file of worker {@code id}, as Slurm will name it */
    static Path outputFile(String outputPattern, int id) {
        String p = outputPattern.contains("%d") ? outputPattern : outputPattern + ".%d";
        return Path.of(p.replace("%d", Integer.toString(id)));
    }
}
