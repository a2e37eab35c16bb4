package org.jparallel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.jparallel.spi.LaunchSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group started in waves plans its class sharing at each wave; the jars' manifests are read once per
 * configuration, not once per wave (while the group's first worker writes the archive, every later wave finds
 * no archive and would read them all again), and again for a configuration not seen yet.
 */
class ClassSharingManifestChecksTest {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path tmp;
    private Path cache;
    private Path jar;
    /** The classpaths whose manifests were read, one entry a reading. */
    private final List<String> read = new ArrayList<>();

    @BeforeEach
    void makeJar() throws IOException {
        cache = tmp.resolve("cds");
        jar = tmp.resolve("app.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry("a.txt"));
            j.closeEntry();
        }
    }

    private LaunchSpec wave(int id, String... options) {
        return new LaunchSpec(List.of(id), JAVA, List.of(options), jar.toString(), "Main", null, 5000, List.of(),
                "s3cret", tmp + "/out-%d.log");
    }

    /** @return the plan of workers whose environment holds no JVM options */
    private ClassSharing.Plan plan(LaunchSpec spec, ClasspathChecks checks) {
        return ClassSharing.plan(spec, EnvironmentOptions.NONE, cache, checks, new WorkerProcess(new WorkerEnvironment(), null));
    }

    @Test
    void laterWavesOfAGroupDoNotReadTheManifestsAgainWhileItsFirstWorkerWritesTheArchive() {
        ClasspathChecks checks = new ClasspathChecks(read::add);
        ClassSharing.Plan first = plan(wave(1), checks);
        assertNotNull(first.writerFor(0), "the first wave's worker writes the archive");
        assertEquals(ClassSharing.Plan.NONE, plan(wave(2), checks), "no archive yet");
        assertEquals(ClassSharing.Plan.NONE, plan(wave(3), checks));
        assertEquals(List.of(jar.toString()), read, "the manifests were read once");

        ClassSharing.Plan other = plan(wave(4, "-Xmx64m"), checks);
        assertNotNull(other.writerFor(0), "other options: another archive, written by its own first worker");
        assertEquals(2, read.size(), "and its manifests checked on their own: " + read);
        first.writerFor(0).abandon();
        other.writerFor(0).abandon();
    }

    @Test
    void aClasspathTheManifestsRuleOutIsNotReadAgainEither() {
        ClasspathChecks checks = new ClasspathChecks(classpath -> {
            read.add(classpath);
            throw new ArchiveKey.Unsupported("the jar adds a directory to the classpath in its manifest");
        });
        for (int id = 1; id <= 3; id++) {
            assertEquals(ClassSharing.Plan.NONE, plan(wave(id), checks));
        }
        assertEquals(1, read.size(), "read once: " + read);
    }

    @Test
    void aClasspathWithADirectoryTheManifestsRuleOutHasItsOrderNeitherCheckedNorKept() throws IOException {
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        Files.writeString(classes.resolve("b.txt"), "not in the jar: the order's check would pass and be kept");
        LaunchSpec withDirectory = new LaunchSpec(List.of(1), JAVA, List.of(), classes + java.io.File.pathSeparator + jar,
                "Main", null, 5000, List.of(), "s3cret", tmp + "/out-%d.log");
        ClasspathChecks checks = new ClasspathChecks(classpath -> {
            read.add(classpath);
            throw new ArchiveKey.Unsupported("the jar adds a jar to the classpath in its manifest");
        });
        assertEquals(ClassSharing.Plan.NONE, plan(withDirectory, checks));
        assertEquals(List.of(jar.toString()), read, "the manifests refused it");
        try (java.util.stream.Stream<Path> files = Files.list(cache)) {
            assertEquals(List.of(), files.collect(java.util.stream.Collectors.toList()),
                    "no order verdict kept (nor any other file) for a classpath that cannot have an archive");
        }
    }

    @Test
    void aWriterGivenUpLetsTheNextWaveWriteWithoutReadingTheManifestsAgain() {
        ClasspathChecks checks = new ClasspathChecks(read::add);
        plan(wave(1), checks).writerFor(0).abandon(); // its worker could not start
        ClassSharing.Plan next = plan(wave(2), checks);
        assertNotNull(next.writerFor(0), "the lock is read at each wave: the next worker writes the archive");
        assertNull(next.writerFor(1));
        assertEquals(1, read.size());
        next.writerFor(0).abandon();
    }
}
