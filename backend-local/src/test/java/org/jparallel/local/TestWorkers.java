package org.jparallel.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerHandle;

/**
 * What the tests of local workers share: groups whose workers' environment the test chooses (so that the JVM
 * options in the environment the tests run in, e.g. a {@code JAVA_TOOL_OPTIONS}, change neither the options the
 * launcher adds nor the archive's key), the probe jar ({@link ArchiveProbeMain}), and running a probe to its end.
 */
final class TestWorkers {
    /** The manager's own java. */
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** The variables whose JVM options the workers' JVM reads ({@link EnvironmentOptions}). */
    static final List<String> VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");
    private static final long END_WAIT_SECONDS = 60;

    private TestWorkers() {
    }

    /** @return the group, its workers' environment having these variables (name, value, ...) and none of the others */
    static LocalWorker withEnvironment(LocalWorker w, String... namesAndValues) {
        for (String v : VARIABLES) {
            w.environment(v, null);
        }
        for (int i = 0; i < namesAndValues.length; i += 2) {
            w.environment(namesAndValues[i], namesAndValues[i + 1]);
        }
        return w;
    }

    /** @return a jar in {@code dir} holding {@link ArchiveProbeMain} alone */
    static Path probeJar(Path dir) throws IOException {
        Path jar = dir.resolve("probe.jar");
        String name = ArchiveProbeMain.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             InputStream in = ArchiveProbeMain.class.getClassLoader().getResourceAsStream(name)) {
            j.putNextEntry(new JarEntry(name));
            in.transferTo(j);
            j.closeEntry();
        }
        return jar;
    }

    /**
     * Starts the spec's one worker, waits for its process to end by itself, then stops the handle (so its
     * after-exit step, e.g. the archive's move into place, has run).
     *
     * @param started where the handle goes, for the test's clean-up
     * @return the handle
     */
    static WorkerHandle runToEnd(LocalWorker w, LaunchSpec spec, List<WorkerHandle> started)
            throws InterruptedException {
        LocalProcessHandle h = (LocalProcessHandle) w.start(spec).get(0);
        started.add(h);
        // absent: it never started, or has ended and been reaped already
        Optional<ProcessHandle> process = h.pid() < 0 ? Optional.empty() : ProcessHandle.of(h.pid());
        if (process.isPresent()) {
            try {
                process.get().onExit().get(END_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("the probe did not end in " + END_WAIT_SECONDS + " s: " + h.outputTail(20), e);
            } catch (ExecutionException e) {
                throw new AssertionError("waiting for the probe's end failed", e);
            }
        }
        h.stop();
        return h;
    }
}
