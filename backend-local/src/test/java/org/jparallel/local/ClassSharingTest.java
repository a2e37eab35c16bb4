package org.jparallel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
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
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** Shows in the output where each class came from: "source: shared objects file (top)" means the archive. */
    private static final String LOG_CLASSES = "-Xlog:class+load=info";
    private static final String FROM_ARCHIVE = "ArchiveProbeMain source: shared objects file (top)";

    @TempDir
    Path tmp;
    private Path cache;
    private Path jar;
    private final List<WorkerHandle> started = new ArrayList<>();

    @BeforeEach
    void makeJar() throws IOException {
        cache = tmp.resolve("cds");
        jar = tmp.resolve("probe.jar");
        String name = ArchiveProbeMain.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             InputStream in = ArchiveProbeMain.class.getClassLoader().getResourceAsStream(name)) {
            j.putNextEntry(new JarEntry(name));
            in.transferTo(j);
            j.closeEntry();
        }
    }

    @AfterEach
    void stopAll() {
        started.forEach(WorkerHandle::stop);
    }

    private LaunchSpec spec(String... options) {
        return new LaunchSpec(List.of(1), JAVA, List.of(options), jar.toString(), ArchiveProbeMain.class.getName(),
                null, 5000, List.of(), "s3cret", tmp + "/out" + started.size() + "-%d.log");
    }

    /** Runs one probe worker to its end and returns its handle, stopped (so its after-exit step has run). */
    private WorkerHandle runToEnd(LocalWorker w, LaunchSpec spec) throws InterruptedException {
        WorkerHandle h = w.start(spec).get(0);
        started.add(h);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!h.status().isTerminal()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the probe did not end: " + h.outputTail(20));
            }
            Thread.sleep(20);
        }
        h.stop();
        return h;
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
        LocalWorker w = new LocalWorker().classSharingCache(cache);
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
        LocalWorker w = new LocalWorker().classSharingCache(cache);
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
        LocalWorker w = new LocalWorker().classSharingCache(cache);
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
    void workerKilledWhileWritingLeavesNothingAndTheNextStartWritesAgain() throws Exception {
        LocalWorker w = new LocalWorker().classSharingCache(cache);
        LocalProcessHandle h = startWaiting(w);
        assertTrue(cacheFiles().stream().anyMatch(f -> f.toString().endsWith(".lock")), "the writer holds the lock");
        ProcessHandle.of(h.pid()).orElseThrow().destroyForcibly();
        h.stop();
        assertEquals(WorkerStatus.exited(137), h.status());
        assertEquals(List.of(), cacheFiles(), "a killed writer leaves nothing behind");

        // the next start of the same configuration writes it; SIGTERM (the manager's stop) lets the JVM finish it
        LocalProcessHandle again = startWaiting(w);
        again.stop();
        assertEquals(WorkerStatus.exited(143), again.status());
        assertTrue(ArchiveDirectory.looksLikeArchive(onlyArchive()));
    }

    @Test
    void workerThatExitsWithAnErrorStillWritesTheArchive() throws Exception {
        WorkerHandle h = runToEnd(new LocalWorker().classSharingCache(cache), spec("-Dprobe.exit=3"));
        assertEquals(WorkerStatus.exited(3), h.status(), "the exit code is the worker's own");
        assertTrue(ArchiveDirectory.looksLikeArchive(onlyArchive()));
    }

    @Test
    void lockHeldByALiveProcessMeansNoWriteAndNoWait() throws Exception {
        LaunchSpec workers = new LocalWorker().startSpec(spec()); // with the options workers start with
        ArchiveKey key = ArchiveKey.of(List.of(JAVA), workers.jvmOptions(), jar.toString());
        Files.createDirectories(cache);
        Path lock = cache.resolve(key.baseName() + ".lock");
        Files.writeString(lock, Long.toString(ProcessHandle.current().pid()));

        ClassSharing.Plan plan = ClassSharing.plan(workers, cache);
        assertEquals(List.of(), plan.optionsFor(0));
        assertNull(plan.writerFor(0));
        WorkerHandle h = runToEnd(new LocalWorker().classSharingCache(cache), spec());
        assertEquals(WorkerStatus.exited(0), h.status());
        assertEquals(List.of(lock), cacheFiles(), "no archive written, the other run's lock untouched");
    }

    @Test
    void lockOfADeadProcessIsTakenOver() throws Exception {
        LaunchSpec workers = new LocalWorker().startSpec(spec()); // with the options workers start with
        ArchiveKey key = ArchiveKey.of(List.of(JAVA), workers.jvmOptions(), jar.toString());
        Files.createDirectories(cache);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(cache.resolve(key.baseName() + ".lock"), Long.toString(gone.pid()));
        Files.writeString(cache.resolve(key.baseName() + "." + gone.pid() + "-1.tmp"), "left by a dead writer");

        runToEnd(new LocalWorker().classSharingCache(cache), spec());
        assertTrue(ArchiveDirectory.looksLikeArchive(onlyArchive()));
    }

    @Test
    void groupOfSeveralHasOneWriter() throws Exception {
        LaunchSpec spec = new LaunchSpec(List.of(1, 2, 3), JAVA, List.of(), jar.toString(),
                ArchiveProbeMain.class.getName(), null, 5000, List.of(), "s3cret", tmp + "/g-%d.log");
        ClassSharing.Plan plan = ClassSharing.plan(spec, cache);
        assertNotNull(plan.writerFor(0));
        assertTrue(plan.optionsFor(0).get(0).startsWith("-XX:ArchiveClassesAtExit="), plan.optionsFor(0).toString());
        assertNull(plan.writerFor(1));
        assertEquals(List.of(), plan.optionsFor(1), "no archive yet: the others start plainly");
        assertEquals(List.of(), plan.optionsFor(2));
        assertEquals(ClassSharing.Plan.NONE, ClassSharing.plan(spec, cache), "a second start while the first writes: no writer");
        plan.writerFor(0).abandon();
        assertEquals(List.of(), cacheFiles(), "abandoning releases the lock");
    }

    @Test
    void switchedOffMeansNoArchive() throws Exception {
        WorkerHandle h = runToEnd(new LocalWorker().classSharing(false).classSharingCache(cache), spec());
        assertEquals(WorkerStatus.exited(0), h.status());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void otherJavaOrDirectoryClasspathMeansNoArchive() throws Exception {
        assertEquals(ClassSharing.Plan.NONE, ClassSharing.plan(spec().withJavaCommand("/bin/sh -c java"), cache));
        Path dir = Files.createDirectories(tmp.resolve("classes"));
        Files.writeString(dir.resolve("A.class"), "x");
        assertEquals(ClassSharing.Plan.NONE, ClassSharing.plan(spec().withClasspath(jar + ":" + dir), cache));
        assertEquals(ClassSharing.Plan.NONE, ClassSharing.plan(spec("-Xshare:off"), cache));
    }
}
