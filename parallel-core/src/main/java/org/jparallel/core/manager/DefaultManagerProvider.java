package org.jparallel.core.manager;

import java.nio.file.Path;
import org.jparallel.Manager;
import org.jparallel.ManagerSettings;
import org.jparallel.core.config.PropertiesConfig;
import org.jparallel.core.config.ResolvedConfig;
import org.jparallel.spi.ManagerProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registers parallel-core's manager with parallel-api, through {@code META-INF/services}. */
public final class DefaultManagerProvider implements ManagerProvider {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultManagerProvider.class);

    @Override
    public Manager create(ManagerSettings settings) {
        return new DefaultManager(settings);
    }

    @Override
    public Manager fromProperties(Path propertiesFile) {
        ResolvedConfig config = PropertiesConfig.load(propertiesFile);
        LOG.info("configuration from {}", config.source().file());
        Manager manager = new DefaultManager(config.settings());
        try {
            for (ResolvedConfig.Group g : config.groups()) {
                if (g.workers() > 0) {
                    LOG.info("starting {} {} worker(s) for group {}", g.workers(), g.backend().name(), g.name());
                    manager.addWorker(g.backend().createGroup(g.workers(), g.backendSettings()));
                }
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        return manager;
    }
}
