package org.jparallel.core.worker.startup;

import java.io.File;
import java.io.IOException;

/**
 * This JVM's process id, for the worker's first log line and its HELLO. {@code ProcessHandle.current()}
 * initialises {@code ProcessHandleImpl}, whose static set-up builds the process reaper's thread pool and
 * links its lambdas: 17-26 ms in a fresh JVM on a 2-core machine, on the worker's main thread before it
 * connects (issue 24, a fresh worker's start). On Linux the kernel names the process in {@code /proc/self},
 * a symbolic link resolved in well under a millisecond; elsewhere, or when that fails, {@code ProcessHandle}
 * answers. Looked up once.
 */
public final class ProcessId {
    private static final File PROC_SELF = new File("/proc/self");
    private static volatile long cached = -1;

    private ProcessId() {
    }

    /** @return this process's id; looked up once */
    public static long get() {
        long pid = cached;
        if (pid < 0) {
            pid = lookUp(PROC_SELF);
            cached = pid;
        }
        return pid;
    }

    /**
     * @param procSelf the link naming the running process on Linux
     * @return the number {@code procSelf} resolves to, else {@code ProcessHandle.current().pid()}
     */
    static long lookUp(File procSelf) {
        try {
            String name = procSelf.getCanonicalFile().getName();
            if (isDecimal(name)) {
                return Long.parseLong(name);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no procfs: ask the JDK
        }
        return ProcessHandle.current().pid();
    }

    /** A loop, not a stream: a lambda's first linking costs milliseconds in a fresh JVM. */
    private static boolean isDecimal(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
