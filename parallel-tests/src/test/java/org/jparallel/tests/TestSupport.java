package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jparallel.Manager;
import org.jparallel.ManagerBuilder;
import org.jparallel.WorkerInfo;

/** Helpers for the end-to-end tests: managers writing worker output to a temp dir, polling with deadlines. */
public final class TestSupport {

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
    public static void pollUntil(Duration timeout, BooleanSupplier condition, Supplier<String> message) {
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
    public static List<WorkerInfo> awaitConnected(Manager manager, int n, Duration timeout) {
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

    /** Waits until a worker of {@code manager} is FAILED and returns it. */
    public static WorkerInfo awaitFailed(Manager manager, Duration timeout) {
        pollUntil(timeout, () -> manager.workers().stream().anyMatch(w -> w.state() == WorkerInfo.State.FAILED),
                () -> "waiting for a FAILED worker; have " + describe(manager.workers()));
        return manager.workers().stream().filter(w -> w.state() == WorkerInfo.State.FAILED).findFirst().orElseThrow();
    }

    /** @return each worker's id, state, description, pid and detail, for failure messages */
    public static String describe(List<WorkerInfo> workers) {
        return workers.stream().map(w -> w.id() + "=" + w.state() + "(" + w.description() + ", pid " + w.pid() + ")"
                + (w.detail().isEmpty() ? "" : ": " + w.detail())).collect(Collectors.joining(", ", "[", "]"));
    }

    /** @return whether process {@code pid} exists and is alive */
    static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * @return whether process {@code pid} still runs: alive and not a zombie. An orphaned worker whose
     *     new parent does not reap it stays a zombie after it exits, which {@link #isAlive} may count.
     */
    static boolean isRunning(long pid) {
        if (!isAlive(pid)) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            int close = stat.lastIndexOf(')');
            return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
        } catch (NoSuchFileException gone) {
            return false;
        } catch (IOException | RuntimeException e) {
            return true; // no /proc: trust isAlive
        }
    }

    /** Kills process {@code pid} with SIGKILL (kill -9). */
    static void kill9(long pid) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        h.ifPresent(ProcessHandle::destroyForcibly);
    }

    /** Sends {@code signal} (e.g. {@code STOP}) to {@code pid} with the kill command; fails if it does not succeed. */
    static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("kill -" + signal + " " + pid + " failed: " + out);
        }
    }

    /** Waits until process {@code pid} no longer runs; fails after {@code timeout}. */
    static void awaitGone(long pid, Duration timeout, String what) {
        pollUntil(timeout, () -> !isRunning(pid), () -> what + " (pid " + pid + ") still runs");
    }

    /** @return the pids of the CONNECTED workers of {@code manager} */
    static List<Long> connectedPids(Manager manager) {
        return manager.workers().stream().filter(w -> w.state() == WorkerInfo.State.CONNECTED)
                .map(WorkerInfo::pid).collect(Collectors.toList());
    }

    /** @return the lines of {@code file}, or none when it does not exist yet */
    public static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** @return every worker output file under {@code dir}, concatenated, for failure messages */
    static String workerOutputs(Path dir) {
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(".output")).sorted().forEach(f -> {
                b.append("\n==== ").append(f.getFileName()).append(" ====\n");
                try {
                    b.append(Files.readString(f, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    b.append(e);
                }
            });
        } catch (IOException e) {
            b.append(e);
        }
        return b.toString();
    }

    /** @return the index of the first of {@code lines} that contains {@code part}, or -1 (a class-loading log's line) */
    static int indexOfLine(List<String> lines, String part) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }
}
