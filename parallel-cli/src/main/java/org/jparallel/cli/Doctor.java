package org.jparallel.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jparallel.ConfigurationException;
import org.jparallel.core.config.BackendRegistry;
import org.jparallel.core.config.ConfigResolver;
import org.jparallel.core.config.ConfigSource;
import org.jparallel.core.config.ResolvedConfig;
import org.jparallel.spi.WorkerBackend;

/**
 * Runs the checks of {@code jparallel doctor} in order and prints each result as it comes: the
 * configuration, the backends, the checks each backend offers (commands, hosts), the manager's address
 * and port, and a probe worker per group. A check whose premise failed is skipped, not failed twice.
 */
final class Doctor {
    private final Path configFile;
    private final Duration probeTimeout;
    private final boolean probe;
    private final PrintStream out;
    private final List<CheckResult> results = new ArrayList<>();

    /**
     * @param configFile the properties file, or {@code null} to look it up as a manager would
     * @param probeTimeout how long a probe worker may take
     * @param probe false to start no probe worker
     * @param out where the results go
     */
    Doctor(Path configFile, Duration probeTimeout, boolean probe, PrintStream out) {
        this.configFile = configFile;
        this.probeTimeout = probeTimeout;
        this.probe = probe;
        this.out = out;
    }

    /** @return 0 when no check failed (warnings allowed), 1 otherwise */
    int run() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        BackendRegistry registry;
        ConfigResolver resolver;
        ConfigSource source;
        try {
            registry = BackendRegistry.discover(loader);
            resolver = new ConfigResolver(registry);
            source = ConfigSource.load(configFile, System.getProperties(), System.getenv(), resolver.envCandidates(),
                    loader);
        } catch (ConfigurationException e) {
            report(CheckResult.fail("configuration", e.getMessage(), "give an existing, readable file with --config"));
            return finish();
        }
        out.println("jparallel doctor: configuration " + source.file());
        backendsOnClasspath(registry, source);
        ResolvedConfig config;
        try {
            config = resolver.resolve(source);
            report(CheckResult.ok("configuration", "valid; " + describe(config.groups())));
        } catch (ConfigurationException e) {
            report(CheckResult.fail("configuration", e.getMessage(),
                    "correct the keys named above (run `jparallel config --keys` for every key); nothing else was checked"));
            return finish();
        }
        java.util.Set<String> brokenGroups = new java.util.HashSet<>();
        for (ResolvedConfig.Group g : config.groups()) {
            for (CheckResult r : BackendChecks.forGroup(g, config.settings())) {
                report(r);
                if (r.status() == CheckResult.Status.FAIL) {
                    brokenGroups.add(g.name());
                }
            }
        }
        NetworkChecks network = new NetworkChecks(config.settings());
        report(network.port());
        boolean portOk = results.get(results.size() - 1).status() != CheckResult.Status.FAIL;
        for (ResolvedConfig.Group g : config.groups()) {
            CheckResult address = network.managerAddress(g);
            report(address);
            if (!probe) {
                report(CheckResult.skip(ProbeCheck.name(g), "not run (--no-probe)"));
            } else if (g.workers() == 0 && g.allocation() == null) {
                report(CheckResult.skip(ProbeCheck.name(g), "the group starts no workers"));
            } else if (!portOk || address.status() == CheckResult.Status.FAIL) {
                report(CheckResult.skip(ProbeCheck.name(g), "not run: fix the manager's address and port first"));
            } else if (brokenGroups.contains(g.name())) {
                report(CheckResult.skip(ProbeCheck.name(g), "not run: fix the group's checks above first"));
            } else {
                out.println("       starting a probe worker for group " + g.name() + " (up to "
                        + probeTimeout.toSeconds() + " s)...");
                report(new ProbeCheck(config.settings(), g, probeTimeout).run());
            }
        }
        return finish();
    }

    private void backendsOnClasspath(BackendRegistry registry, ConfigSource source) {
        Map<String, String> v = source.values();
        List<String[]> wanted = new ArrayList<>(); // {backend name, key that chose it}
        String groups = v.get("jparallel.groups");
        if (groups == null || groups.isBlank()) {
            wanted.add(new String[] {v.getOrDefault("jparallel.backend", "local"), "jparallel.backend"});
        } else {
            for (String g : groups.split(",")) {
                if (!g.isBlank()) {
                    String key = "jparallel.group." + g.trim() + ".backend";
                    wanted.add(new String[] {v.getOrDefault(key, v.getOrDefault("jparallel.backend", "local")), key});
                }
            }
        }
        for (String[] w : wanted) {
            String name = "backend " + w[0];
            try {
                WorkerBackend b = registry.get(w[0], w[1] + "=" + w[0]);
                report(CheckResult.ok(name, "on the classpath (" + where(b) + ")"));
            } catch (ConfigurationException e) {
                report(CheckResult.fail(name, e.getMessage(), "put the backend's jar in parallel-cli/target/lib (or on "
                        + "JPARALLEL_CLASSPATH for scripts/jparallel), or correct " + w[1]));
            }
        }
    }

    private static String where(WorkerBackend b) {
        CodeSource cs = b.getClass().getProtectionDomain().getCodeSource();
        return cs == null || cs.getLocation() == null ? b.getClass().getName() : cs.getLocation().getPath();
    }

    private static String describe(List<ResolvedConfig.Group> groups) {
        List<String> parts = new ArrayList<>();
        for (ResolvedConfig.Group g : groups) {
            parts.add(g.name() + " (" + (g.allocation() == null ? g.workers() + " " : g.allocation().min() + " to "
                    + g.allocation().max() + " automatically allocated ") + g.backend().name() + " worker(s))");
        }
        return groups.size() + " group(s): " + String.join(", ", parts);
    }

    private void report(CheckResult r) {
        results.add(r);
        out.println(r.render());
        out.flush();
    }

    private int finish() {
        long failed = results.stream().filter(r -> r.status() == CheckResult.Status.FAIL).count();
        long warned = results.stream().filter(r -> r.status() == CheckResult.Status.WARN).count();
        if (failed == 0) {
            out.println("All checks passed" + (warned > 0 ? " (" + warned + " warning(s))." : "."));
        } else {
            out.println(failed + " check(s) failed" + (warned > 0 ? ", " + warned + " warning(s)" : "") + ".");
        }
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    /** @return the full name of a backend key of a group, as a user would set it */
    static String key(ResolvedConfig.Group g, String name) {
        String shared = "jparallel." + g.backend().name() + "." + name;
        return g.name().equals("default") ? shared : "jparallel.group." + g.name() + "." + name + " (or " + shared + ")";
    }

    /** @return true when the group's backend declares the key */
    static boolean declares(ResolvedConfig.Group g, String name) {
        return g.backend().configKeys().stream().anyMatch(k -> k.name().equals(name));
    }
}
