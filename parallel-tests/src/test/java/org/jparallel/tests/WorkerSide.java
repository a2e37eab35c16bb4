package org.jparallel.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Code that runs inside worker JVMs, called from task and setup lambdas. Everything here is static,
 * so the counters live once per worker process and count what that worker did.
 */
public final class WorkerSide {

    /** Setup runs per key (one key per context) in this JVM. */
    private static final Map<String, AtomicInteger> SETUPS = new ConcurrentHashMap<>();

    private WorkerSide() {
    }

    /** @return the pid of the JVM this runs in */
    public static long pid() {
        return ProcessHandle.current().pid();
    }

    /**
     * Counts one run of the setup named {@code key} in this JVM.
     *
     * @return {@code "pid:count"}, count being how many times this JVM ran the setup {@code key} so far
     */
    public static String countSetup(String key) {
        int n = SETUPS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        return pid() + ":" + n;
    }

    /** Sleeps on the worker, then returns {@code value}. */
    public static <T> T sleepThenReturn(long millis, T value) throws InterruptedException {
        if (millis > 0) {
            Thread.sleep(millis);
        }
        return value;
    }

    /** A named frame for the remote stack trace: always throws. */
    public static long failingTask(int k) throws TaskBoom {
        throw new TaskBoom("boom in task " + k);
    }

    /** @return the SHA-256 of {@code data} */
    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A checked exception type that exists only in the test sources. */
    public static final class TaskBoom extends Exception {
        private static final long serialVersionUID = 1L;

        public TaskBoom(String message) {
            super(message);
        }
    }

    // ---- fault-tolerance helpers: files in a test's temp dir are the workers' way to tell the test what ran ----

    /** Appends {@code line} and a line break to {@code file} (one small O_APPEND write, so lines never mix). */
    public static void appendLine(String file, String line) throws IOException {
        Files.writeString(Path.of(file), line + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /** @return how many lines {@code file} has, 0 when it does not exist */
    public static int lineCount(String file) throws IOException {
        Path p = Path.of(file);
        return Files.exists(p) ? Files.readAllLines(p, StandardCharsets.UTF_8).size() : 0;
    }

    /**
     * Records this run as a line {@code "pid startMillis"} in {@code dir/name.starts}. On the first run
     * of {@code name} anywhere (no marker file yet) it then sleeps {@code millis}; a re-run returns at
     * once.
     *
     * @return this worker's pid
     */
    public static long sleepOnFirstRun(String dir, String name, long millis) throws IOException, InterruptedException {
        long start = System.currentTimeMillis();
        boolean first;
        try {
            Files.createFile(Path.of(dir, name + ".marker"));
            first = true;
        } catch (FileAlreadyExistsException e) {
            first = false;
        }
        appendLine(Path.of(dir, name + ".starts").toString(), pid() + " " + start);
        if (first) {
            Thread.sleep(millis);
        }
        return pid();
    }

    /** Appends {@code k} and this worker's pid to {@code runsFile}, sleeps {@code millis}, and returns {@code k}. */
    public static int recordThenSleep(String runsFile, int k, long millis) throws IOException, InterruptedException {
        appendLine(runsFile, k + " " + pid());
        Thread.sleep(millis);
        return k;
    }

    /** Appends this worker's pid to {@code runsFile}, then throws (a named frame for the remote stack trace). */
    public static long countedFailingTask(String runsFile, int k) throws IOException, TaskBoom {
        appendLine(runsFile, Long.toString(pid()));
        throw new TaskBoom("boom in counted task " + k + " on pid " + pid());
    }

    /**
     * Appends this worker's pid to {@code runsFile}; throws while the file has at most {@code failures}
     * lines, so the task fails {@code failures} times and then succeeds.
     *
     * @return the number of the run that succeeded
     */
    public static int flakyTask(String runsFile, int failures) throws IOException, TaskBoom {
        appendLine(runsFile, Long.toString(pid()));
        int run = lineCount(runsFile);
        if (run <= failures) {
            throw new TaskBoom("flaky failure on run " + run);
        }
        return run;
    }

    /** Ends this worker JVM with {@code System.exit(status)}, as a task that ends "its" program would. */
    public static long exitWorker(int status) {
        System.exit(status);
        return -1;
    }

    /** Kills this worker JVM at once, like a crash in native code: no shutdown hooks, no reply. */
    public static long haltWorker() {
        Runtime.getRuntime().halt(1);
        return -1;
    }

    /**
     * Sleeps {@code millis}; if interrupted, writes {@code "pid"} to {@code interruptedFile} and
     * rethrows, so the test can see the interrupt reached the task.
     */
    public static long sleepRecordingInterrupt(long millis, String interruptedFile) throws IOException, InterruptedException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            appendLine(interruptedFile, Long.toString(pid()));
            throw e;
        }
        return pid();
    }

    /** Burns CPU for {@code micros} microseconds, then returns {@code value}: a small task of a known length. */
    public static int spinMicrosThenReturn(long micros, int value) {
        long end = System.nanoTime() + micros * 1_000L;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        return value;
    }

    /** Burns CPU for {@code millis}, never looking at its interrupt flag: a task that cannot be stopped. */
    public static long spinIgnoringInterrupts(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        long spins = 0;
        while (System.nanoTime() < end) {
            spins++;
            Thread.onSpinWait();
        }
        return spins;
    }

    /**
     * Records {@code "pid"} in {@code startedFile}, then waits (polling; an interrupt ends the wait with
     * an {@link InterruptedException}) until {@code releaseFile} exists or {@code maxMillis} passes.
     *
     * @return this worker's pid
     */
    public static long startThenAwaitRelease(String startedFile, String releaseFile, long maxMillis)
            throws IOException, InterruptedException {
        appendLine(startedFile, Long.toString(pid()));
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        while (!Files.exists(Path.of(releaseFile)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return pid();
    }

    /** Sleeps on the worker; @return {@code "startNanos:endNanos"} of the sleep, by this JVM's clock */
    public static String timedSleep(long millis) throws InterruptedException {
        long start = System.nanoTime();
        Thread.sleep(millis);
        return start + ":" + System.nanoTime();
    }
}
