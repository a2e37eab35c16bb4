package org.jparallel.core.manager;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jparallel.ConfigurationException;
import org.jparallel.Manager;
import org.jparallel.ManagerSettings;
import org.jparallel.core.config.PropertiesConfig;
import org.jparallel.core.config.ResolvedConfig;
import org.jparallel.internal.ManagerProvider;
import org.jparallel.spi.WorkerGroup;
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
        // Make every group before the manager exists, so a backend that rejects its settings starts nothing.
        Map<ResolvedConfig.Group, WorkerGroup> made = new LinkedHashMap<>();
        for (ResolvedConfig.Group g : config.groups()) {
            if (g.workers() > 0 || g.allocation() != null) {
                try {
                    // an allocating group is a template: it starts the workers the allocator asks for
                    made.put(g, g.backend().createGroup(Math.max(1, g.workers()), g.settings()));
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException("The jparallel configuration (" + config.source().file()
                            + "): worker group '" + g.name() + "' (" + g.backend().name() + " backend): "
                            + e.getMessage());
                }
                int room = made.get(g).maxSize();
                if (g.allocation() != null && g.allocation().max() > room) {
                    String key = config.allocMaxKey(g);
                    throw new ConfigurationException("The jparallel configuration (" + config.source().file() + "): "
                            + key + "=" + g.allocation().max() + " is more workers than group '" + g.name() + "' ("
                            + g.backend().name() + " backend) can run at once: " + room
                            + " (for an ssh group, the sum of its hosts' slots). Set " + key + " to " + room
                            + " at most, or give the group more room (more hosts or slots).");
                }
            }
        }
        Manager manager = new DefaultManager(config.settings());
        try {
            for (Map.Entry<ResolvedConfig.Group, WorkerGroup> e : made.entrySet()) {
                ResolvedConfig.Group g = e.getKey();
                if (g.allocation() != null) {
                    LOG.info("group {} ({} backend) allocates automatically: {}", g.name(), g.backend().name(),
                            g.allocation());
                    manager.addWorker(e.getValue(), g.name(), g.allocation());
                    continue;
                }
                LOG.info("starting {} {} worker(s) for group {}", g.workers(), g.backend().name(), g.name());
                manager.addWorker(e.getValue());
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        return manager;
    }
}
