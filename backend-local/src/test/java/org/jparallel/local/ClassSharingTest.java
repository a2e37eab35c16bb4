package org.jparallel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.WorkerStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class data sharing archive with real JVMs ({@link ArchiveProbeMain} in a jar): written once by
 * the first worker, moved into place whole, used by later workers, and never able to break a start
 * when it is damaged, half written or locked by another run.
 */
class ClassSharingTest {
    private static final String JAVA = TestWorkers.JAVA;
    /** Shows in the output where each class came from: "source: shared objects file" means an archive. */
    private static final String LOG_CLASSES = "-Xlog:class+load=info";
    private static final String FROM_ARCHIVE = "ArchiveProbeMain source: shared objects file";

    @TempDir
    Path tmp;
    private Path cache;
    private Path jar;
    private final List<WorkerHandle> started = new ArrayList<>();

    @BeforeEach
    void makeJar() throws IOException {
        cache = tmp.resolve("cds");
        jar = TestWorkers.probeJar(tmp);
    }

    @AfterEach
    void stopAll() {
        started.forEach(WorkerHandle::stop);
    }

    private LaunchSpec spec(String... options) {
        return new LaunchSpec(List.of(1), JAVA, List.of(options), jar.toString(), ArchiveProbeMain.class.getName(),
                null, 5000, List.of(), "s3cret", tmp + "/out" + started.size() + "-%d.log");
    }

    /** @return a group using the test's archive directory, no JVM options in its workers' environment */
    private LocalWorker worker() {
        return TestWorkers.withEnvironment(new LocalWorker().classSharingCache(cache));
    }

    /** @return the plan of workers whose environment holds no JVM options, the manifests checked anew */
    private ClassSharing.Plan plan(LaunchSpec spec) {
        return ClassSharing.plan(spec, EnvironmentOptions.NONE, cache, new ClasspathChecks(), new WorkerProcess(new WorkerEnvironment(), null));
    }

    /** Runs one probe worker to its end and returns its handle, stopped (so its after-exit step has run). */
    private WorkerHandle runToEnd(LocalWorker w, LaunchSpec spec) throws InterruptedException {
        return TestWorkers.runToEnd(w, spec, started);
    }

    /** @return the worker's whole output (the tail would miss the first lines under a class-loading log) */
    private static String output(WorkerHandle h) throws IOException {
        return Files.readString(Path.of(h.logLocation()));
    }

    private List<Path> cacheFiles() throws IOException {
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(cache)) {
            return s.sorted().collect(Collectors.toList());
        }
    }

    private Path onlyArchive() throws IOException {
        List<Path> files = cacheFiles();
        assertEquals(1, files.size(), "exactly one file (the archive, no lock, no temporary) in " + files);
        assertTrue(files.get(0).toString().endsWith(".jsa"), files.toString());
        return files.get(0);
    }

    @Test
    void firstWorkerWritesTheArchiveAndLaterWorkersUseIt() throws Exception {
        LocalWorker w = worker();
        WorkerHandle first = runToEnd(w, spec(LOG_CLASSES));
        assertEquals(WorkerStatus.exited(0), first.status(), first.outputTail(20));
        assertFalse(output(first).contains(FROM_ARCHIVE), "there was no archive yet");
        assertFalse(output(first).contains("[warning][cds"), "the write keeps its warnings out of the output");
        Path archive = onlyArchive();
        assertEquals(ArchiveDirectory.checksum(archive) + ".jsa",
                archive.getFileName().toString().replaceFirst(".*-", ""), "the name carries the checksum");
        long written = Files.getLastModifiedTime(archive).toMillis();

        for (int i = 0; i < 2; i++) {
            WorkerHandle later = runToEnd(w, spec(LOG_CLASSES));
            assertEquals(WorkerStatus.exited(0), later.status(), later.outputTail(20));
            assertTrue(output(later).contains(FROM_ARCHIVE), "class loaded from the archive: "
                    + output(later).lines().filter(l -> l.contains("ArchiveProbeMain")).collect(Collectors.toList()));
            assertEquals(archive, onlyArchive(), "the archive is written once");
            assertEquals(written, Files.getLastModifiedTime(archive).toMillis(), "and not rewritten");
        }
    }

    @Test
    void damagedArchiveIsReplacedAndTheWorkerStartsAnyway() throws Exception {
        LocalWorker w = worker();
        runToEnd(w, spec(LOG_CLASSES));
        Path archive = onlyArchive();
        // keep the header (the JVM checks it) and damage the classes after it: the JVM would crash on this
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rw-------"));
        try (FileChannel ch = FileChannel.open(archive, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ByteBuffer junk = ByteBuffer.allocate((int) Math.min(1 << 20, size / 2));
            for (int i = 0; i < junk.capacity(); i++) {
                junk.put(i, (byte) (i * 31 + 7));
            }
            ch.write(junk, size / 4);
        }

        WorkerHandle h = runToEnd(w, spec(LOG_CLASSES));
        assertEquals(WorkerStatus.exited(0), h.status(), h.outputTail(30));
        assertTrue(output(h).contains("probe ran"), h.outputTail(30));
        assertFalse(output(h).contains(FROM_ARCHIVE), "the damaged archive was not used");
        Path rewritten = onlyArchive();
        assertEquals(ArchiveDirectory.checksum(rewritten) + ".jsa",
                rewritten.getFileName().toString().replaceFirst(".*-", ""), "a whole archive was written again");

        WorkerHandle next = runToEnd(w, spec(LOG_CLASSES));
        assertTrue(output(next).contains(FROM_ARCHIVE), next.outputTail(30));
    }

    @Test
    void fileThatIsNoArchiveIsReplaced() throws Exception {
        LocalWorker w = worker();
        runToEnd(w, spec());
        Path archive = onlyArchive();
        Files.delete(archive);
        Files.writeString(archive, "not an archive");

        WorkerHandle h = runToEnd(w, spec());
        assertEquals(WorkerStatus.exited(0), h.status(), h.outputTail(30));
        Path rewritten = onlyArchive();
        assertTrue(ArchiveDirectory.looksLikeArchive(rewritten));
        assertEquals(ArchiveDirectory.checksum(rewritten) + ".jsa", rewritten.getFileName().toString().replaceFirst(".*-", ""));
    }

    /** Starts a probe that waits to be stopped, and returns once it runs. */
    private LocalProcessHandle startWaiting(LocalWorker w) throws InterruptedException {
        LocalProcessHandle h = (LocalProcessHandle) w.start(spec("-Dprobe.wait=true")).get(0);
        started.add(h);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!h.outputTail(1).equals("probe ran")) {
            assertTrue(System.nanoTime() < deadline, "the probe did not start: " + h.outputTail(20));
            Thread.sleep(20);
        }
        return h;
    }

    @Test
    void workerKilledWhileRunningStillGivesTheArchiveOfTheClassesItLoaded() throws Exception {
        LocalWorker w = worker();
        LocalProcessHandle h = startWaiting(w);
        assertTrue(cacheFiles().stream().anyMatch(f -> f.toString().endsWith(".lock")), "the writer holds the lock");
        ProcessHandle.of(h.pid()).orElseThrow().destroyForcibly();
        h.stop();
        assertEquals(WorkerStatus.exited(137), h.status());
        assertTrue(ArchiveDirectory.looksLikeArchive(onlyArchive()), "its list served: " + cacheFiles());

        // it holds the class the worker loaded before it was killed
        Process p = new ProcessBuilder(JAVA, "-Xshare:on", "-XX:SharedArchiveFile=" + onlyArchive(), LOG_CLASSES, "-cp",
                jar.toString(), ArchiveProbeMain.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains(FROM_ARCHIVE), out);
    }

    @Test
    void workerWhoseJvmDoesNotStartLeavesNothingAndTheNextStartWritesIt() throws Exception {
        LocalWorker w = worker();
        WorkerHandle h = runToEnd(w, spec("-XX:+NoSuchOptionForTheTest"));
        assertEquals(WorkerStatus.exited(1), h.status(), h.outputTail(5));
        assertEquals(List.of(), cacheFiles(), "no archive, no note, no lock, no list");

        runToEnd(w, spec());
        assertTrue(ArchiveDirectory.looksLikeArchive(onlyArchive()));
    }

    @Test
    void aFailedWritingIsNotedAndNotTriedAgainUntilTheJarsChange() throws Exception {
        LaunchSpec workers = worker().startSpec(spec());
        ArchiveKey key = ArchiveKey.of(List.of(JAVA), workers.jvmOptions(), jar.toString(), false);
        ArchiveDirectory dir = ArchiveDirectory.open(cache);
        // a "java" that fails as a JVM failing to write the archive would
        Path failing = Files.writeString(tmp.resolve("failing-java"), "#!/bin/sh\necho cannot dump for the test\nexit 1\n");
        Files.setPosixFilePermissions(failing, PosixFilePermissions.fromString("rwx------"));
        ClassSharing.Writer writer = ClassSharing.Writer.claim(dir, key, new ArchiveDump.Launch(failing.toString(),
                List.of(), jar.toString(), ArchiveProbeMain.class.getName(), new WorkerProcess(new WorkerEnvironment(), null)));
        Files.writeString(writer.classListFile(), "# NOTE: Do not modify this file.\njava/lang/Object\n"
                + ArchiveProbeMain.class.getName().replace('.', '/') + "\n");
        assertFalse(writer.finish(0));
        Path note = cache.resolve(key.familyPrefix() + ClassSharing.FAILED_NOTE_SUFFIX);
        assertEquals(List.of(note), cacheFiles(), "the note alone");
        assertTrue(Files.readString(note).contains("cannot dump for the test"), Files.readString(note));
        assertTrue(Files.readString(note).contains("exited with code 1"), Files.readString(note));

        assertEquals(ClassSharing.Plan.NONE, plan(workers), "not tried again");
        assertEquals(List.of(note), cacheFiles());
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        assertNotNull(plan(workers).writerFor(0), "tried again with another jar");
    }

    @Test
    void workerThatExitsWithAnErrorStillWritesTheArchive() throws Exception {
        WorkerHandle h = runToEnd(worker(), spec("-Dprobe.exit=3"));
        assertEquals(WorkerStatus.exited(3), h.status(), "the exit code is the worker's own");
        assertTrue(ArchiveDirectory.looksLikeArchive(onlyArchive()));
    }

    @Test
    void lockHeldByALiveProcessMeansNoWriteAndNoWait() throws Exception {
        LaunchSpec workers = worker().startSpec(spec()); // with the options workers start with
        ArchiveKey key = ArchiveKey.of(List.of(JAVA), workers.jvmOptions(), jar.toString(), false);
        Files.createDirectories(cache);
        Path lock = cache.resolve(key.baseName() + ".lock");
        Files.writeString(lock, Long.toString(ProcessHandle.current().pid()));

        ClassSharing.Plan plan = plan(workers);
        assertEquals(List.of(), plan.optionsFor(0));
        assertNull(plan.writerFor(0));
        WorkerHandle h = runToEnd(worker(), spec());
        assertEquals(WorkerStatus.exited(0), h.status());
        assertEquals(List.of(lock), cacheFiles(), "no archive written, the other run's lock untouched");
    }

    @Test
    void lockOfADeadProcessIsTakenOver() throws Exception {
        LaunchSpec workers = worker().startSpec(spec()); // with the options workers start with
        ArchiveKey key = ArchiveKey.of(List.of(JAVA), workers.jvmOptions(), jar.toString(), false);
        Files.createDirectories(cache);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(cache.resolve(key.baseName() + ".lock"), Long.toString(gone.pid()));
        Files.writeString(cache.resolve(key.baseName() + "." + gone.pid() + "-1.tmp"), "left by a dead writer");

        runToEnd(worker(), spec());
        assertTrue(ArchiveDirectory.looksLikeArchive(onlyArchive()));
    }

    @Test
    void groupOfSeveralHasOneWriter() throws Exception {
        LaunchSpec spec = new LaunchSpec(List.of(1, 2, 3), JAVA, List.of(), jar.toString(),
                ArchiveProbeMain.class.getName(), null, 5000, List.of(), "s3cret", tmp + "/g-%d.log");
        ClassSharing.Plan plan = plan(spec);
        assertNotNull(plan.writerFor(0));
        assertTrue(plan.optionsFor(0).get(0).startsWith("-XX:DumpLoadedClassList="), plan.optionsFor(0).toString());
        assertNull(plan.writerFor(1));
        assertEquals(List.of(), plan.optionsFor(1), "no archive yet: the others start plainly");
        assertEquals(List.of(), plan.optionsFor(2));
        assertEquals(ClassSharing.Plan.NONE, plan(spec), "a second start while the first writes: no writer");
        plan.writerFor(0).abandon();
        assertEquals(List.of(), cacheFiles(), "abandoning releases the lock");
    }

    @Test
    void switchedOffMeansNoArchive() throws Exception {
        WorkerHandle h = runToEnd(worker().classSharing(false), spec());
        assertEquals(WorkerStatus.exited(0), h.status());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void otherJavaOrDirectoryClasspathMeansNoArchive() throws Exception {
        assertEquals(ClassSharing.Plan.NONE, plan(spec().withJavaCommand("/bin/sh -c java")));
        Path dir = Files.createDirectories(tmp.resolve("classes"));
        Files.writeString(dir.resolve("A.class"), "x");
        assertEquals(ClassSharing.Plan.NONE, plan(spec().withClasspath(jar + ":" + dir)));
        assertEquals(ClassSharing.Plan.NONE, plan(spec("-Xshare:off")));
    }

    /** Options in the workers' environment count as theirs: one choosing class sharing, or read from a file. */
    @Test
    void classSharingOptionsOrAnOptionsFileInTheWorkersEnvironmentMeanNoArchive() throws Exception {
        ClassSharing.Plan plain = plan(spec());
        assertNotNull(plain.writerFor(0), "without them the first worker writes the archive");
        plain.writerFor(0).abandon();
        for (Map<String, String> env : List.of(Map.of("JAVA_TOOL_OPTIONS", "-Xshare:off"),
                Map.of("JDK_JAVA_OPTIONS", "-XX:SharedArchiveFile=/x.jsa"), Map.of("_JAVA_OPTIONS", "-XX:AOTCache=/x.aot"),
                Map.of("JDK_JAVA_OPTIONS", "@/etc/java-options"), Map.of("JAVA_TOOL_OPTIONS", "-XX:VMOptionsFile=/etc/vm"),
                Map.of("_JAVA_OPTIONS", "-Dx=1 -XX:Flags=/etc/hotspotrc"))) {
            assertEquals(ClassSharing.Plan.NONE, ClassSharing.plan(spec(), EnvironmentOptions.of(env), cache,
                    new ClasspathChecks(), new WorkerProcess(new WorkerEnvironment(), null)), env.toString());
        }
        assertEquals(List.of(), cacheFiles(), "no lock taken");
    }
}
