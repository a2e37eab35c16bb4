package org.jparallel.core.config;

import java.nio.file.Path;

/** Reads and validates the configuration of this JVM: its properties file, system properties and environment. */
public final class PropertiesConfig {
    private PropertiesConfig() {
    }

    /**
     * @param explicit a properties file given by the caller, or {@code null} to look for one
     * @return the validated configuration
     * @throws org.jparallel.ConfigurationException when it is not valid
     */
    public static ResolvedConfig load(Path explicit) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = PropertiesConfig.class.getClassLoader();
        }
        ConfigResolver resolver = new ConfigResolver(BackendRegistry.discover(loader));
        ConfigSource source = ConfigSource.load(explicit, System.getProperties(), System.getenv(),
                resolver.envCandidates(), loader);
        return resolver.resolve(source);
    }
}
