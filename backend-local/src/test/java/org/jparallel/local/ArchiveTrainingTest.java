package org.jparallel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jparallel.spi.LaunchSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Class data sharing for workers whose classpath holds a directory: the plan (a training JVM writes the archive
 * from the jars; once it exists the workers run with the jars first), and the training JVM's life with a real JVM
 * ({@link ArchiveProbeMain} standing in for the trainer): its archive kept, a failure noted once, a training still
 * running at the close killed with nothing left behind.
 */
class ArchiveTrainingTest {
    private static final String JAVA = TestWorkers.JAVA;

    @TempDir
    Path tmp;
    private Path cache;
    private Path probe;
    /** A jar holding the trainer's class name, so that the classpath can be trained. */
    private Path core;
    private Path classes;

    @BeforeEach
    void layOut() throws IOException {
        cache = tmp.resolve("cds");
        probe = TestWorkers.probeJar(tmp);
        core = tmp.resolve("core.jar");
        try (OutputStream out = Files.newOutputStream(core); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry(ClasspathOrder.TRAINER_ENTRY));
            z.closeEntry();
        }
        classes = Files.createDirectories(tmp.resolve("classes"));
        Files.writeString(classes.resolve("Task.class"), "x");
    }

    private LaunchSpec spec(String classpath, String... options) {
        return new LaunchSpec(List.of(1), JAVA, List.of(options), classpath, ArchiveProbeMain.class.getName(), null,
                5000, List.of(), "s3cret", tmp + "/out-%d.log");
    }

    private ClassSharing.Plan plan(LaunchSpec spec) {
        return ClassSharing.plan(spec, EnvironmentOptions.NONE, cache, new ClassSharing.ManifestChecks());
    }

    private List<String> cacheFiles() throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    /** Runs the plan's training with the probe as its main class, waiting up to {@code waitMillis} for it. */
    private void train(ClassSharing.Plan plan, long waitMillis, String... options) {
        ArchiveTraining t = new ArchiveTraining(ArchiveProbeMain.class.getName());
        t.start(List.of(JAVA), List.of(options), plan.training(), new WorkerEnvironment(), null);
        t.awaitAll(waitMillis);
        assertEquals(0, t.running());
    }

    @Test
    void aDirectoryOnTheClasspathIsTrainedFromTheJarsThenRunWithTheJarsFirst() throws Exception {
        String given = classes + ":" + probe + ":" + core;
        ClassSharing.Plan first = plan(spec(given));
        assertNotNull(first.training(), "no archive yet: a training JVM writes it");
        assertEquals(probe + ":" + core, first.training().classpath(), "from the jars alone");
        assertNull(first.classpath(), "the workers meanwhile run with the classpath as given");
        assertEquals(List.of(), first.optionsFor(0), "and no worker writes an archive");

        train(first, 60_000);
        assertEquals(1, cacheFiles().size(), "the archive alone, no lock, temporary file or log: " + cacheFiles());

        ClassSharing.Plan later = plan(spec(given));
        assertNull(later.training());
        assertEquals(probe + ":" + core + ":" + classes, later.classpath(), "the jars first, as the archive needs");
        assertTrue(later.optionsFor(0).get(0).startsWith("-XX:SharedArchiveFile=" + cache.toRealPath()),
                later.optionsFor(0).toString());
    }

    @Test
    void aFailedTrainingIsNotedAndNotTriedAgainUntilTheJarsChange() throws Exception {
        String given = classes + ":" + probe + ":" + core;
        // an option the JVM refuses: it starts no training and writes no archive (a failed main would still write one)
        train(plan(spec(given)), 60_000, "-XX:+NoSuchOptionForTheTest");
        List<String> files = cacheFiles();
        assertEquals(1, files.size(), files.toString());
        assertTrue(files.get(0).endsWith("training-failed"), files.toString());
        assertTrue(Files.readString(cache.resolve(files.get(0))).contains("NoSuchOptionForTheTest"),
                "the note holds the training's last lines");

        assertEquals(ClassSharing.Plan.NONE, plan(spec(given)), "not trained again");
        Files.writeString(core, "rebuilt", java.nio.file.StandardOpenOption.APPEND);
        ClassSharing.Plan rebuilt = plan(spec(given));
        assertNotNull(rebuilt.training(), "a rebuilt jar is another configuration: trained again");
        rebuilt.training().writer().abandon();
    }

    @Test
    void aTrainingThatEndsWithAnErrorKeepsNoArchiveThoughTheJvmWroteOne() throws Exception {
        // the JVM writes an archive at every exit: one of a training cut short is not kept
        train(plan(spec(classes + ":" + probe + ":" + core)), 60_000, "-Dprobe.exit=3");
        List<String> files = cacheFiles();
        assertEquals(1, files.size(), files.toString());
        assertTrue(files.get(0).endsWith("training-failed"), "the note alone: " + files);
    }

    @Test
    void workersOfATlsManagerAreTrainedWithTlsInAnArchiveOfTheirOwn() throws Exception {
        String given = classes + ":" + probe + ":" + core;
        LaunchSpec tls = new LaunchSpec(List.of(1), JAVA, List.of(), given, ArchiveProbeMain.class.getName(), null,
                5000, List.of(), "s3cret~AB:CD", tmp + "/out-%d.log");
        ClassSharing.Plan plain = plan(spec(given));
        ClassSharing.Plan withTls = plan(tls);
        assertNotNull(plain.training());
        assertNotNull(withTls.training(), "not the plain one's lock: another archive");
        assertTrue(withTls.training().tls() && !plain.training().tls());
        plain.training().writer().abandon();
        withTls.training().writer().abandon();
    }

    @Test
    void aTrainingStillRunningAtTheCloseIsKilledAndLeavesNothing() throws Exception {
        ClassSharing.Plan plan = plan(spec(classes + ":" + probe + ":" + core));
        train(plan, 300, "-Dprobe.wait=true");
        assertEquals(List.of(), cacheFiles(), "no archive, note, lock, temporary file or log");
        assertNotNull(plan(spec(classes + ":" + probe + ":" + core)).training(), "the next run trains again");
    }
}
