package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jparallel.Manager;
import org.jparallel.ManagerBuilder;
import org.jparallel.WorkerInfo;

/** Helpers for the end-to-end tests: managers writing worker output to a temp dir, polling with deadlines. */
final class TestSupport {

    private TestSupport() {
    }

    /** @return a builder whose workers write their output under {@code dir}, never the working directory */
    static ManagerBuilder builder(Path dir) {
        return Manager.builder().outputPattern(dir.resolve("worker%d.output").toString());
    }

    /** @return the output file of worker {@code id} under the pattern of {@link #builder(Path)} */
    static Path outputFile(Path dir, int id) {
        return dir.resolve("worker" + id + ".output");
    }

    /**
     * Polls {@code condition} every 20 ms until it holds or {@code timeout} passes; then fails with
     * {@code message}. A bounded poll, not a sleep used as synchronisation.
     */
    static void pollUntil(Duration timeout, BooleanSupplier condition, Supplier<String> message) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("Timed out after " + timeout + ": " + message.get());
            }
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while polling: " + message.get());
            }
        }
    }

    /** Waits until {@code n} workers of {@code manager} are CONNECTED; fails at once if one FAILED. */
    static List<WorkerInfo> awaitConnected(Manager manager, int n, Duration timeout) {
        pollUntil(timeout, () -> {
            List<WorkerInfo> ws = manager.workers();
            for (WorkerInfo w : ws) {
                if (w.state() == WorkerInfo.State.FAILED || w.state() == WorkerInfo.State.LOST) {
                    fail("worker " + w.id() + " is " + w.state() + " before all connected: " + w.detail());
                }
            }
            return ws.stream().filter(w -> w.state() == WorkerInfo.State.CONNECTED).count() >= n;
        }, () -> "waiting for " + n + " CONNECTED workers; have " + describe(manager.workers()));
        return manager.workers();
    }

    static String describe(List<WorkerInfo> workers) {
        return workers.stream().map(w -> w.id() + "=" + w.state() + "(pid " + w.pid() + ")")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** @return whether process {@code pid} exists and is alive */
    static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
