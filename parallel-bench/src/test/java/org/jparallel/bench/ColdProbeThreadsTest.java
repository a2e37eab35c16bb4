package org.jparallel.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ColdProbe#threadsByKind}: each thread's CPU filed under what it does. */
class ColdProbeThreadsTest {
    /**
     * The launcher runs {@code main} on a thread of its own that the kernel knows by the launcher's name, "java", not
     * "main" (HotSpot names only the threads it starts): this test runs on such a thread (surefire's forked JVM).
     */
    @Test
    void theLaunchersMainThreadIsFiledAsMainNotOther() throws Exception {
        assertEquals("main", Thread.currentThread().getName(), "surefire runs the tests on the JVM's main thread");
        // 50 ms of this thread's CPU, well above a clock tick, counted by the JVM (not the wall clock: a busy
        // machine may take the core away meanwhile)
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isCurrentThreadCpuTimeSupported());
        long spin = threads.getCurrentThreadCpuTime() + 50_000_000L;
        long sum = 0;
        while (threads.getCurrentThreadCpuTime() < spin) {
            sum += sum * 31 + 1;
        }
        Map<String, Long> kinds = ColdProbe.threadsByKind(ProcessHandle.current().pid());
        assertTrue(kinds.getOrDefault("main", 0L) >= 40_000_000L, kinds + " (" + sum + ")");
    }

    @Test
    void aWorkersMainThreadIsItsReaderAndTheLaunchersFirstThreadIsOther() {
        assertEquals("net", ColdProbe.kindOf("java", false, "net"), "the worker's main thread serves its connection");
        assertEquals("main", ColdProbe.kindOf("java", false, "main"));
        assertEquals("other", ColdProbe.kindOf("java", true, "net"), "the process's first thread only waits for main");
        assertEquals("task", ColdProbe.kindOf("jparallel-task-", false, "net"));
        assertEquals("C2", ColdProbe.kindOf("C2 CompilerThre", false, "net"));
    }
}
