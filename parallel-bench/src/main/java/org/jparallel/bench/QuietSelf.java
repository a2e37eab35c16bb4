package org.jparallel.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Waits until the benchmark's own JVM is quiet before it measures the limits that tell a noisy machine: just
 * after its start its JIT compilers are still busy, and hello worlds started beside them took 45-57 ms where
 * they took 35 once it was quiet (2026-12-07), which flagged a run whose machine had not changed. Reads the CPU
 * time of this JVM's threads from {@code /proc} (Linux); elsewhere it does not wait.
 */
final class QuietSelf {
    /** Quiet: this JVM's threads used at most this share of one core over {@link #WINDOW_MILLIS}. */
    static final double QUIET_SHARE = 0.05;
    /** The window over which this JVM's CPU is read. */
    static final long WINDOW_MILLIS = 250;

    private QuietSelf() {
    }

    /**
     * Waits until this JVM is quiet or {@code maxMillis} have passed.
     *
     * @return milliseconds waited
     */
    static long await(long maxMillis) throws InterruptedException {
        long start = System.nanoTime();
        Map<String, Long> before = cpuNanosByThread();
        while (!before.isEmpty() && (System.nanoTime() - start) / 1_000_000 < maxMillis) {
            Thread.sleep(WINDOW_MILLIS);
            Map<String, Long> now = cpuNanosByThread();
            if (usedBetween(before, now) <= QUIET_SHARE * WINDOW_MILLIS * 1_000_000) {
                break;
            }
            before = now;
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** @return the CPU this JVM's threads used between two samples (a thread that ended meanwhile is left out) */
    static long usedBetween(Map<String, Long> before, Map<String, Long> after) {
        long used = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            Long b = before.get(e.getKey());
            used += b == null ? e.getValue() : Math.max(0, e.getValue() - b); // a thread started meanwhile: all of it
        }
        return used;
    }

    /** @return the CPU time of each of this JVM's threads by thread id, nanoseconds; empty when it cannot be read */
    static Map<String, Long> cpuNanosByThread() {
        Map<String, Long> byThread = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                try {
                    byThread.put(t.getFileName().toString(),
                            ThreadCpu.nanos(t));
                } catch (IOException | RuntimeException e) {
                    // a thread that ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return byThread;
    }
}
