package org.jparallel.local;

import java.nio.file.Path;
import java.util.List;
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

    /** Key: the command starting a worker JVM. */
    static final ConfigKey<String> JAVA = ConfigKey.string("java", null,
            "command that starts a worker JVM, several words allowed (empty: jparallel.worker.java)");
    /** Key: worker JVM options. */
    static final ConfigKey<String> JVM_OPTIONS = ConfigKey.string("jvm-options", null,
            "worker JVM options, separated by spaces, e.g. -Xmx2g (empty: jparallel.worker.jvm-options)");
    /** Key: the address workers use to reach the manager. */
    static final ConfigKey<String> HOST = ConfigKey.string("host", null,
            "address workers use to reach the manager (empty: jparallel.manager.host, else loopback)");
    /** Key: the worker output file pattern. */
    static final ConfigKey<String> OUTPUT = ConfigKey.string("output", null,
            "worker output file pattern; %d is the worker id (empty: jparallel.worker.output)");
    /** Key: the worker classpath. */
    static final ConfigKey<String> CLASSPATH = ConfigKey.string("classpath", null,
            "worker classpath (empty: jparallel.worker.classpath)");
    /** Key: the workers' working directory. */
    static final ConfigKey<Path> DIRECTORY = ConfigKey.path("directory", null,
            "working directory of the workers (empty: the manager's)");
    /** Key: class data sharing on or off. */
    static final ConfigKey<Boolean> CLASS_SHARING = ConfigKey.bool("class-sharing", "true",
            "start workers with a class data sharing archive of their classes (about half the CPU time "
            + "to a fresh worker's first result), kept per java, JVM options and classpath in "
            + "class-sharing-cache; the first run without one has its first worker list the classes it loads, "
            + "and a JVM writes the archive of them once that worker has ended (about a second, once; close() "
            + "waits for it). A classpath with directories (`target/classes`) has its classes listed by a worker "
            + "process a short training JVM starts on its jars, and "
            + "its workers then run with the jars first (not when a directory holds a file a later jar holds too). "
            + "Only for workers run by the manager's own java; false: never");
    /** Key: where the class data sharing archives go. */
    static final ConfigKey<Path> CLASS_SHARING_CACHE = ConfigKey.path("class-sharing-cache", null,
            "directory of the class data sharing archives (about 10 MB each, the 8 most recently written "
            + "kept), made 0700 when absent; refused unless it is yours and only you may write to it and to each "
            + "directory above it, which must be yours or root's (a sticky one, such as /tmp, may be writable by "
            + "others when its entry on the path is yours or root's; one writable by your private group alone is "
            + "fine) "
            + "(empty: $XDG_CACHE_HOME/jparallel/cds, else ~/.cache/jparallel/cds)");

    static final ConfigKey<String> SLOTS = ConfigKey.string("slots", null,
            "how many tasks each worker runs at once: a number, or auto for this machine's cores (empty: jparallel.worker.slots)");
    /** Key: how many workers may be starting at once. */
    static final ConfigKey<Integer> STARTS_AT_ONCE = ConfigKey.integer("starts-at-once", null,
            "how many local workers may be starting at once, the others starting as those connect: fresh JVMs "
            + "sharing the cores reach their first result sooner a wave at a time (0: all at once; empty: "
            + "this machine's cores)");
    private static final List<ConfigKey<?>> KEYS = List.of(JAVA, JVM_OPTIONS, HOST, OUTPUT, CLASSPATH, DIRECTORY,
            CLASS_SHARING, CLASS_SHARING_CACHE, SLOTS, STARTS_AT_ONCE);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "worker JVMs started as child processes on the manager's machine";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return KEYS;
    }

    @Override
    public WorkerGroup createGroup(int count, BackendSettings settings) {
        LocalWorker w = new LocalWorker(count);
        settings.ifSet(JAVA, w::javaCommand);
        settings.ifSet(JVM_OPTIONS, v -> w.jvmOptions(LaunchSpec.splitWords(v).toArray(new String[0])));
        settings.ifSet(HOST, w::host);
        settings.ifSet(SLOTS, w::slots);
        settings.ifSet(OUTPUT, w::output);
        settings.ifSet(CLASSPATH, w::classpath);
        settings.ifSet(DIRECTORY, w::workingDirectory);
        settings.ifSet(CLASS_SHARING, w::classSharing);
        settings.ifSet(CLASS_SHARING_CACHE, w::classSharingCache);
        settings.ifSet(STARTS_AT_ONCE, w::startsAtOnce);
        return w;
    }

    /** One check: the java command the workers start with runs on this machine. */
    @Override
    public List<DoctorCheck> doctorChecks(DoctorContext context) {
        return List.of(DoctorCheck.of("java command", () -> javaCheck(context)));
    }

    private static DoctorCheck.Result javaCheck(DoctorContext context) {
        String own = context.settings().get(JAVA);
        String java = own != null ? own : context.workerJava();
        String key = own != null ? context.key(JAVA) : "jparallel.worker.java";
        List<String> words = LaunchSpec.splitWords(java);
        String found = context.findExecutable(words.isEmpty() ? java : words.get(0));
        return found != null ? DoctorCheck.Result.ok(java + (found.equals(java) ? "" : " (" + found + ")"))
                : DoctorCheck.Result.fail("cannot run \"" + java + "\": not found or not executable", "set " + key
                        + " to the java command of this machine, e.g. " + Path.of(System.getProperty("java.home"), "bin", "java"));
    }
}
