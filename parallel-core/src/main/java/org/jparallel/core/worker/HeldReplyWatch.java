package org.jparallel.core.worker;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Sends the replies the task thread held back for a batch but then kept waiting, because the task
 * after them runs long (see {@link ReplyBatch}). Armed by a read, it looks every
 * {@link #HELD_CHECK_MILLIS} while replies are held and every {@link #BUSY_CHECK_MILLIS} while the
 * task thread is otherwise busy, and stops when that thread is idle.
 *
 * <p>It runs on a timer thread of its own, not as a task scheduled on the network thread: Netty's NIO
 * loop polls without sleeping for the last half millisecond before each task scheduled on it, so a
 * check every 5 to 20 ms there kept each busy worker's network thread spinning for 2.5 to 10% of its
 * time (4 workers ran 6-7% slower, measured).
 */
final class HeldReplyWatch implements AutoCloseable {
    /** How often it looks while replies are held. */
    static final long HELD_CHECK_MILLIS = 5;
    /** How often it looks while the task thread is busy and holds none. */
    static final long BUSY_CHECK_MILLIS = 20;

    private final TaskRunner runner;
    private final BooleanSupplier sessionOpen;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final Runnable check = this::check;
    private ScheduledExecutorService timer;
    private boolean closed;

    /**
     * @param runner the task thread whose replies are watched
     * @param sessionOpen true while the session's connection is open
     */
    HeldReplyWatch(TaskRunner runner, BooleanSupplier sessionOpen) {
        this.runner = runner;
        this.sessionOpen = sessionOpen;
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

    private void scheduleNextOrDisarm() {
        if (sessionOpen.getAsBoolean() && runner.busy()) {
            schedule(runner.holding() ? HELD_CHECK_MILLIS : BUSY_CHECK_MILLIS);
            return;
        }
        armed.set(false);
        // a read between the look and the disarm found the watch still armed and left it to this check
        if (sessionOpen.getAsBoolean() && runner.busy()) {
            arm();
        }
    }

    private void schedule(long millis) {
        ScheduledExecutorService t = timer();
        if (t == null) {
            return; // closed
        }
        try {
            t.schedule(check, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile: nothing left to watch
        }
    }

    private synchronized ScheduledExecutorService timer() {
        if (timer == null && !closed) {
            // made when the first task arrives, not with the session
            timer = new ScheduledThreadPoolExecutor(1, new ThreadFactory() {
                @Override
                public Thread newThread(Runnable r) {
                    Thread t = new Thread(r, "jparallel-held-replies");
                    t.setDaemon(true);
                    return t;
                }
            });
        }
        return timer;
    }

    /** Stops the timer thread. */
    @Override
    public synchronized void close() {
        closed = true;
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
