package org.jparallel.tests.ssh;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;

/** Bounded polls for the SSH end-to-end tests. */
final class SshPolling {
    private SshPolling() {
    }

    /** Polls {@code condition} every 20 ms until it holds; fails with {@code message} after {@code timeout}. */
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
                fail("interrupted: " + message.get());
            }
        }
    }

    /** Waits until {@code n} workers are CONNECTED; fails at once when one FAILED or was LOST. */
    static List<WorkerInfo> awaitConnected(Manager manager, int n, Duration timeout) {
        pollUntil(timeout, () -> {
            for (WorkerInfo w : manager.workers()) {
                if (w.state() == WorkerInfo.State.FAILED || w.state() == WorkerInfo.State.LOST) {
                    fail("worker " + w.id() + " is " + w.state() + " before all connected: " + w.detail());
                }
            }
            return manager.workers().stream().filter(w -> w.state() == WorkerInfo.State.CONNECTED).count() >= n;
        }, () -> "waiting for " + n + " CONNECTED workers; have " + describe(manager.workers()));
        return manager.workers();
    }

    /** Waits until worker {@code id} is FAILED and returns it. */
    static WorkerInfo awaitFailed(Manager manager, Duration timeout) {
        pollUntil(timeout, () -> manager.workers().stream().anyMatch(w -> w.state() == WorkerInfo.State.FAILED),
                () -> "waiting for a FAILED worker; have " + describe(manager.workers()));
        return manager.workers().stream().filter(w -> w.state() == WorkerInfo.State.FAILED).findFirst().orElseThrow();
    }

    static String describe(List<WorkerInfo> workers) {
        return workers.stream().map(w -> w.id() + "=" + w.state() + "(" + w.description() + ", pid " + w.pid() + ")"
                + (w.detail().isEmpty() ? "" : ": " + w.detail())).collect(Collectors.joining(", ", "[", "]"));
    }
}
