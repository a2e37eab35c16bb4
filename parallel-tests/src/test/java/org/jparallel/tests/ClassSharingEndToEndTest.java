package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;
import org.jparallel.core.worker.startup.HostName;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real worker JVMs and the class data sharing archive of the local backend: the first run writes it,
 * later runs start their workers from it (the JVM's class-loading log says so), and a damaged
 * archive neither breaks a worker's start nor stays. Also checks the worker's start-up settings that
 * show in that log: no JFR classes loaded by Netty, and the host name sent in HELLO.
 *
 * <p>The JVM archives classes from jars only, so the test classpath (directories under Maven) is
 * packed into jars first.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClassSharingEndToEndTest {
    private static final String FROM_ARCHIVE = "org.jparallel.core.worker.WorkerMain source: shared objects file";

    @TempDir
    static Path jars;
    private static String jarClasspath;
    /** The test's own classes as a directory, first, as an IDE or Maven runs them; the rest in jars. */
    private static String directoryClasspath;

    @TempDir
    Path tmp;

    @BeforeAll
    static void packClasspathIntoJars() throws Exception {
        Path testClasses = Path.of(ClassSharingEndToEndTest.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI());
        List<String> entries = new ArrayList<>();
        List<String> withDirectory = new ArrayList<>(List.of(testClasses.toString()));
        int n = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e.isEmpty() ? "." : e);
            if (Files.isDirectory(p)) {
                Path jar = jars.resolve("dir" + (n++) + ".jar");
                pack(p, jar);
                entries.add(jar.toString());
                if (!Files.isSameFile(p, testClasses)) {
                    withDirectory.add(jar.toString());
                }
            } else if (Files.isRegularFile(p) && !addsToClasspath(p)) {
                // (the CLI jar names its copies of the other jars in its manifest: class sharing would be off)
                entries.add(p.toString());
                withDirectory.add(p.toString());
            }
        }
        jarClasspath = String.join(File.pathSeparator, entries);
        directoryClasspath = String.join(File.pathSeparator, withDirectory);
    }

    private static boolean addsToClasspath(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            Manifest m = j.getManifest();
            return m != null && m.getMainAttributes().getValue(Attributes.Name.CLASS_PATH) != null;
        }
    }

    private static void pack(Path dir, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                j.putNextEntry(new JarEntry(dir.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
    }

    /** Runs one manager with one worker and one task; returns the worker's output. */
    private String runOnce(Path cache, String name) throws Exception {
        return runOnce(cache, name, jarClasspath);
    }

    private String runOnce(Path cache, String name, String classpath) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        try (Manager manager = TestSupport.builder(dir).build()) {
            manager.addWorker(new LocalWorker().classpath(classpath).classSharingCache(cache)
                    .jvmOptions("-Xlog:class+load=info"));
            Context<Void, Integer> ctx = manager.getContext();
            assertEquals(42, ctx.addTask(s -> 21 * 2).get(120, TimeUnit.SECONDS));
            List<WorkerInfo> workers = manager.workers();
            assertEquals(HostName.get(), workers.get(0).host(), "the host name the worker sent");
            manager.close();
            return Files.readString(TestSupport.outputFile(dir, workers.get(0).id()));
        }
    }

    /** @return the directory's files but the kept verdicts of a classpath's order (a directory's classpath has one) */
    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().endsWith("order-checked")).sorted()
                    .collect(Collectors.toList());
        }
    }

    private static Path onlyArchive(Path cache) throws IOException {
        List<Path> files = files(cache);
        assertEquals(1, files.size(), "one archive, no lock, no temporary file: " + files);
        assertTrue(files.get(0).getFileName().toString().endsWith(".jsa"), files.toString());
        return files.get(0);
    }

    @Test
    void firstRunWritesTheArchiveLaterRunsStartFromIt() throws Exception {
        Path cache = tmp.resolve("cds");
        String first = runOnce(cache, "run1");
        assertFalse(first.contains(FROM_ARCHIVE), "no archive on the first run");
        Path archive = onlyArchive(cache);
        FileTime written = Files.getLastModifiedTime(archive);

        String second = runOnce(cache, "run2");
        assertTrue(second.contains(FROM_ARCHIVE), "the second run's worker loads its classes from the archive");
        assertEquals(archive, onlyArchive(cache));
        assertEquals(written, Files.getLastModifiedTime(archive), "the archive is written once");
        // Netty asks FlightRecorder.isAvailable() (a few classes) whatever the setting; registering its
        // buffer events is what costs (hundreds of classes), and is what the worker's default turns off
        for (String registration : List.of("jdk.jfr.internal.MetadataRepository ", "io.netty.buffer.AbstractChunkEvent ")) {
            assertFalse(second.contains(registration), "Netty's JFR events stay off in workers: " + registration);
        }
    }

    /**
     * The JVM writes no archive once a class came from a directory: a training JVM writes it from the jars while
     * the first run's workers start without one (its close waits for the training), and later runs' workers start
     * from it with the jars first, the task's class still coming from the directory.
     */
    @Test
    void aClasspathWithADirectoryIsTrainedOnceThenItsWorkersStartFromTheArchive() throws Exception {
        Path cache = tmp.resolve("cds");
        String first = runOnce(cache, "run1", directoryClasspath);
        assertFalse(first.contains(FROM_ARCHIVE), "no archive on the first run");
        Path archive = onlyArchive(cache);

        String second = runOnce(cache, "run2", directoryClasspath);
        assertTrue(second.contains(FROM_ARCHIVE), "the second run's worker loads jparallel from the archive: "
                + second.lines().filter(l -> l.contains("WorkerMain")).collect(Collectors.joining("\n")));
        String testClasses = ClassSharingEndToEndTest.class.getProtectionDomain().getCodeSource().getLocation()
                .toString();
        assertTrue(second.contains(ClassSharingEndToEndTest.class.getName() + " source: " + testClasses),
                "and the task's class from the directory: " + second.lines()
                        .filter(l -> l.contains(ClassSharingEndToEndTest.class.getSimpleName()))
                        .collect(Collectors.joining("\n")));
        assertEquals(archive, onlyArchive(cache), "the archive is written once");
    }

    @Test
    void damagedArchiveDoesNotBreakTheWorkerAndIsWrittenAgain() throws Exception {
        Path cache = tmp.resolve("cds");
        runOnce(cache, "run1");
        Path archive = onlyArchive(cache);
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rw-------"));
        try (FileChannel ch = FileChannel.open(archive, StandardOpenOption.WRITE)) {
            ByteBuffer junk = ByteBuffer.allocate(1 << 20);
            while (junk.hasRemaining()) {
                junk.put((byte) (junk.position() * 131 + 17));
            }
            ch.write(junk.flip(), ch.size() / 3); // the header stays whole: only the checksum shows the damage
        }

        String output = runOnce(cache, "run2");
        assertFalse(output.contains(FROM_ARCHIVE), "the damaged archive is not used");
        assertFalse(output.contains("fatal error"), output.lines().limit(20).collect(Collectors.joining("\n")));
        onlyArchive(cache);

        assertTrue(runOnce(cache, "run3").contains(FROM_ARCHIVE), "the archive written again is used");
    }
}
