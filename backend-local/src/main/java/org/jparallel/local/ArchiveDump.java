package org.jparallel.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jparallel.spi.ClassSharingTraining;
import org.jparallel.spi.OutputFiles;

/**
 * Makes the workers' class data sharing archive from the list of classes a worker loaded ({@code
 * -XX:DumpLoadedClassList}): a JVM of the workers' java, JVM options, environment and working directory writes a
 * static archive of those classes, the JDK's among them ({@code -Xshare:dump}); then a second one maps it with the
 * same options ({@code -Xshare:on}), so that an archive that JVM refuses is never kept (a JVM refusing the archive it
 * is given starts with no class sharing at all, not even the JDK's own archive).
 *
 * <p>Why a static archive and not a dynamic one written by the worker as it exits: one archive instead of the
 * JDK's plus a dynamic one on top of it, and a smaller one (the worker's ~1,000-2,000 classes rather than the JDK's
 * default set plus them). This JDK maps every archive at a random address and relocates it at each start, at
 * about 1.5 ms per MB: a worker reached its first result in 0.89 of the time (docs/benchmarks/2026-12-08-static.md).
 * The list must be that of a worker that sent a result ({@link #markers}): the archive replaces the JDK's own, so
 * one made of a worker that ended early would hold fewer of the JDK's classes than the JDK's archive does.
 *
 * <p>The dumping JVMs run none of the workers' options that start something or write a file ({@link #forDump}): a
 * debugger, an agent, a management agent, a log or flight recording, a heap dump, a command at an error, a touched
 * initial heap; those in the environment ({@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS}, {@code _JAVA_OPTIONS})
 * are taken out of it and go through the same filter on the command line, in the order the JVM applies them.
 */
final class ArchiveDump {
    /** How long each of the two JVMs may run, then it is killed (a dump takes about a second). */
    static final long LIMIT_MS = 60_000;
    /** jparallel's worker main class, whose list must also name {@link #RESULT_CLASS}. */
    static final String WORKER_MAIN = ClassSharingTraining.WORKER_MAIN_CLASS;
    /** A class jparallel's worker loads when it sends its first result. */
    static final String RESULT_CLASS = ClassSharingTraining.FIRST_RESULT_CLASS;
    /** The JVM's exit code when it refuses its options or fails to dump or map an archive: a lasting failure. */
    static final int JVM_REFUSED = 1;
    /** The environment variables the JVM reads options from. */
    private static final List<String> OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");
    /** The first line of a class list the JVM writes. */
    private static final String CLASS_LIST_HEADER = "# NOTE: Do not modify this file.";
    /** Options that start something or write a file, or touch the whole heap: not run by the dumping JVMs. */
    private static final Pattern SIDE_EFFECTS = Pattern.compile(
            "-(agentlib|agentpath|javaagent|Xrun|Xdebug|Xlog|Xloggc|verbose|Xprof|Xms).*"
                    + "|-Dcom\\.sun\\.management\\..*"
                    + "|-XX:[+-]?\\w*(File|Path|Dir|FlightRecord|OnError|OnOutOfMemory|Dump|LogCompilation"
                    + "|AlwaysPreTouch|InitialHeapSize).*",
            Pattern.CASE_INSENSITIVE);
    /** The dumping JVMs running, killed if the manager's JVM ends meanwhile. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    /** Set once the manager's JVM has begun to exit: no dumping JVM starts after. Guarded by {@link #RUNNING}. */
    private static boolean exiting;
    /** Whether the hook that kills the dumping JVMs at the JVM's exit is registered. Guarded by {@link #RUNNING}. */
    private static boolean hooked;

    /**
     * Where and how the workers' JVMs run.
     *
     * @param java the workers' java executable
     * @param jvmOptions every JVM option the workers' JVM applies, those of their environment included, in its order
     *     ({@link EnvironmentOptions#around})
     * @param classpath the classpath the archive is for (the jars of the workers' classpath)
     * @param mainClass the workers' main class ({@link #markers})
     * @param process the workers' environment and working directory
     */
    record Launch(String java, List<String> jvmOptions, String classpath, String mainClass, WorkerProcess process) {
        Launch {
            jvmOptions = List.copyOf(jvmOptions);
        }
    }

    /**
     * Why no archive was written.
     *
     * @param reason what happened, with the JVM's last lines where one ran
     * @param lasting whether trying again would fail the same way (the JVM refused), so that it is worth a note
     */
    record Failure(String reason, boolean lasting) {
    }

    private ArchiveDump() {
    }

    /**
     * Writes the archive of a class list and checks that the workers' JVM maps it.
     *
     * @param launch the workers' java, options, classpath and place
     * @param classList the list of classes a worker loaded
     * @param archive where to write the archive
     * @param log where the two JVMs' output goes (deleted after)
     * @return {@code null} when the archive is written and mapped, else why not
     * @throws InterruptedException when interrupted while a JVM runs (it is killed)
     */
    static Failure write(Launch launch, Path classList, Path archive, Path log) throws InterruptedException {
        try {
            String unusable = prepare(classList, launch.mainClass());
            if (unusable != null) {
                return new Failure(unusable, false);
            }
            List<String> options = forDump(launch.jvmOptions());
            List<String> dump = new ArrayList<>(List.of(launch.java()));
            dump.addAll(options);
            dump.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList,
                    "-XX:SharedArchiveFile=" + archive, "-cp", launch.classpath()));
            Failure failed = run(launch, dump, log, "writing the archive");
            if (failed != null) {
                return failed;
            }
            if (!ArchiveDirectory.looksLikeArchive(archive)) {
                return new Failure("the JVM writing the archive ended without a complete one", false);
            }
            List<String> map = new ArrayList<>(List.of(launch.java()));
            map.addAll(options);
            map.addAll(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-cp", launch.classpath(), "-version"));
            return run(launch, map, log, "mapping the archive with the workers' options");
        } finally {
            try {
                Files.deleteIfExists(log);
            } catch (IOException e) {
                // left for the directory's clean-up of temporary files
            }
        }
    }

    /**
     * @param mainClass the workers' main class
     * @return the classes a usable list names: the main class, and for jparallel's worker the class it loads to send
     *     its first result
     */
    static List<String> markers(String mainClass) {
        return mainClass.equals(WORKER_MAIN) ? List.of(mainClass, RESULT_CLASS) : List.of(mainClass);
    }

    /**
     * Checks a class list and cuts one written by a JVM that was killed at its last complete line.
     *
     * @param mainClass the workers' main class ({@link #markers})
     * @return {@code null} when the list is usable, else why not
     */
    static String prepare(Path classList, String mainClass) {
        try {
            if (!Files.isRegularFile(classList)) {
                return "the worker wrote no class list";
            }
            // one char a byte: the cut is at a byte, whatever the bytes of the class names are
            String text = Files.readString(classList, StandardCharsets.ISO_8859_1);
            if (!text.startsWith(CLASS_LIST_HEADER)) {
                return "the class list does not start as the JVM writes one";
            }
            int end = text.lastIndexOf('\n') + 1;
            String whole = text.substring(0, end);
            for (String marker : markers(mainClass)) {
                String name = marker.replace('.', '/');
                // its name alone (Java 17), or followed by its id (Java 25)
                if (!Pattern.compile("(?m)^" + Pattern.quote(name) + "( id: \\d+)?$").matcher(whole).find()) {
                    return "the class list does not name " + name + " (the worker ended before it ran a task)";
                }
            }
            if (end < text.length()) { // a line cut short by a kill
                try (FileChannel ch = FileChannel.open(classList, StandardOpenOption.WRITE)) {
                    ch.truncate(end);
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot read the class list " + classList + ": " + e;
        }
    }

    /** @return the options the dumping JVMs run: the workers' without those that start something or write a file */
    static List<String> forDump(List<String> jvmOptions) {
        List<String> out = new ArrayList<>();
        for (String o : jvmOptions) {
            if (!SIDE_EFFECTS.matcher(o).matches()) {
                out.add(o);
            }
        }
        return out;
    }

    /** At the JVM's exit: kills the dumping JVMs and starts no more. */
    private static void killAll() {
        synchronized (RUNNING) {
            exiting = true;
            RUNNING.forEach(Process::destroyForcibly);
        }
    }

    private static Failure run(Launch launch, List<String> command, Path log, String what) throws InterruptedException {
        ProcessBuilder pb = launch.process().builder(command).redirectOutput(log.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        OPTION_VARIABLES.forEach(env::remove); // their options are on the command line, filtered
        Process p;
        synchronized (RUNNING) {
            if (!hooked && !exiting) {
                try {
                    Runtime.getRuntime().addShutdownHook(new Thread(ArchiveDump::killAll, "jparallel-archive-dump-stop"));
                    hooked = true;
                } catch (IllegalStateException e) { // the JVM is exiting already
                    exiting = true;
                }
            }
            if (exiting) {
                return new Failure("the manager's JVM is exiting", false);
            }
            try {
                p = pb.start();
            } catch (IOException | RuntimeException e) {
                return new Failure("cannot run " + launch.java() + " for " + what + ": " + e, false);
            }
            RUNNING.add(p);
        }
        try {
            try {
                p.getOutputStream().close();
            } catch (IOException e) {
                // the pipe of a process that has ended
            }
            if (!p.waitFor(LIMIT_MS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return new Failure("the JVM " + what + " ran past " + LIMIT_MS + " ms", false);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            throw e;
        } finally {
            RUNNING.remove(p);
        }
        int code = p.exitValue();
        if (code == 0) {
            return null;
        }
        String tail;
        try {
            tail = OutputFiles.lastLines(Files.readString(log, StandardCharsets.UTF_8), 10);
        } catch (IOException | RuntimeException e) {
            tail = "(no output: " + e + ")";
        }
        return new Failure(String.format(Locale.ROOT, "the JVM %s exited with code %d (%s); its last lines:%n%s", what,
                code, String.join(" ", command), tail), code == JVM_REFUSED);
    }
}
