package org.jparallel.core.config;

import java.security.CodeSource;
import java.util.Collection;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.jparallel.ConfigurationException;
import org.jparallel.spi.WorkerBackend;

/**
 * The worker backends on the classpath, found through {@link ServiceLoader} and indexed by name.
 * Two backends with one name are an error naming both jars; asking for a missing backend is an
 * error listing the ones found and naming the module that provides the one asked for.
 */
public final class BackendRegistry {
    private static final Map<String, String> KNOWN_MODULES = Map.of(
            "local", "org.jparallel:backend-local",
            "sge", "org.jparallel:backend-sge",
            "ssh", "org.jparallel:backend-ssh",
            "slurm", "org.jparallel:backend-slurm");

    private final Map<String, WorkerBackend> byName;

    private BackendRegistry(Map<String, WorkerBackend> byName) {
        this.byName = byName;
    }

    /**
     * @param loader the class loader to search
     * @return the backends found
     * @throws ConfigurationException when two backends share a name or one cannot be loaded
     */
    public static BackendRegistry discover(ClassLoader loader) {
        Map<String, WorkerBackend> found = new TreeMap<>();
        try {
            for (WorkerBackend b : ServiceLoader.load(WorkerBackend.class, loader)) {
                WorkerBackend other = found.put(b.name(), b);
                if (other != null) {
                    throw new ConfigurationException("Two backends are named '" + b.name() + "': "
                            + other.getClass().getName() + " from " + where(other) + " and "
                            + b.getClass().getName() + " from " + where(b) + ". Remove one of the jars from the classpath.");
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new ConfigurationException("A backend on the classpath cannot be loaded: " + e.getMessage()
                    + ". Check that the backend jar matches this jparallel version and that its dependencies are present.");
        }
        return new BackendRegistry(found);
    }

    /**
     * @param name a backend name
     * @param usedBy the key that asked for it, for the message
     * @return the backend
     * @throws ConfigurationException when no backend has that name
     */
    public WorkerBackend get(String name, String usedBy) {
        WorkerBackend b = byName.get(name);
        if (b != null) {
            return b;
        }
        String module = KNOWN_MODULES.get(name);
        throw new ConfigurationException("No backend named '" + name + "' (" + usedBy + ") is on the classpath. "
                + "Backends found: " + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet())) + ". "
                + (module != null ? "Add the module " + module + " (its jar) to the classpath."
                        : "Add the jar of the module that provides it to the classpath, or check the spelling."));
    }

    /** @return true when a backend of that name is on the classpath */
    public boolean has(String name) {
        return byName.containsKey(name);
    }

    /** @return true when the name is a backend jparallel ships, whether or not it is on the classpath */
    static boolean isKnownModule(String name) {
        return KNOWN_MODULES.containsKey(name);
    }

    /** @return every backend found, by name */
    public Collection<WorkerBackend> all() {
        return byName.values();
    }

    private static String where(WorkerBackend b) {
        CodeSource cs = b.getClass().getProtectionDomain().getCodeSource();
        return cs == null || cs.getLocation() == null ? "an unknown location" : cs.getLocation().toString();
    }
}
