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
        return ClassSharing.plan(spec, EnvironmentOptions.NONE, cache, new ClasspathChecks(), new WorkerProcess(new WorkerEnvironment(), null));
    }

    /** @return the archive directory's files but the kept verdicts of the classpath's order ({@link ClasspathChecks}) */
    private List<String> cacheFiles() throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith("order-checked")).sorted()
                    .collect(Collectors.toList());
        }
    }

    /** Runs the plan's training with the probe as its main class, waiting up to {@code waitMillis} for it. */
    private void train(ClassSharing.Plan plan, long waitMillis, String... options) {
        ArchiveTraining t = new ArchiveTraining(ArchiveProbeMain.class.getName());
        t.start(List.of(JAVA), List.of(options), "1", plan.training(), new WorkerEnvironment(), null);
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
        try (Stream<Path> s = Files.list(cache)) {
            assertEquals(1, s.filter(p -> p.toString().endsWith("order-checked")).count(),
                    "the order's verdict is kept for the next run");
        }

        ClassSharing.Plan later = plan(spec(given));
        assertNull(later.training());
        assertEquals(probe + ":" + core + ":" + classes, later.classpath(), "the jars first, as the archive needs");
        assertTrue(later.optionsFor(0).get(0).startsWith("-XX:SharedArchiveFile=" + cache.toRealPath()),
                later.optionsFor(0).toString());
    }

    @Test
    void theOrdersVerdictIsKeptAndANewFileInADirectoryIsCheckedAgain() throws Exception {
        String given = classes + ":" + probe + ":" + core;
        plan(spec(given)).training().writer().abandon();
        Path verdict;
        try (Stream<Path> s = Files.list(cache)) {
            verdict = s.filter(p -> p.toString().endsWith("order-checked")).findFirst().orElseThrow();
        }
        String kept = Files.readString(verdict);
        // a class the probe's jar after the directory holds too: the file names changed, so it is checked again
        Path copy = classes.resolve(ArchiveProbeMain.class.getName().replace('.', '/') + ".class");
        Files.createDirectories(copy.getParent());
        Files.writeString(copy, "x");
        assertEquals(ClassSharing.Plan.NONE, plan(spec(given)), "refused: the jar's copy would come first");
        assertEquals(kept, Files.readString(verdict), "a refusal is not kept");
    }

    @Test
    void theTrainerGetsTheWorkersOptionsAndSlotsAsArgumentsAndNoneAsItsOwn() throws Exception {
        LaunchSpec tls = new LaunchSpec(List.of(1), JAVA, List.of(), classes + ":" + probe + ":" + core,
                ArchiveProbeMain.class.getName(), null, 5000, List.of(), "s3cret~AB:CD", tmp + "/out-%d.log");
        ClassSharing.Plan plan = plan(tls);
        Path argsFile = tmp.resolve("trainer-args");
        WorkerEnvironment env = new WorkerEnvironment();
        env.set("PROBE_ARGS_FILE", argsFile.toString());
        ArchiveTraining t = new ArchiveTraining(ArchiveProbeMain.class.getName());
        t.start(List.of(JAVA), List.of("-Dprobe.exit=0", "-Xss2m"), "3", plan.training(), env, null);
        t.awaitAll(60_000);
        assertEquals(List.of(ArchiveTraining.EXIT_WHEN_STDIN_CLOSES, ArchiveTraining.TLS, ArchiveTraining.CLASS_LIST_TO,
                plan.training().writer().classListFile().toString(), ArchiveTraining.WORKER_SLOTS, "3",
                ArchiveTraining.WORKER_JVM_OPTION, "-Dprobe.exit=0", ArchiveTraining.WORKER_JVM_OPTION, "-Xss2m"),
                Files.readAllLines(argsFile));
        assertEquals(1, cacheFiles().size(), "the archive its worker wrote (the probe exits 9 had it JVM options): "
                + cacheFiles());
    }

    @Test
    void aFailedTrainingIsNotedAndNotTriedAgainUntilTheJarsChange() throws Exception {
        String given = classes + ":" + probe + ":" + core;
        // an option the JVM refuses: it starts no training and writes no archive (a failed main would still write one)
        train(plan(spec(given)), 60_000, "-XX:+NoSuchOptionForTheTest");
        List<String> files = cacheFiles();
        assertEquals(1, files.size(), files.toString());
        assertTrue(files.get(0).endsWith(ClassSharing.FAILED_NOTE_SUFFIX), files.toString());
        assertTrue(Files.readString(cache.resolve(files.get(0))).contains("NoSuchOptionForTheTest"),
                "the note holds the training's last lines");

        assertEquals(ClassSharing.Plan.NONE, plan(spec(given)), "not trained again");
        Files.writeString(core, "rebuilt", java.nio.file.StandardOpenOption.APPEND);
        ClassSharing.Plan rebuilt = plan(spec(given));
        assertNotNull(rebuilt.training(), "a rebuilt jar is another configuration: trained again");
        rebuilt.training().writer().abandon();
    }

    @Test
    void aTrainingThatFailsKeepsNoArchiveThoughTheJvmWroteOne() throws Exception {
        // the JVM writes an archive at every exit: one of a training cut short is not kept
        train(plan(spec(classes + ":" + probe + ":" + core)), 60_000, "-Dprobe.exit=1");
        List<String> files = cacheFiles();
        assertEquals(1, files.size(), files.toString());
        assertTrue(files.get(0).endsWith(ClassSharing.FAILED_NOTE_SUFFIX), "the note alone: " + files);
    }

    @Test
    void aTrainingEndedByASignalOrItsTimeLimitLeavesNoNote() throws Exception {
        // Ctrl-C or an IDE's stop of the first run (130, 143), the trainer's time limit (6): the next run trains again
        for (int code : new int[] {130, 143, 6}) {
            train(plan(spec(classes + ":" + probe + ":" + core)), 60_000, "-Dprobe.exit=" + code);
            assertEquals(List.of(), cacheFiles(), "exit code " + code);
        }
    }

    @Test
    void noTrainingWithTheWorkersDebuggerOrAgentOptions() throws Exception {
        String given = classes + ":" + probe + ":" + core;
        for (String option : List.of("-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=5005",
                "-javaagent:/opt/agent.jar", "-Xrunjdwp:transport=dt_socket")) {
            assertEquals(ClassSharing.Plan.NONE, plan(spec(given, option)), option);
        }
    }

    @Test
    void noTrainingStartsOnceTheManagerClosed() throws Exception {
        ClassSharing.Plan plan = plan(spec(classes + ":" + probe + ":" + core));
        ArchiveTraining t = new ArchiveTraining(ArchiveProbeMain.class.getName());
        t.awaitAll(0); // the close, before this wave's start
        t.start(List.of(JAVA), List.of(), "1", plan.training(), new WorkerEnvironment(), null);
        assertEquals(0, t.running());
        assertEquals(List.of(), cacheFiles(), "its lock given back");
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
        train(plan, 1_000, "-Dprobe.wait=true");
        assertEquals(List.of(), cacheFiles(), "no archive, note, lock, temporary file or log");
        // the trainer's worker too: alive, it would write its archive into the cache a minute later
        List<String> left = ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .map(ph -> ph.info().commandLine().orElse("")).filter(c -> c.contains(cache.toString()))
                .collect(Collectors.toList());
        assertEquals(List.of(), left, "no process of the training left");
        assertNotNull(plan(spec(classes + ":" + probe + ":" + core)).training(), "the next run trains again");
    }
}
