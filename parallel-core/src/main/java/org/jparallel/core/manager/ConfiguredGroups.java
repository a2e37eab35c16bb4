package org.jparallel.core.manager;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jparallel.ConfigurationException;
import org.jparallel.Manager;
import org.jparallel.core.config.ResolvedConfig;
import org.jparallel.spi.WorkerGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker groups a properties file configures, made before any manager exists (so a backend that
 * rejects its settings starts nothing) and then added to one: groups of a fixed size start their workers,
 * groups with automatic allocation are templates the allocator grows. One place for {@link
 * Manager#fromProperties} and the command line's {@code jparallel run --config}, which builds its own
 * manager from the same file.
 */
public final class ConfiguredGroups {
    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredGroups.class);
    private final Map<ResolvedConfig.Group, WorkerGroup> made;

    private ConfiguredGroups(Map<ResolvedConfig.Group, WorkerGroup> made) {
        this.made = made;
    }

    /**
     * @return every group of {@code config} that starts workers or allocates them, made by its backend
     * @throws ConfigurationException when a backend rejects a group's settings, or an allocation's max is more
     *     than its group can run at once
     */
    public static ConfiguredGroups make(ResolvedConfig config) {
        Map<ResolvedConfig.Group, WorkerGroup> made = new LinkedHashMap<>();
        for (ResolvedConfig.Group g : config.groups()) {
            if (g.workers() <= 0 && g.allocation() == null) {
                continue;
            }
            WorkerGroup group;
            try {
                // an allocating group is a template: it starts the workers the allocator asks for
                group = g.backend().createGroup(Math.max(1, g.workers()), g.settings());
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("The jparallel configuration (" + config.source().file()
                        + "): worker group '" + g.name() + "' (" + g.backend().name() + " backend): " + e.getMessage());
            }
            int room = group.maxSize();
            if (g.allocation() != null && g.allocation().max() > room) {
                String key = config.allocMaxKey(g);
                throw new ConfigurationException("The jparallel configuration (" + config.source().file() + "): "
                        + key + "=" + g.allocation().max() + " is more workers than group '" + g.name() + "' ("
                        + g.backend().name() + " backend) can run at once: " + room
                        + " (for an ssh group, the sum of its hosts' slots). Set " + key + " to " + room
                        + " at most, or give the group more room (more hosts or slots).");
            }
            made.put(g, group);
        }
        return new ConfiguredGroups(made);
    }

    /** Adds every group to {@code manager}; on a failure the manager is closed and the failure thrown. */
    public void addTo(Manager manager) {
        try {
            for (Map.Entry<ResolvedConfig.Group, WorkerGroup> e : made.entrySet()) {
                ResolvedConfig.Group g = e.getKey();
                if (g.allocation() != null) {
                    LOG.info("group {} ({} backend) allocates automatically: {}", g.name(), g.backend().name(),
                            g.allocation());
                    manager.addWorker(e.getValue(), g.name(), g.allocation());
                } else {
                    LOG.info("starting {} {} worker(s) for group {}", g.workers(), g.backend().name(), g.name());
                    manager.addWorker(e.getValue());
                }
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }
}
