package org.jparallel.sge;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jparallel.spi.CommandRunner;
import org.jparallel.spi.TaskIdRanges;
import org.jparallel.spi.batch.BatchOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commands of an {@link SgeQsubWorkerArray} with {@code jparallel.sge.submit=drmaa}: the {@code qsub}
 * line the {@link SgeScheduler} writes becomes DRMAA's {@code runBulkJobs} (its native options the
 * native specification, {@code $TASK_ID} in the output path DRMAA's index placeholder) and answers as
 * {@code qsub -terse} would; the {@code qdel} line becomes {@code control(JOB.TASK, TERMINATE)} for
 * each task; every other command ({@code qstat}) runs as usual. So DRMAA changes how jobs are
 * submitted and ended, and the batch kit does the rest as for qsub.
 */
final class DrmaaCommands implements CommandRunner {
    private static final Logger LOG = LoggerFactory.getLogger(DrmaaCommands.class);

    private final CommandRunner others;
    private final BatchOptions<?> options;

    /**
     * @param others runs the commands that are not qsub or qdel
     * @param options where the qsub and qdel commands are configured
     */
    DrmaaCommands(CommandRunner others, BatchOptions<?> options) {
        this.others = others;
        this.options = options;
    }

    @Override
    public Result run(List<String> command, String stdin, long timeoutMillis) throws IOException {
        List<String> qsub = options.commandWords("qsub");
        List<String> qdel = options.commandWords("qdel");
        if (startsWith(command, qsub)) {
            return submit(command.subList(qsub.size(), command.size()));
        }
        if (startsWith(command, qdel)) {
            return terminate(command.subList(qdel.size(), command.size()));
        }
        return others.run(command, stdin, timeoutMillis);
    }

    /** @param args {@code -terse -N NAME -t F-L -S /bin/sh -b n -j y -o OUT -wd DIR NATIVE... SCRIPT} */
    private Result submit(List<String> args) {
        String[] range = value(args, "-t").split("-");
        int first = Integer.parseInt(range[0]);
        int last = Integer.parseInt(range[1]);
        List<String> ids = DrmaaSubmitter.get().submitArray(Path.of(args.get(args.size() - 1)),
                args.subList(SgeScheduler.FIXED_WORDS, args.size() - 1), value(args, "-N"),
                value(args, "-o").replace("$TASK_ID", DrmaaSubmitter.INDEX_PLACEHOLDER), Path.of(value(args, "-wd")),
                first, last);
        LOG.info("submitted Grid Engine tasks {} through DRMAA (workers {}-{})", ids, first, last);
        String job = ids.get(0).substring(0, ids.get(0).indexOf('.'));
        return new Result(0, job + "." + first + "-" + last + ":1\n", "");
    }

    /** @param args {@code JOB.5-8 JOB.10 ...} */
    private Result terminate(List<String> args) {
        List<String> tasks = new ArrayList<>();
        for (String a : args) {
            int dot = a.indexOf('.');
            if (dot < 0) {
                tasks.add(a);
                continue;
            }
            for (int t : TaskIdRanges.expand(a.substring(dot + 1))) {
                tasks.add(a.substring(0, dot) + "." + t);
            }
        }
        DrmaaSubmitter.get().terminate(tasks);
        return new Result(0, "", "");
    }

    private static String value(List<String> args, String flag) {
        int i = args.subList(0, SgeScheduler.FIXED_WORDS).indexOf(flag);
        return args.get(i + 1);
    }

    private static boolean startsWith(List<String> command, List<String> prefix) {
        return command.size() > prefix.size() && command.subList(0, prefix.size()).equals(prefix);
    }
}
