package org.jparallel.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jparallel.Allocation;
import org.jparallel.ConfigurationException;
import org.jparallel.Manager;
import org.jparallel.ManagerBuilder;
import org.jparallel.spi.BackendSettings;
import org.jparallel.spi.batch.BatchBackend;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates a whole configuration before anything starts, and turns it into manager settings and
 * worker groups. Every problem is collected, so one run reports them all: an unknown key (with the
 * nearest known key), a bad value (key, value, origin, what is expected), a missing required key,
 * a backend that is not on the classpath.
 *
 * <p>Keys of a backend jparallel ships but that is not on the classpath (say {@code jparallel.sge.*}
 * on a laptop) are ignored with a warning, so one file can serve the laptop and the cluster.
 */
public final class ConfigResolver {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigResolver.class);

    private final BackendRegistry backends;

    /** @param backends the backends on the classpath */
    public ConfigResolver(BackendRegistry backends) {
        this.backends = backends;
    }

    /** @return every key whose environment variable may override it */
    public List<String> envCandidates() {
        List<String> keys = new ArrayList<>();
        CoreKeys.ALL.forEach(k -> keys.add(k.name()));
        for (WorkerBackend b : backends.all()) {
            b.configKeys().forEach(k -> keys.add(CoreKeys.PREFIX + b.name() + "." + k.name()));
        }
        return keys;
    }

    /**
     * @param source the values read
     * @return the validated configuration
     * @throws ConfigurationException listing every problem
     */
    public ResolvedConfig resolve(ConfigSource source) {
        Map<String, String> v = source.values();
        Set<String> problems = new LinkedHashSet<>();
        Map<String, ConfigKey<?>> known = new LinkedHashMap<>();
        CoreKeys.ALL.forEach(k -> known.put(k.name(), k));
        for (WorkerBackend b : backends.all()) {
            b.configKeys().forEach(k -> known.put(CoreKeys.PREFIX + b.name() + "." + k.name(), k));
        }
        List<ResolvedConfig.Group> groups = new ArrayList<>();
        List<String> groupNames = v.containsKey(CoreKeys.GROUPS.name())
                ? new ArrayList<>(new LinkedHashSet<>(CoreKeys.GROUPS.parse(v.get(CoreKeys.GROUPS.name()), "")))
                : List.of();
        if (groupNames.isEmpty()) {
            group(BackendSettings.DEFAULT_GROUP, CoreKeys.BACKEND.name(), CoreKeys.WORKERS.name(), "", source, known,
                    groups, problems);
        } else {
            for (String g : groupNames) {
                String p = "jparallel.group." + g + ".";
                group(g, p + "backend", p + "workers", p, source, known, groups, problems);
            }
            for (ConfigKey<?> k : CoreKeys.ALLOC) {
                if (v.containsKey(k.name())) {
                    problems.add(k.name() + " (" + source.origins().get(k.name()) + ") is for the default group, but "
                            + CoreKeys.GROUPS.name() + " names groups: set " + CoreKeys.allocName(k, "jparallel.group.<name>.")
                            + " for each group that allocates");
                }
            }
        }
        for (Map.Entry<String, String> e : v.entrySet()) {
            String key = e.getKey();
            ConfigKey<?> k = known.get(key);
            if (k == null) {
                unknown(key, source, known.keySet(), problems);
            } else {
                try {
                    k.parse(key, e.getValue(), source.origins().get(key));
                } catch (ConfigurationException x) {
                    problems.add(x.getMessage());
                }
            }
        }
        ManagerBuilder builder = Manager.builder();
        try {
            applyManagerKeys(builder, source);
        } catch (ConfigurationException x) {
            problems.add(x.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("The jparallel configuration (" + source.file() + ") has "
                    + problems.size() + " problem(s):\n  - " + String.join("\n  - ", problems));
        }
        try {
            return new ResolvedConfig(builder.settings(), groups, source);
        } catch (IllegalArgumentException x) {
            throw new ConfigurationException("The jparallel configuration (" + source.file() + "): " + x.getMessage());
        }
    }

    private void group(String name, String backendKey, String workersKey, String prefix, ConfigSource source,
                       Map<String, ConfigKey<?>> known, List<ResolvedConfig.Group> groups, Set<String> problems) {
        Map<String, String> v = source.values();
        boolean named = !prefix.isEmpty();
        if (named) {
            // before any early return, so a group with a problem does not also report its own keys as unknown
            known.put(backendKey, ConfigKey.string(backendKey, null, "group backend"));
            known.put(workersKey, ConfigKey.integer(workersKey, null, "group workers"));
            CoreKeys.ALLOC.forEach(k -> known.put(CoreKeys.allocName(k, prefix), k));
        }
        String fallback = CoreKeys.BACKEND.defaultValue();
        String backendName = v.getOrDefault(backendKey, named ? v.getOrDefault(CoreKeys.BACKEND.name(), fallback) : fallback);
        WorkerBackend backend;
        try {
            backend = backends.get(backendName, backendKey + "=" + backendName);
        } catch (ConfigurationException x) {
            problems.add(x.getMessage());
            return;
        }
        int workers = Runtime.getRuntime().availableProcessors();
        if (v.containsKey(workersKey)) {
            try {
                workers = CoreKeys.WORKERS.parse(workersKey, v.get(workersKey), source.origins().get(workersKey));
                if (workers < 0) {
                    problems.add(workersKey + " must be 0 or more, got " + workers);
                }
            } catch (ConfigurationException x) {
                problems.add(x.getMessage());
                return;
            }
        } else if (named && v.containsKey(CoreKeys.allocName(CoreKeys.ALLOC_MAX, prefix))) {
            workers = 0;
        } else if (named) {
            problems.add("Missing " + workersKey + ": how many workers group '" + name + "' starts.");
            return;
        }
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (ConfigKey<?> k : backend.configKeys()) {
            String shared = CoreKeys.PREFIX + backend.name() + "." + k.name();
            String own = prefix + k.name();
            if (named) {
                known.put(own, k);
            }
            String from = named && v.containsKey(own) ? own : shared;
            String value = v.get(from);
            if (value != null && !value.isBlank()) {
                settings.put(k.name(), value.trim());
                origins.put(k.name(), source.origins().getOrDefault(from, "given") + " as " + from);
            } else if (k.isRequired()) {
                problems.add("Missing " + shared + (named ? " (or " + own + ")" : "") + ": " + k.description()
                        + ". The " + backend.name() + " backend requires it.");
            }
        }
        Allocation allocation = allocation(named ? prefix : CoreKeys.PREFIX, source, problems);
        if (allocation != null && workers > 0 && (named || v.containsKey(workersKey))) {
            String p = named ? prefix : CoreKeys.PREFIX;
            problems.add(workersKey + "=" + workers + " with " + CoreKeys.allocName(CoreKeys.ALLOC_MAX, p)
                    + ": automatic allocation starts the group's workers itself; set " + workersKey + "=0, and "
                    + CoreKeys.allocName(CoreKeys.ALLOC_MIN, p) + " for workers kept from the start");
            return;
        }
        Duration walltime = null;
        try {
            walltime = allocValue(CoreKeys.ALLOC_WALLTIME, named ? prefix : CoreKeys.PREFIX, source);
        } catch (ConfigurationException x) {
            problems.add(x.getMessage());
            return;
        }
        String walltimeKey = CoreKeys.allocName(CoreKeys.ALLOC_WALLTIME, named ? prefix : CoreKeys.PREFIX);
        if (walltime != null && !(backend instanceof BatchBackend)) {
            problems.add(walltimeKey + " is for batch backends (their jobs ask the scheduler for it), but group '" + name
                    + "' uses the " + backend.name() + " backend: set " + CoreKeys.WORKER_LIFETIME.name() + " instead");
            return;
        }
        if (walltime != null && (walltime.isZero() || walltime.isNegative())) {
            problems.add(walltimeKey + " must be positive, got " + walltime);
            return;
        }
        groups.add(new ResolvedConfig.Group(name, backend, allocation == null ? workers : 0,
                new BackendSettings(backend.name(), name, settings, origins).withWalltime(walltime), allocation));
    }

    /** @return the group's automatic allocation, or {@code null} when its alloc.max is not set or it has a problem */
    private static Allocation allocation(String prefix, ConfigSource source, Set<String> problems) {
        Map<String, String> v = source.values();
        Map<String, String> o = source.origins();
        String maxKey = CoreKeys.allocName(CoreKeys.ALLOC_MAX, prefix);
        if (!v.containsKey(maxKey)) {
            return null;
        }
        try {
            int max = CoreKeys.ALLOC_MAX.parse(maxKey, v.get(maxKey), o.get(maxKey));
            Allocation a = Allocation.upTo(Math.max(1, max));
            Integer min = allocValue(CoreKeys.ALLOC_MIN, prefix, source);
            if (min != null) {
                a = a.min(min);
            }
            Integer maxPending = allocValue(CoreKeys.ALLOC_MAX_PENDING, prefix, source);
            if (maxPending != null) {
                a = a.maxPending(maxPending);
            }
            Duration idle = allocValue(CoreKeys.ALLOC_IDLE_TIMEOUT, prefix, source);
            if (idle != null) {
                a = a.idleTimeout(idle);
            }
            Duration interval = allocValue(CoreKeys.ALLOC_MIN_INTERVAL, prefix, source);
            if (interval != null) {
                a = a.minInterval(interval);
            }
            if (max < 1) {
                problems.add(maxKey + " must be at least 1, got " + max + " (leave it unset to start a fixed number of workers)");
                return null;
            }
            return a;
        } catch (ConfigurationException x) {
            problems.add(x.getMessage());
        } catch (IllegalArgumentException x) {
            problems.add("Bad automatic allocation under " + prefix + "alloc.*: " + x.getMessage());
        }
        return null;
    }

    /** @return the value of an allocation key under the group's prefix, or {@code null} when it is not set */
    private static <T> T allocValue(ConfigKey<T> key, String prefix, ConfigSource source) {
        String name = CoreKeys.allocName(key, prefix);
        String value = source.values().get(name);
        return value == null ? null : key.parse(name, value, source.origins().get(name));
    }

    private void unknown(String key, ConfigSource source, Set<String> known, Set<String> problems) {
        String[] parts = key.split("\\.");
        if (parts.length >= 3 && parts[0].equals("jparallel") && BackendRegistry.isKnownModule(parts[1])
                && !backends.has(parts[1])) {
            LOG.warn("ignoring {} ({}): the {} backend is not on the classpath", key, source.origins().get(key), parts[1]);
            return;
        }
        String near = KeySuggester.nearest(key, known);
        problems.add("Unknown key " + key + " (" + source.origins().get(key) + ")"
                + (near != null ? ": did you mean " + near + "?" : ". See docs/configuration.md for every key."));
    }

    private static void applyManagerKeys(ManagerBuilder b, ConfigSource source) {
        source.ifSet(CoreKeys.HOST, b::host);
        source.ifSet(CoreKeys.BIND, b::bindAddress);
        source.ifSet(CoreKeys.PORT, b::port);
        source.ifSet(CoreKeys.START_TIMEOUT, b::startTimeout);
        source.ifSet(CoreKeys.HEARTBEAT_INTERVAL, b::heartbeatInterval);
        source.ifSet(CoreKeys.HEARTBEAT_TIMEOUT, b::heartbeatTimeout);
        source.ifSet(CoreKeys.WORKER_DEATH_TIMEOUT, b::workerDeathTimeout);
        source.ifSet(CoreKeys.WORKER_LIFETIME, b::workerLifetime);
        source.ifSet(CoreKeys.WORKER_DRAIN_MARGIN, b::drainMargin);
        source.ifSet(CoreKeys.WORKER_SLOTS, b::workerSlots);
        source.ifSet(CoreKeys.MAX_FRAME_BYTES, b::maxFrameBytes);
        source.ifSet(CoreKeys.HANDSHAKE_TIMEOUT, b::handshakeTimeout);
        source.ifSet(CoreKeys.TLS, b::tls);
        source.ifSet(CoreKeys.TLS_KEYSTORE, k -> b.tlsKeystore(k, source.get(CoreKeys.TLS_KEYSTORE_PASSWORD_ENV)));
        source.ifSet(CoreKeys.SERIAL_FILTER, b::serialFilter);
        source.ifSet(CoreKeys.MAX_LOST_ATTEMPTS, b::maxLostAttempts);
        source.ifSet(CoreKeys.TASK_RETRIES, b::taskRetries);
        source.ifSet(CoreKeys.PREFETCH, b::prefetch);
        source.ifSet(CoreKeys.REPLACE_LOST_WORKERS, b::replaceLostWorkers);
        source.ifSet(CoreKeys.STATUS_PORT, b::statusPort);
        source.ifSet(CoreKeys.STATUS_BIND, b::statusBind);
        source.ifSet(CoreKeys.JOURNAL, file -> {
            b.journal(file, journalMode(source));
            source.ifSet(CoreKeys.JOURNAL_IDENTITY, b::journalIdentity);
        });
        source.ifSet(CoreKeys.WORKER_JAVA, s -> {
            words(CoreKeys.WORKER_JAVA, s, source); // checked, kept as written
            b.javaCommand(s);
        });
        source.ifSet(CoreKeys.WORKER_JVM_OPTIONS,
                s -> b.jvmOptions(words(CoreKeys.WORKER_JVM_OPTIONS, s, source).toArray(new String[0])));
        source.ifSet(CoreKeys.WORKER_CLASSPATH, b::classpath);
        source.ifSet(CoreKeys.WORKER_OUTPUT, b::outputPattern);
    }

    private static org.jparallel.JournalMode journalMode(ConfigSource source) {
        String value = source.get(CoreKeys.JOURNAL_MODE).trim();
        if (value.equalsIgnoreCase("resume")) {
            return org.jparallel.JournalMode.RESUME;
        }
        if (value.equalsIgnoreCase("fresh")) {
            return org.jparallel.JournalMode.FRESH;
        }
        throw new ConfigurationException("Bad value for " + CoreKeys.JOURNAL_MODE.name() + " ("
                + source.origins().get(CoreKeys.JOURNAL_MODE.name()) + "): '" + value + "'; expected resume or fresh.");
    }

    /** @return the words of a command or option list, a bad value when a quote is not closed */
    private static List<String> words(ConfigKey<String> key, String value, ConfigSource source) {
        try {
            return LaunchSpec.splitWords(value);
        } catch (IllegalArgumentException x) {
            throw new ConfigurationException("Bad value for " + key.name() + " (" + source.origins().get(key.name())
                    + "): '" + value + "'; expected words separated by spaces, with every quote closed.");
        }
    }
}
