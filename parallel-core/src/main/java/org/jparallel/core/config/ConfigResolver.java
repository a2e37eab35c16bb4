package org.jparallel.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jparallel.ConfigurationException;
import org.jparallel.Manager;
import org.jparallel.ManagerBuilder;
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
        Map<String, ConfigKey> known = new LinkedHashMap<>();
        CoreKeys.ALL.forEach(k -> known.put(k.name(), k));
        for (WorkerBackend b : backends.all()) {
            b.configKeys().forEach(k -> known.put(CoreKeys.PREFIX + b.name() + "." + k.name(), k));
        }
        List<ResolvedConfig.Group> groups = new ArrayList<>();
        List<String> groupNames = v.containsKey(CoreKeys.GROUPS) ? splitList(v.get(CoreKeys.GROUPS)) : List.of();
        if (groupNames.isEmpty()) {
            group("default", CoreKeys.BACKEND, CoreKeys.WORKERS, "", source, known, groups, problems);
        } else {
            for (String g : groupNames) {
                String p = "jparallel.group." + g + ".";
                group(g, p + "backend", p + "workers", p, source, known, groups, problems);
            }
        }
        for (Map.Entry<String, String> e : v.entrySet()) {
            String key = e.getKey();
            ConfigKey k = known.get(key);
            if (k == null) {
                unknown(key, source, known.keySet(), problems);
            } else {
                try {
                    Values.check(key, k.type(), e.getValue(), source.origins().get(key));
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
                       Map<String, ConfigKey> known, List<ResolvedConfig.Group> groups, Set<String> problems) {
        Map<String, String> v = source.values();
        boolean named = !prefix.isEmpty();
        if (named) {
            // before any early return, so a group with a problem does not also report its own keys as unknown
            known.put(backendKey, ConfigKey.optional(backendKey, ConfigKey.Type.STRING, null, "group backend"));
            known.put(workersKey, ConfigKey.optional(workersKey, ConfigKey.Type.INT, null, "group workers"));
        }
        String backendName = v.getOrDefault(backendKey, named ? v.getOrDefault(CoreKeys.BACKEND, "local") : "local");
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
                workers = Values.toInt(workersKey, v.get(workersKey), source.origins().get(workersKey));
                if (workers < 0) {
                    problems.add(workersKey + " must be 0 or more, got " + workers);
                }
            } catch (ConfigurationException x) {
                problems.add(x.getMessage());
                return;
            }
        } else if (named) {
            problems.add("Missing " + workersKey + ": how many workers group '" + name + "' starts.");
            return;
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (ConfigKey k : backend.configKeys()) {
            String shared = CoreKeys.PREFIX + backend.name() + "." + k.name();
            String own = prefix + k.name();
            if (named) {
                known.put(own, k);
            }
            String value = named && v.containsKey(own) ? v.get(own) : v.get(shared);
            if (value != null && !value.isBlank()) {
                settings.put(k.name(), value.trim());
            } else if (k.required()) {
                problems.add("Missing " + shared + (named ? " (or " + own + ")" : "") + ": " + k.description()
                        + ". The " + backend.name() + " backend requires it.");
            }
        }
        groups.add(new ResolvedConfig.Group(name, backend, workers, settings));
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
        Map<String, String> v = source.values();
        Map<String, String> o = source.origins();
        String s;
        if ((s = v.get("jparallel.manager.host")) != null && !s.isBlank()) {
            b.host(s);
        }
        if ((s = v.get("jparallel.manager.bind")) != null && !s.isBlank()) {
            b.bindAddress(s);
        }
        if ((s = v.get("jparallel.manager.port")) != null) {
            b.port(Values.toInt("jparallel.manager.port", s, o.get("jparallel.manager.port")));
        }
        duration(v, o, "jparallel.manager.start-timeout", b::startTimeout);
        duration(v, o, "jparallel.manager.heartbeat-interval", b::heartbeatInterval);
        duration(v, o, "jparallel.manager.heartbeat-timeout", b::heartbeatTimeout);
        duration(v, o, "jparallel.worker.death-timeout", b::workerDeathTimeout);
        integer(v, o, "jparallel.manager.max-frame-bytes", b::maxFrameBytes);
        duration(v, o, "jparallel.manager.handshake-timeout", b::handshakeTimeout);
        if ((s = v.get("jparallel.manager.tls")) != null) {
            b.tls(Values.toBoolean("jparallel.manager.tls", s, o.get("jparallel.manager.tls")));
        }
        if ((s = v.get("jparallel.manager.tls.keystore")) != null && !s.isBlank()) {
            b.tlsKeystore(s.trim(), v.get("jparallel.manager.tls.keystore-password-env"));
        }
        if ((s = v.get("jparallel.security.serial-filter")) != null) {
            b.serialFilter(s);
        }
        integer(v, o, "jparallel.manager.max-lost-attempts", b::maxLostAttempts);
        integer(v, o, "jparallel.manager.task-retries", b::taskRetries);
        integer(v, o, "jparallel.manager.prefetch", b::prefetch);
        integer(v, o, "jparallel.manager.replace-lost-workers", b::replaceLostWorkers);
        integer(v, o, "jparallel.manager.status-port", b::statusPort);
        if ((s = v.get("jparallel.manager.status-bind")) != null && !s.isBlank()) {
            b.statusBind(s.trim());
        }
        if ((s = v.get("jparallel.manager.journal")) != null && !s.isBlank()) {
            b.journal(java.nio.file.Path.of(s.trim()), journalMode(v.get("jparallel.manager.journal-mode"), o));
            String id = v.get("jparallel.manager.journal-identity");
            if (id != null && !id.isBlank()) {
                b.journalIdentity(id.trim());
            }
        }
        if ((s = v.get("jparallel.worker.java")) != null && !s.isBlank()) {
            words("jparallel.worker.java", s, o);
            b.javaCommand(s);
        }
        if ((s = v.get("jparallel.worker.jvm-options")) != null && !s.isBlank()) {
            b.jvmOptions(words("jparallel.worker.jvm-options", s, o).toArray(new String[0]));
        }
        if ((s = v.get("jparallel.worker.classpath")) != null && !s.isBlank()) {
            b.classpath(s);
        }
        if ((s = v.get("jparallel.worker.output")) != null && !s.isBlank()) {
            b.outputPattern(s);
        }
    }

    private static org.jparallel.JournalMode journalMode(String value, Map<String, String> o) {
        if (value == null || value.isBlank() || value.trim().equalsIgnoreCase("resume")) {
            return org.jparallel.JournalMode.RESUME;
        }
        if (value.trim().equalsIgnoreCase("fresh")) {
            return org.jparallel.JournalMode.FRESH;
        }
        throw new ConfigurationException("Bad value for jparallel.manager.journal-mode ("
                + o.get("jparallel.manager.journal-mode") + "): '" + value + "'; expected resume or fresh.");
    }

    /** @return the words of a command or option list, a bad value when a quote is not closed */
    private static List<String> words(String key, String value, Map<String, String> o) {
        try {
            return LaunchSpec.splitWords(value);
        } catch (IllegalArgumentException x) {
            throw new ConfigurationException("Bad value for " + key + " (" + o.get(key) + "): '" + value
                    + "'; expected words separated by spaces, with every quote closed.");
        }
    }

    private static void duration(Map<String, String> v, Map<String, String> o, String key,
                                 java.util.function.Consumer<Duration> set) {
        if (v.containsKey(key)) {
            set.accept(Values.toDuration(key, v.get(key), o.get(key)));
        }
    }

    private static void integer(Map<String, String> v, Map<String, String> o, String key,
                                java.util.function.IntConsumer set) {
        if (v.containsKey(key)) {
            set.accept(Values.toInt(key, v.get(key), o.get(key)));
        }
    }

    private static List<String> splitList(String s) {
        Set<String> out = new LinkedHashSet<>();
        for (String p : s.split(",")) {
            if (!p.isBlank()) {
                out.add(p.trim());
            }
        }
        return new ArrayList<>(out);
    }
}
