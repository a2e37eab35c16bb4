package org.jparallel.core.manager;

import java.nio.file.Path;
import org.jparallel.Manager;
import org.jparallel.ManagerSettings;
import org.jparallel.core.config.PropertiesConfig;
import org.jparallel.core.config.ResolvedConfig;
import org.jparallel.internal.ManagerProvider;
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
        ConfiguredGroups groups = ConfiguredGroups.make(config);
        Manager manager = new DefaultManager(config.settings());
        groups.addTo(manager);
        return manager;
    }
}
