package org.jparallel.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jparallel.spi.ConfigKey;
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
        String v;
        if ((v = value(settings, "java")) != null) {
            w.javaCommand(v);
        }
        if ((v = value(settings, "jvm-options")) != null) {
            w.jvmOptions(LaunchSpec.splitWords(v).toArray(new String[0]));
        }
        if ((v = value(settings, "host")) != null) {
            w.host(v);
        }
        if ((v = value(settings, "output")) != null) {
            w.output(v);
        }
        if ((v = value(settings, "classpath")) != null) {
            w.classpath(v);
        }
        if ((v = value(settings, "directory")) != null) {
            w.workingDirectory(Path.of(v));
        }
        if ((v = value(settings, "class-sharing")) != null) {
            w.classSharing(Boolean.parseBoolean(v));
        }
        if ((v = value(settings, "class-sharing-cache")) != null) {
            w.classSharingCache(Path.of(v));
        }
        return w;
    }

    /** @return the trimmed value of a key, or {@code null} when it is absent or blank */
    private static String value(Map<String, String> settings, String key) {
        String v = settings == null ? null : settings.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
