package org.jparallel.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class QuietSelfTest {
    @Test
    void thisJvmsCpuTimeGrowsWithWorkOnOneOfItsThreads() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isCurrentThreadCpuTimeSupported() && !QuietSelf.cpuNanosByThread().isEmpty());
        java.util.Map<String, Long> before = QuietSelf.cpuNanosByThread();
        long until = threads.getCurrentThreadCpuTime() + 20_000_000L;
        long sum = 0;
        while (threads.getCurrentThreadCpuTime() < until) {
            sum += sum * 31 + 1;
        }
        long used = QuietSelf.usedBetween(before, QuietSelf.cpuNanosByThread());
        assertTrue(used >= 20_000_000L, used + " ns (" + sum + ")");
    }
}
