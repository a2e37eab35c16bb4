package org.jparallel.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jparallel.spi.BackendSettings;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.DoctorCheck;
import org.jparallel.spi.DoctorContext;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerBackend;
import org.jparallel.spi.WorkerGroup;

/**
 * Makes {@link LocalWorker} groups from configuration ({@code jparallel.backend=local} and the
 * {@code jparallel.local.*} keys), found by the core through {@link java.util.ServiceLoader}.
 */
public final class LocalBackend implements WorkerBackend {
    /** The name configuration uses for this backend. */
    public static final String NAME = "local";

    private static final List<ConfigKey> KEYS = List.of(
            ConfigKey.optional("java", ConfigKey.Type.STRING, null,
                    "command that starts a worker JVM, several words allowed (empty: jparallel.worker.java)"),
            ConfigKey.optional("jvm-options", ConfigKey.Type.STRING, null,
                    "worker JVM options, separated by spaces, e.g. -Xmx2g (empty: jparallel.worker.jvm-options)"),
            ConfigKey.optional("host", ConfigKey.Type.STRING, null,
                    "address workers use to reach the manager (empty: jparallel.manager.host, else loopback)"),
            ConfigKey.optional("output", ConfigKey.Type.STRING, null,
                    "worker output file pattern; %d is the worker id (empty: jparallel.worker.output)"),
            ConfigKey.optional("classpath", ConfigKey.Type.STRING, null,
                    "worker classpath (empty: jparallel.worker.classpath)"),
            ConfigKey.optional("directory", ConfigKey.Type.PATH, null,
                    "working directory of the workers (empty: the manager's)"),
            ConfigKey.optional("class-sharing", ConfigKey.Type.BOOLEAN, "true",
                    "start workers with a class data sharing archive of their classes (about half the CPU time "
                    + "to a fresh worker's first result), kept per java, JVM options and classpath in "
                    + "class-sharing-cache; the first run without one has its first worker write it as it exits "
                    + "(that worker starts and exits slower, once; close() waits for the write). Only for workers "
                    + "run by the manager's own java with a classpath of jar files; false: never"),
            ConfigKey.optional("class-sharing-cache", ConfigKey.Type.PATH, null,
                    "directory of the class data sharing archives (about 10 MB each, the 8 most recently written "
                    + "kept), made 0700 when absent and refused when others may write to it "
                    + "(empty: $XDG_CACHE_HOME/jparallel/cds, else ~/.cache/jparallel/cds)"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "worker JVMs started as child processes on the manager's machine";
    }

    @Override
    public List<ConfigKey> configKeys() {
        return KEYS;
    }

    @Override
    public WorkerGroup createGroup(int count, Map<String, String> settings) {
        LocalWorker w = new LocalWorker(count);
        BackendSettings s = new BackendSettings(settings);
        s.ifSet("java", w::javaCommand);
        s.ifSet("jvm-options", v -> w.jvmOptions(LaunchSpec.splitWords(v).toArray(new String[0])));
        s.ifSet("host", w::host);
        s.ifSet("output", w::output);
        s.ifSet("classpath", w::classpath);
        s.ifSet("directory", v -> w.workingDirectory(Path.of(v)));
        s.ifSet("class-sharing", v -> w.classSharing(Boolean.parseBoolean(v)));
        s.ifSet("class-sharing-cache", v -> w.classSharingCache(Path.of(v)));
        return w;
    }

    /** One check: the java command the workers start with runs on this machine. */
    @Override
    public List<DoctorCheck> doctorChecks(DoctorContext context) {
        return List.of(DoctorCheck.of("java command", () -> javaCheck(context)));
    }

    private static DoctorCheck.Result javaCheck(DoctorContext context) {
        String own = context.value("java");
        String java = own != null ? own : context.workerJava();
        String key = own != null ? context.key("java") : "jparallel.worker.java";
        List<String> words = LaunchSpec.splitWords(java);
        String found = context.findExecutable(words.isEmpty() ? java : words.get(0));
        return found != null ? DoctorCheck.Result.ok(java + (found.equals(java) ? "" : " (" + found + ")"))
                : DoctorCheck.Result.fail("cannot run \"" + java + "\": not found or not executable", "set " + key
                        + " to the java command of this machine, e.g. " + Path.of(System.getProperty("java.home"), "bin", "java"));
    }
}
