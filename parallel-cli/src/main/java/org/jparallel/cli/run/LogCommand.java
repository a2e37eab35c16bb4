package org.jparallel.cli.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jparallel log RUNLOG KEY}: one task's output from a run's log. */
@Command(name = "log", mixinStandardHelpOptions = true,
        description = {"Prints one task's output from the log of a jparallel run: its standard output on standard "
                + "output, its error output on standard error, then how it ended (on standard error).",
                "Exit code: 0 when the log has the task, 1 when it has not, 2 for a usage error."})
public final class LogCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUNLOG", description = "the run's log (jparallel run --log)")
    Path log;

    @Parameters(index = "1", paramLabel = "KEY", description = "the task's key: its array index, line number or key")
    String key;

    @Override
    public Integer call() throws Exception {
        if (!Files.isReadable(log)) {
            System.err.println("jparallel log: " + log + ": no such readable file");
            return 2;
        }
        String end = RunLog.print(log, key, System.out, System.err);
        if (end == null) {
            System.err.println("jparallel log: " + log + " has no task " + key);
            return 1;
        }
        System.err.println("[task " + key + ": " + end + "]");
        return 0;
    }
}
