package org.jparallel.core.config;

import java.util.List;
import java.util.Map;
import org.jparallel.Allocation;
import org.jparallel.ManagerSettings;
import org.jparallel.spi.BackendSettings;
import org.jparallel.spi.WorkerBackend;

/**
 * A validated configuration: the manager's settings and the worker groups to start.
 *
 * @param settings the manager's settings
 * @param groups the worker groups, in the order configured
 * @param source where the values came from
 */
public record ResolvedConfig(ManagerSettings settings, List<Group> groups, ConfigSource source) {

    /**
     * @param group one of {@link #groups()}
     * @return the name of the key setting the group's automatic allocation's max, as the user writes it:
     *     {@code jparallel.alloc.max}, or {@code jparallel.group.<name>.alloc.max} when groups are named
     */
    public String allocMaxKey(Group group) {
        String groups = source.values().get(CoreKeys.GROUPS.name());
        boolean named = groups != null && !groups.isBlank();
        return CoreKeys.allocName(CoreKeys.ALLOC_MAX, named ? "jparallel.group." + group.name() + "." : CoreKeys.PREFIX);
    }

    /**
     * One group of workers from one backend.
     *
     * @param name the group's name ({@code default} without {@code jparallel.groups})
     * @param backend the backend that starts it
     * @param workers how many workers
     * @param settings the group's values of its backend's keys, as {@link WorkerBackend#createGroup} gets them
     * @param allocation its automatic allocation, or {@code null} when it starts {@code workers} once
     */
    public record Group(String name, WorkerBackend backend, int workers, BackendSettings settings,
                        Allocation allocation) {

        /** A group without automatic allocation. */
        public Group(String name, WorkerBackend backend, int workers, BackendSettings settings) {
            this(name, backend, workers, settings, null);
        }

        /** @return the backend's keys that were set, without prefix, with their values */
        public Map<String, String> backendSettings() {
            return settings.values();
        }
    }
}
