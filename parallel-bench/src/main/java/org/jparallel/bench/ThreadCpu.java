package org.jparallel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads one thread's CPU time from Linux's {@code /proc/PID/task/TID/schedstat}: the one parse the benchmark's
 * tools (JitSettle, ColdProbe, ManyProbe, QuietSelf) share, so that they count CPU the same way.
 */
final class ThreadCpu {
    private ThreadCpu() {
    }

    /**
     * @param task a thread's directory, {@code /proc/PID/task/TID}
     * @return the nanoseconds the thread has run on a CPU (the first field of its {@code schedstat})
     * @throws IOException when the thread has ended or there is no {@code /proc}
     */
    static long nanos(Path task) throws IOException {
        return Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split("\\s+")[0]);
    }
}
