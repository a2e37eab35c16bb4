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
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jparallel.spi.OutputFiles;

/**
 * Makes the workers' class data sharing archive from the list of classes a worker loaded ({@code
 * -XX:DumpLoadedClassList}): a JVM of the workers' java, JVM options, environment and working directory writes a
 * static archive of those classes, the JDK's among them ({@code -Xshare:dump}); then a second one maps it with the
 * same options ({@code -Xshare:on}), so that an archive the workers would refuse is never kept (a JVM refusing the
 * archive it is given starts with no class sharing at all, not even the JDK's own archive).
 *
 * <p>Why a static archive and not a dynamic one written by the worker as it exits: one archive instead of the
 * JDK's plus a dynamic one on top of it, and a smaller one (the worker's ~1,000-2,000 classes rather than the JDK's
 * default set plus them). This JDK maps every archive at a random address and relocates it at each start, at
 * about 1.5 ms per MB: a worker reached its first result in 0.89 of the time (docs/benchmarks/2026-12-08-static.md).
 *
 * <p>The dumping JVMs run none of the workers' options that start something or write a file ({@link #forDump}): a
 * debugger, an agent, a log or flight recording, a heap dump, a command at an error.
 */
final class ArchiveDump {
    /** How long each of the two JVMs may run, then it is killed (a dump takes about a second). */
    static final long LIMIT_MS = 60_000;
    /** The first line of a class list the JVM writes. */
    private static final String CLASS_LIST_HEADER = "# NOTE: Do not modify this file.";
    /** Options that start something or write a file: not run by the dumping JVMs. */
    private static final Pattern SIDE_EFFECTS = Pattern.compile(
            "-(agentlib|agentpath|javaagent|Xrun|Xdebug|Xlog|Xloggc|verbose|Xprof).*"
                    + "|-XX:[+-]?\\w*(File|Path|Dir|FlightRecord|OnError|OnOutOfMemory|Dump|LogCompilation).*",
            Pattern.CASE_INSENSITIVE);

    /**
     * Where and how the workers' JVMs run.
     *
     * @param java the workers' java executable
     * @param jvmOptions the workers' JVM options (not their environment's: the environment is the workers')
     * @param classpath the classpath the archive is for (the jars of the workers' classpath)
     * @param mainClass the workers' main class: a list that does not name it is not a worker's (its JVM ended first)
     * @param process the workers' environment and working directory
     */
    record Launch(String java, List<String> jvmOptions, String classpath, String mainClass, WorkerProcess process) {
        Launch {
            jvmOptions = List.copyOf(jvmOptions);
        }
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
     * @return {@code null} when the archive is written and mapped, else why not, with the JVM's last lines
     * @throws InterruptedException when interrupted while a JVM runs (it is killed)
     */
    static String write(Launch launch, Path classList, Path archive, Path log) throws InterruptedException {
        try {
            String problem = prepare(classList, launch.mainClass());
            if (problem != null) {
                return problem;
            }
            List<String> options = forDump(launch.jvmOptions());
            List<String> dump = new ArrayList<>(List.of(launch.java()));
            dump.addAll(options);
            dump.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList,
                    "-XX:SharedArchiveFile=" + archive, "-cp", launch.classpath()));
            problem = run(launch, dump, log, "writing the archive");
            if (problem != null) {
                return problem;
            }
            if (!ArchiveDirectory.looksLikeArchive(archive)) {
                return "the JVM writing the archive ended without a complete one";
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
     * Cuts a class list written by a JVM that was killed at its last complete line.
     *
     * @param mainClass the workers' main class, which a worker's list names
     * @return {@code null} when the list is usable, else why not
     */
    static String prepare(Path classList, String mainClass) {
        try {
            if (!Files.isRegularFile(classList)) {
                return "the worker wrote no class list";
            }
            String text = Files.readString(classList, StandardCharsets.UTF_8);
            if (!text.startsWith(CLASS_LIST_HEADER)) {
                return "the class list does not start as the JVM writes one";
            }
            int end = text.lastIndexOf('\n') + 1;
            String main = mainClass.replace('.', '/');
            // its name alone (Java 17), or followed by its id (Java 25)
            if (!Pattern.compile("(?m)^" + Pattern.quote(main) + "( id: \\d+)?$").matcher(text.substring(0, end)).find()) {
                return "the class list does not name " + main + " (the worker's JVM ended before it ran)";
            }
            if (end < text.length()) { // a line cut short by a kill
                try (FileChannel ch = FileChannel.open(classList, StandardOpenOption.WRITE)) {
                    ch.truncate(text.substring(0, end).getBytes(StandardCharsets.UTF_8).length);
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

    private static String run(Launch launch, List<String> command, Path log, String what) throws InterruptedException {
        ProcessBuilder pb = launch.process().builder(command)
                .redirectOutput(log.toFile()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p;
        try {
            p = pb.start();
        } catch (IOException | RuntimeException e) {
            return "cannot run " + launch.java() + " for " + what + ": " + e;
        }
        try {
            p.getOutputStream().close();
            if (!p.waitFor(LIMIT_MS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return "the JVM " + what + " ran past " + LIMIT_MS + " ms";
            }
        } catch (IOException e) {
            // the pipe of a process that has ended
        } catch (InterruptedException e) {
            p.destroyForcibly();
            throw e;
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
        return String.format(Locale.ROOT, "the JVM %s exited with code %d (%s); its last lines:%n%s", what, code,
                String.join(" ", command), tail);
    }
}
