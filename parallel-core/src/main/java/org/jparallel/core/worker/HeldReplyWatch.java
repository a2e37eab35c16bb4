package org.jparallel.core.worker;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Sends the replies the task thread held back for a batch but then kept waiting, because the task
 * after them runs long (see {@link ReplyBatch}). Armed by a read, it looks every
 * {@link #HELD_CHECK_MILLIS} while replies are held and every {@link #BUSY_CHECK_MILLIS} while the
 * task thread is otherwise busy, and stops when that thread is idle.
 *
 * <p>It runs on the session's network thread. That thread's loop comes from {@code EventLoops},
 * which sleeps until a scheduled check is due: Netty's own NIO loop polls without sleeping for the
 * last half millisecond before each task scheduled on it, which would make these checks a steady
 * cost to a busy worker's network thread.
 */
final class HeldReplyWatch implements AutoCloseable {
    /** How often it looks while replies are held. */
    static final long HELD_CHECK_MILLIS = 5;
    /** How often it looks while the task thread is busy and holds none. */
    static final long BUSY_CHECK_MILLIS = 20;

    private final TaskRunner runner;
    private final BooleanSupplier sessionOpen;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean armed = new AtomicBoolean();
    /** A class, not {@code this::check}: made on a fresh worker's path to its first result (see BlockingSession). */
    private final Runnable check = new Runnable() {
        @Override
        public void run() {
            check();
        }
    };
    private volatile boolean closed;

    /**
     * @param runner the task thread whose replies are watched
     * @param sessionOpen true while the session's connection is open
     * @param executor where the checks run: the session's network thread
     */
    HeldReplyWatch(TaskRunner runner, BooleanSupplier sessionOpen, ScheduledExecutorService executor) {
        this.runner = runner;
        this.sessionOpen = sessionOpen;
        this.executor = executor;
    }

    /** Starts looking, unless it already does; callable from any thread. */
    void arm() {
        if (armed.compareAndSet(false, true)) {
            schedule(HELD_CHECK_MILLIS);
        }
    }

    private void check() {
        try {
            runner.sendHeldOlderThan(HELD_CHECK_MILLIS * 1_000_000L / 2);
        } finally {
            // even when sending failed: a watch left armed but unscheduled would never look again
            scheduleNextOrDisarm();
        }
    }

    private boolean watching() {
        return !closed && sessionOpen.getAsBoolean() && runner.busy();
    }

    private void scheduleNextOrDisarm() {
        if (watching()) {
            schedule(runner.holding() ? HELD_CHECK_MILLIS : BUSY_CHECK_MILLIS);
            return;
        }
        armed.set(false);
        // a read between the look and the disarm found the watch still armed and left it to this check
        if (watching()) {
            arm();
        }
    }

    private void schedule(long millis) {
        if (closed) {
            return;
        }
        try {
            executor.schedule(check, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the loop is shutting down: nothing left to watch
        }
    }

    /** Stops looking; a check already scheduled finds the watch closed and does nothing more. */
    @Override
    public void close() {
        closed = true;
    }
}
