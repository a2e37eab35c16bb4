package org.jparallel.internal;

import org.jparallel.Manager;
import org.jparallel.ManagerSettings;

/**
 * The seam between the API and its implementation: parallel-core registers one through {@code
 * META-INF/services/org.jparallel.internal.ManagerProvider}, so user code compiles against parallel-api
 * alone. Not for users nor backend authors, hence outside the backend SPI package.
 */
public interface ManagerProvider {
    /**
     * @param settings validated settings
     * @return a manager that is already listening for workers
     */
    Manager create(ManagerSettings settings);

    /**
     * @param propertiesFile a properties file, or {@code null} to look for {@code jparallel.properties}
     * @return a manager configured from the file, its configured workers already starting
     * @throws org.jparallel.ConfigurationException when the configuration is not valid
     */
    Manager fromProperties(java.nio.file.Path propertiesFile);
}
