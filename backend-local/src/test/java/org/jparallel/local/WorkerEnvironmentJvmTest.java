package org.jparallel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    /** Runs one probe worker to its end and returns its handle, stopped (so its after-exit step has run). */
    private WorkerHandle runToEnd(LocalWorker w) throws InterruptedException {
        return TestWorkers.runToEnd(w, new LaunchSpec(List.of(1), TestWorkers.JAVA, List.of("-Xlog:class+load=info"),
                jar.toString(), ArchiveProbeMain.class.getName(), null, 5000, List.of(), "s3cret",
                tmp + "/out" + started.size() + "-%d.log"), started);
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
        // on a smaller machine no initial heap is added at all, so nothing would be tested
        assumeTrue(MachineMemory.bytes() >= InitialHeap.MIN_MACHINE_BYTES, "a machine with less memory adds no -Xms");
        LocalWorker w = TestWorkers.withEnvironment(new LocalWorker().classSharing(false),
                "JAVA_TOOL_OPTIONS", "-Xmx32m");
        WorkerHandle h = runToEnd(w);
        assertEquals(WorkerStatus.exited(0), h.status(), h.outputTail(5));
        assertTrue(output(h).contains("Picked up JAVA_TOOL_OPTIONS: -Xmx32m"), "the worker saw the variable");
        assertTrue(output(h).contains("probe ran"));
    }

    @Test
    void classSharingSwitchedOffInTheEnvironmentStillStartsTheWorker() throws Exception {
        LocalWorker w = TestWorkers.withEnvironment(new LocalWorker().classSharingCache(cache),
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
        WorkerHandle plain = runToEnd(TestWorkers.withEnvironment(new LocalWorker().classSharingCache(cache)));
        assertEquals(WorkerStatus.exited(0), plain.status(), plain.outputTail(5));
        assertEquals(1, archives(), "the plain workers' archive");
        // an archive written with compressed pointers is no use to a JVM without (it runs with no class sharing at
        // all then): with its environment's options in the archive's key, and given to the JVMs that write and map
        // the archive, the group writes one for it
        LocalWorker w = TestWorkers.withEnvironment(new LocalWorker().classSharingCache(cache),
                "JAVA_TOOL_OPTIONS", "-XX:-UseCompressedOops");
        WorkerHandle writer = runToEnd(w);
        assertEquals(WorkerStatus.exited(0), writer.status(), writer.outputTail(5));
        try (Stream<Path> files = Files.list(cache)) {
            assertFalse(files.anyMatch(f -> f.toString().endsWith(ClassSharing.FAILED_NOTE_SUFFIX)),
                    "the archive's writing, with the environment's option, did not fail");
        }
        WorkerHandle user = runToEnd(w);
        assertEquals(WorkerStatus.exited(0), user.status(), user.outputTail(5));
        assertTrue(output(user).contains(FROM_ARCHIVE), "class loaded from an archive that fits");
        assertEquals(2, archives());
    }
}
