package org.jparallel.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jparallel.ConfigurationException;
import org.jparallel.core.config.Values;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jparallel doctor}: checks a configuration and the machines it names, each check printing OK or a fix. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Checks that a configuration can run: it is valid; its backends are on the classpath; qsub or "
                + "sbatch are on the PATH; DRMAA loads; each SSH host answers, has a known key and java; the port can "
                + "be bound; and a probe worker started through each configured group reaches the manager.",
                "Each check prints OK or what to fix. The exit code is 1 when a check fails."})
final class DoctorCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE",
            description = "the properties file (default: -Djparallel.config, ./jparallel.properties, the classpath)")
    Path config;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s",
            description = "how long a probe worker may take to connect and run a task, e.g. 30s, 5m (default: ${DEFAULT-VALUE})")
    String timeout;

    @Option(names = "--no-probe", description = "do not start probe workers")
    boolean noProbe;

    @Override
    public Integer call() {
        Duration t;
        try {
            t = Values.toDuration("--timeout", timeout, "the command line");
        } catch (ConfigurationException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        return new Doctor(config, t, !noProbe, System.out).run();
    }
}
