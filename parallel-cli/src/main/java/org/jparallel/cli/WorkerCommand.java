package org.jparallel.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jparallel.core.worker.WorkerMain;
import org.jparallel.core.worker.WorkerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jparallel worker}: a worker started by hand, which serves a running manager until it ends. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Starts a worker by hand that connects to a running manager, runs its tasks and exits when "
                + "the manager ends.",
                "The run's secret is read from --secret-file, else from the environment variable JPARALLEL_SECRET "
                + "(which the processes its tasks start then inherit: prefer the file); it is never given on the "
                + "command line, where ps would show it."})
final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--connect", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "the manager's address(es), tried in turn")
    String connect;

    @Option(names = "--id", paramLabel = "N", defaultValue = "0",
            description = "the worker id the manager gave (default ${DEFAULT-VALUE}: a worker started by hand)")
    int id;

    @Option(names = "--secret-file", paramLabel = "FILE", description = "a file holding the run's secret")
    Path secretFile;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "how long to keep trying to reach the manager (default: ${DEFAULT-VALUE})")
    int connectTimeout;

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>(List.of("--connect", connect, "--id", Integer.toString(id),
                "--connect-timeout", Integer.toString(connectTimeout)));
        if (secretFile != null) {
            args.add("--secret-file");
            args.add(secretFile.toString());
        }
        try {
            WorkerOptions.parse(args.toArray(new String[0]), System.getenv()); // report mistakes before starting
        } catch (IllegalArgumentException e) {
            System.err.println("jparallel worker: " + e.getMessage().lines().findFirst().orElse(""));
            return 2;
        }
        WorkerMain.main(args.toArray(new String[0])); // exits the JVM with the worker's code
        return 0;
    }
}
