package org.jparallel.core.loop;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * Makes the NIO event loops of the manager and the workers. Their one difference from Netty's own:
 * a loop whose next scheduled task is due in less than a millisecond sleeps a millisecond rather than
 * polling without sleep. Netty's NIO loop rounds its select timeout to the nearest millisecond, and
 * below half a millisecond it polls and loops until the task is due: every heartbeat, idle check or
 * time-out scheduled on a loop cost up to half a millisecond of a core, and a manager with many idle
 * workers (a heartbeat each) is nearly always within half a millisecond of one.
 * Scheduled tasks run up to a millisecond late instead; none of jparallel's needs more precision.
 */
public final class EventLoops {
    private static final long MIN_SLEEP_NANOS = 1_000_000;

    private EventLoops() {
    }

    /**
     * @return a group of {@code threads} NIO event loops whose threads {@code threads} makes; for one thread, the
     *     loop itself (a loop is a group of one), which unlike a group of one ends without Netty's global executor:
     *     a group's termination notifies it through that executor, whose thread is not a daemon and lingers a
     *     second, so a program that closed its manager ended up to a second after its main thread
     */
    public static EventLoopGroup nio(int threads, ThreadFactory threadFactory) {
        if (threads == 1) {
            return new SleepingEventLoop(null, new ThreadPerTaskExecutor(threadFactory), NioIoHandler.newFactory());
        }
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, NioIoHandler.newFactory()) {
            @Override
            protected IoEventLoop newChild(Executor executor, IoHandlerFactory ioHandlerFactory, Object... args) {
                return new SleepingEventLoop(this, executor, ioHandlerFactory);
            }
        };
    }

    /** An event loop that never waits less than a millisecond for a scheduled task that is not yet due. */
    private static final class SleepingEventLoop extends SingleThreadIoEventLoop {
        SleepingEventLoop(IoEventLoopGroup parent, Executor executor, IoHandlerFactory ioHandlerFactory) {
            super(parent, executor, ioHandlerFactory);
        }

        @Override
        protected long delayNanos(long currentTimeNanos) {
            long delay = super.delayNanos(currentTimeNanos);
            return delay > 0 && delay < MIN_SLEEP_NANOS ? MIN_SLEEP_NANOS : delay;
        }
    }
}
