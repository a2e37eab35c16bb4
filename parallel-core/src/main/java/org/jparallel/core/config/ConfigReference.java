package org.jparallel.core.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.WorkerBackend;

/**
 * Writes the reference of every configuration key, from the declarations in code, so the
 * documentation cannot drift from what is validated. {@code docs/configuration.md} is its output
 * for the backends jparallel ships; run {@code main} to print it for whatever is on the classpath.
 */
public final class ConfigReference {
    private ConfigReference() {
    }

    /** Prints the reference for the core and every backend on the classpath. */
    public static void main(String[] args) {
        BackendRegistry registry = BackendRegistry.discover(Thread.currentThread().getContextClassLoader());
        System.out.print(markdown(registry.all()));
    }

    /**
     * @param backends the backends to document
     * @return the reference as markdown
     */
    public static String markdown(Collection<WorkerBackend> backends) {
        StringBuilder b = new StringBuilder();
        b.append("# Configuration keys\n\n")
                .append("Generated from the key declarations in code (`org.jparallel.core.config.ConfigReference`); ")
                .append("do not edit by hand.\n\n")
                .append("Put keys in `jparallel.properties` (looked up as: the path given to `Manager.fromProperties`, ")
                .append("then `-Djparallel.config=FILE`, then the working directory, then the classpath). ")
                .append("A system property `-Djparallel.KEY=VALUE` overrides a key, and an environment variable ")
                .append("overrides both: its name is the key in upper case with `.` and `-` replaced by `_` ")
                .append("(`jparallel.workers` -> `JPARALLEL_WORKERS`).\n\n")
                .append("Durations are written `500ms`, `30s`, `5m`, `2h` (a bare number is seconds).\n\n")
                .append("## Worker groups\n\n")
                .append("Without `jparallel.groups`, `jparallel.backend` and `jparallel.workers` describe one group. ")
                .append("With `jparallel.groups=a,b`, each group has `jparallel.group.<name>.backend` (default: ")
                .append("`jparallel.backend`), `jparallel.group.<name>.workers` (required) and may override any key ")
                .append("of its backend as `jparallel.group.<name>.<key>` (otherwise `jparallel.<backend>.<key>` applies).\n\n")
                .append("## Core\n\n");
        table(b, CoreKeys.ALL, "");
        List<WorkerBackend> sorted = backends.stream().sorted(Comparator.comparing(WorkerBackend::name)).toList();
        for (WorkerBackend backend : sorted) {
            b.append("\n## Backend `").append(backend.name()).append("`\n\n")
                    .append(backend.description()).append(".\n\n");
            if (backend.configKeys().isEmpty()) {
                b.append("No keys.\n");
            } else {
                table(b, backend.configKeys(), CoreKeys.PREFIX + backend.name() + ".");
            }
        }
        return b.toString();
    }

    private static void table(StringBuilder b, List<ConfigKey<?>> keys, String prefix) {
        b.append("| key | type | default | description |\n|---|---|---|---|\n");
        for (ConfigKey<?> k : keys) {
            b.append("| `").append(prefix).append(k.name()).append("` | ").append(k.typeText())
                    .append(" | ").append(k.isRequired() ? "**required**" : k.defaultText() == null ? "" : "`" + k.defaultText() + "`")
                    .append(" | ").append(k.description().replace("|", "\\|")).append(" |\n");
        }
    }
}
