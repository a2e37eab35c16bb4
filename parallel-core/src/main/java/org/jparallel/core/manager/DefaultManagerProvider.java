package org.jparallel.core.manager;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.jparallel.Manager;
import org.jparallel.ManagerSettings;
import org.jparallel.core.config.ConfigSource;
import org.jparallel.core.config.PropertiesConfig;
import org.jparallel.core.config.ResolvedConfig;
import org.jparallel.internal.ManagerProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers parallel-core's manager with parallel-api, through {@code META-INF/services}. A manager made on a thread
 * whose interrupt flag is set is made as on any other (the flag would fail its file operations, the journal's lock
 * and secret among them, and cut its waits short); the flag is set again when it returns, as {@link
 * DefaultManager#close()} does.
 */
public final class DefaultManagerProvider implements ManagerProvider {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultManagerProvider.class);

    @Override
    public Manager create(ManagerSettings settings) {
        return uninterrupted(() -> new DefaultManager(settings));
    }

    @Override
    public Manager fromProperties(Path propertiesFile) {
        return uninterrupted(() -> {
            ResolvedConfig config = PropertiesConfig.load(propertiesFile);
            if (warnsOfItsSource(propertiesFile, config.source())) {
                LOG.warn("configuration from {}", config.source().file());
            } else {
                LOG.info("configuration from {}", config.source().file());
            }
            ConfiguredGroups groups = ConfiguredGroups.make(config);
            Manager manager = new DefaultManager(config.settings());
            groups.addTo(manager);
            return manager;
        });
    }

    /**
     * @return whether the source of {@code Manager.fromProperties()}'s configuration is worth a warning: no file was
     *     given and none was found, so the program runs on the defaults, which at the CLI's default level (warnings)
     *     an info line would not say
     */
    static boolean warnsOfItsSource(Path propertiesFile, ConfigSource source) {
        return propertiesFile == null && !source.foundFile();
    }

    /** Runs {@code make} with the caller's interrupt flag cleared, and sets it again after. */
    private static Manager uninterrupted(Supplier<Manager> make) {
        boolean interrupted = Thread.interrupted();
        try {
            return make.get();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
