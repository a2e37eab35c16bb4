package org.jparallel.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QuietSelfTest {
    @Test
    void thisJvmsCpuTimeGrowsWithWorkOnOneOfItsThreads() {
        long before = QuietSelf.cpuNanos();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long until = threads.getCurrentThreadCpuTime() + 20_000_000L;
        long sum = 0;
        while (threads.getCurrentThreadCpuTime() < until) {
            sum += sum * 31 + 1;
        }
        long after = QuietSelf.cpuNanos();
        assertTrue(before >= 0 && after - before >= 20_000_000L, before + " -> " + after + " (" + sum + ")");
    }
}
