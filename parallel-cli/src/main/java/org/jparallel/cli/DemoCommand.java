package org.jparallel.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jparallel.ConsoleProgress;
import org.jparallel.demo.MonteCarloDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jparallel demo}: the Monte Carlo temperature sweep, with a progress bar. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs a Monte Carlo temperature sweep whose setup (an energy landscape) takes about a second "
                + "to build once per worker, printing results as they arrive above a progress bar.",
                "Without --config: local workers, their output in target/demo-worker<N>.output."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE",
            description = "a jparallel.properties file that configures the workers (any backend)")
    Path config;

    @Option(names = "--tasks", paramLabel = "N", defaultValue = "24", description = "how many temperatures (default: ${DEFAULT-VALUE})")
    int tasks;

    @Option(names = "--workers", paramLabel = "N", description = "how many local workers without --config (default: one per core)")
    Integer workers;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (a bar on a terminal, plain lines elsewhere), bar, plain or off (default: ${DEFAULT-VALUE})",
            converter = ProgressModeConverter.class)
    ConsoleProgress.Mode progress;

    @Override
    public Integer call() {
        if (tasks < 1) {
            System.err.println("--tasks must be at least 1");
            return 2;
        }
        int n = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        if (n < 1) {
            System.err.println("--workers must be at least 1");
            return 2;
        }
        return MonteCarloDemo.run(n, tasks, config, System.out, progress);
    }
}
