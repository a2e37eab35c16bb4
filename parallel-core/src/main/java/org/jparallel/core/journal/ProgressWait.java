package org.jparallel.core.journal;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Waits for a thread that may be stuck in a call no interrupt ends (a write to a disk that stopped answering) as
 * long as it gets on, and no longer: a close must wait for a slow disk's backlog, however long, and must end on a
 * dead disk.
 */
final class ProgressWait {
    private ProgressWait() {
    }

    /**
     * Waits for {@code thread} to end, interrupts or not (the flag is kept), as long as {@code progress} moves on at
     * least every {@code boundMillis}.
     *
     * @return whether the thread ended
     */
    static boolean join(Thread thread, LongSupplier progress, long boundMillis) {
        return join(thread, progress, boundMillis, System::nanoTime);
    }

    /**
     * {@link #join(Thread, LongSupplier, long)} on the clock {@code nanoClock} (a test's fake): the bound is counted
     * on that clock, read just before each look at {@code progress}; between two looks the thread is joined for at
     * most {@code boundMillis / 10} real milliseconds.
     *
     * @param nanoClock the time in nanoseconds, as {@link System#nanoTime} gives it
     * @return whether the thread ended
     */
    static boolean join(Thread thread, LongSupplier progress, long boundMillis, LongSupplier nanoClock) {
        long bound = TimeUnit.MILLISECONDS.toNanos(boundMillis);
        long slice = Math.max(1, boundMillis / 10);
        long seen = progress.getAsLong();
        long deadline = nanoClock.getAsLong() + bound;
        boolean interrupted = false;
        try {
            while (true) {
                long now = nanoClock.getAsLong();
                long p = progress.getAsLong();
                if (p != seen) { // it got on: the bound counts from now
                    seen = p;
                    deadline = now + bound;
                }
                long left = deadline - now;
                if (left <= 0) {
                    return !thread.isAlive();
                }
                try {
                    thread.join(Math.max(1, Math.min(slice, TimeUnit.NANOSECONDS.toMillis(left))));
                    if (!thread.isAlive()) {
                        return true;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
