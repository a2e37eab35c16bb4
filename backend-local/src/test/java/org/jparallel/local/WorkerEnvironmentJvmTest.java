package org.jparallel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.WorkerStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real worker JVMs ({@link ArchiveProbeMain} in a jar) started by {@link LocalWorker} with JVM options in
 * their environment: they start, and the options the launcher adds neither stop them nor are lost on them.
 */
class WorkerEnvironmentJvmTest {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
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

    /** Runs one probe worker to its end and returns its handle, stopped (so its after-exit step has run). */
    private WorkerHandle runToEnd(LocalWorker w) throws InterruptedException {
        LaunchSpec spec = new LaunchSpec(List.of(1), JAVA, List.of("-Xlog:class+load=info"), jar.toString(),
                ArchiveProbeMain.class.getName(), null, 5000, List.of(), "s3cret", tmp + "/out" + started.size() + "-%d.log");
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

    private static String output(WorkerHandle h) throws IOException {
        return Files.readString(Path.of(h.logLocation()));
    }

    private long archives() throws IOException {
        if (!Files.isDirectory(cache)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.toString().endsWith(".jsa")).count();
        }
    }

    @Test
    void aSmallMaximumHeapInJavaToolOptionsStillStartsTheWorker() throws Exception {
        LocalWorker w = WorkerEnvironmentTest.withEnvironment(new LocalWorker().classSharing(false),
                "JAVA_TOOL_OPTIONS", "-Xmx32m");
        WorkerHandle h = runToEnd(w);
        assertEquals(WorkerStatus.exited(0), h.status(), h.outputTail(5));
        assertTrue(output(h).contains("Picked up JAVA_TOOL_OPTIONS: -Xmx32m"), "the worker saw the variable");
        assertTrue(output(h).contains("probe ran"));
    }

    @Test
    void classSharingSwitchedOffInTheEnvironmentStillStartsTheWorker() throws Exception {
        // Java 17 refuses to start with -XX:ArchiveClassesAtExit beside -Xshare:off (Java 25 writes nothing)
        LocalWorker w = WorkerEnvironmentTest.withEnvironment(new LocalWorker().classSharingCache(cache),
                "JDK_JAVA_OPTIONS", "-Xshare:off");
        for (int i = 0; i < 2; i++) {
            WorkerHandle h = runToEnd(w);
            assertEquals(WorkerStatus.exited(0), h.status(), h.outputTail(5));
            assertTrue(output(h).contains("probe ran"));
        }
        assertEquals(0, archives());
    }

    @Test
    void aWorkerWhoseEnvironmentChangesTheJvmGetsAnArchiveOfItsOwn() throws Exception {
        WorkerHandle plain = runToEnd(WorkerEnvironmentTest.withEnvironment(new LocalWorker().classSharingCache(cache)));
        assertEquals(WorkerStatus.exited(0), plain.status(), plain.outputTail(5));
        assertEquals(1, archives(), "the plain workers' archive");
        // an archive written with compressed pointers is no use to a JVM without (Java 17 ignores it silently,
        // Java 25 says "Loading dynamic archive failed"): with its environment's options in the archive's key
        // the group writes one for it
        LocalWorker w = WorkerEnvironmentTest.withEnvironment(new LocalWorker().classSharingCache(cache),
                "JAVA_TOOL_OPTIONS", "-XX:-UseCompressedOops");
        WorkerHandle writer = runToEnd(w);
        assertEquals(WorkerStatus.exited(0), writer.status(), writer.outputTail(5));
        assertFalse(output(writer).contains("[error"), output(writer).lines().filter(l -> l.contains("cds")).toList()
                .toString());
        WorkerHandle user = runToEnd(w);
        assertEquals(WorkerStatus.exited(0), user.status(), user.outputTail(5));
        assertTrue(output(user).contains(FROM_ARCHIVE), "class loaded from an archive that fits");
        assertEquals(2, archives());
    }
}
