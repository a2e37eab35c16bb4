package org.jparallel.cli;

import java.util.concurrent.Callable;
import org.jparallel.core.config.BackendRegistry;
import org.jparallel.core.config.ConfigReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jparallel config --keys}: the reference of every configuration key, from the declarations in code. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Prints the reference of every configuration key of the core and of each backend on the "
                + "classpath, as markdown (docs/configuration.md is this output).")
final class ConfigCommand implements Callable<Integer> {
    @Option(names = "--keys", required = true, description = "print the key reference")
    boolean keys;

    @Override
    public Integer call() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        System.out.print(ConfigReference.markdown(BackendRegistry.discover(loader).all()));
        System.out.flush();
        return 0;
    }
}
