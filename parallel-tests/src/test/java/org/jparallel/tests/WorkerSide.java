package org.jparallel.tests;

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
}
