package org.jparallel.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Tells when the worker JVMs' JIT compilers have settled, so a warm figure is taken warm. A warm-up of a
 * fixed time is not enough with more workers than cores: each JVM's compilers get a share of a core, and
 * with 8 workers on 2 cores their compiler threads still took half of the workers' CPU in the measured
 * part after 15 s of warm-up (6.0 s of 11.5 s over 1,000,000 trivial tasks, measured on a loaded machine).
 * Reads the CPU time of the workers' threads from {@code /proc} (Linux); elsewhere, or when a worker
 * cannot be read, it reports the compilers settled.
 */
final class JitSettle {
    /** The compilers have settled when they take at most this share of the workers' CPU. */
    static final double SETTLED_SHARE = 0.05;

    private final List<Long> workers;
    private long compilers;
    private long all;

    /** Watches the worker JVMs that are children of this one. */
    JitSettle() {
        this(ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains("WorkerMain")).map(ProcessHandle::pid).toList());
    }

    /** Watches the JVMs of the given process ids (this one's own, for a limit measured in a JVM of its own). */
    JitSettle(List<Long> pids) {
        workers = pids;
        sample();
    }

    /**
     * @return the share of the workers' CPU their JIT compiler threads took since the last call (or since
     *     this was made); 0 when it cannot be read
     */
    double compilerShareSinceLast() {
        long c = compilers;
        long a = all;
        if (!sample() || all == a) {
            return 0;
        }
        return (compilers - c) / (double) (all - a);
    }

    private boolean sample() {
        long c = 0;
        long a = 0;
        for (long pid : workers) {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path t : tasks) {
                    long ns = ThreadCpu.nanos(t);
                    a += ns;
                    if (isCompiler(Files.readString(t.resolve("comm")).trim())) {
                        c += ns;
                    }
                }
            } catch (IOException | RuntimeException e) {
                return false; // not Linux, or the worker or a thread ended meanwhile
            }
        }
        compilers = c;
        all = a;
        return true;
    }

    /** @return true for the name HotSpot gives its compiler threads ("C2 CompilerThre" in /proc, cut at 15 chars) */
    static boolean isCompiler(String threadName) {
        return threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre");
    }
}
