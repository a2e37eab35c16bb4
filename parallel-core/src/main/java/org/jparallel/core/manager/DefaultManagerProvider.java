package org.jparallel.core.manager;

import org.jparallel.Manager;
import org.jparallel.ManagerSettings;
import org.jparallel.spi.ManagerProvider;

/** Registers parallel-core's manager with parallel-api, through {@code META-INF/services}. */
public final class DefaultManagerProvider implements ManagerProvider {
    @Override
    public Manager create(ManagerSettings settings) {
        return new DefaultManager(settings);
    }
}
