package org.jparallel.core.loop;

import io.netty.util.concurrent.AbstractEventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An event loop for tests that runs nothing by itself: it keeps what it accepts for {@link #runAll}, refuses
 * everything once {@link #stop}ped, and can hold its first refusal or an acceptance on latches, so a test can post
 * from another thread while a post is inside {@code execute} with a refusal or an acceptance on its way; it can also
 * refuse once while running, or accept a task and drop it as it terminates.
 */
final class StubExecutor extends AbstractEventExecutor {
    final Queue<Runnable> accepted = new ArrayDeque<>();
    final AtomicInteger executeCalls = new AtomicInteger();
    /** Counted down when the first refusal is held; the refusal waits for {@link #release}. */
    final CountDownLatch refusalHeld = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    /** Counted down when the first acceptance is held (see {@link #holdNextAcceptance}); it waits for the next. */
    final CountDownLatch acceptanceHeld = new CountDownLatch(1);
    final CountDownLatch releaseAcceptance = new CountDownLatch(1);
    private volatile boolean holdAcceptance;
    private volatile boolean stopped;
    private volatile boolean holdFirstRefusal;
    /** Refuses the next execute while running, as Netty does when its task queue is full. */
    private volatile boolean refuseNext;
    /** Accepts the next execute, then drops the task and stops. */
    private volatile boolean dropNext;

    void stop(boolean holdTheFirstRefusal) {
        holdFirstRefusal = holdTheFirstRefusal;
        stopped = true;
    }

    /** Refuses the next execute without stopping: a full task queue ({@code io.netty.eventLoop.maxPendingTasks}). */
    void refuseNextWhileRunning() {
        refuseNext = true;
    }

    /**
     * Accepts the next execute (it returns normally) but drops its task and is terminated from then on: Netty 4.2's
     * {@code SingleThreadEventExecutor.execute} when the loop shuts down between its queue check and its last
     * {@code confirmShutdown}.
     */
    void dropNextAndTerminate() {
        dropNext = true;
    }

    /**
     * Holds the next execute that accepts its task on {@link #acceptanceHeld} / {@link #releaseAcceptance}, before it
     * keeps the task and returns: a post inside {@code execute} whose drain the loop is going to accept.
     */
    void holdNextAcceptance() {
        holdAcceptance = true;
    }

    /** Runs what was accepted, in order, on the calling thread (which counts as the loop). */
    void runAll() {
        Runnable r;
        while ((r = poll()) != null) {
            r.run();
        }
    }

    private synchronized Runnable poll() {
        return accepted.poll();
    }

    @Override
    public void execute(Runnable task) {
        executeCalls.incrementAndGet();
        if (stopped) {
            if (holdFirstRefusal) {
                holdFirstRefusal = false;
                refusalHeld.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            throw new RejectedExecutionException("stopped");
        }
        if (dropNext) {
            dropNext = false;
            stopped = true;
            return;
        }
        if (refuseNext) {
            refuseNext = false;
            throw new RejectedExecutionException("task queue full");
        }
        if (holdAcceptance) {
            holdAcceptance = false;
            acceptanceHeld.countDown();
            try {
                releaseAcceptance.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            accepted.add(task);
        }
    }

    @Override
    public boolean inEventLoop(Thread thread) {
        return false;
    }

    @Override
    public boolean isShuttingDown() {
        return stopped;
    }

    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        stopped = true;
        return terminationFuture();
    }

    @Override
    public Future<?> terminationFuture() {
        return ImmediateEventExecutor.INSTANCE.newSucceededFuture(null);
    }

    @Override
    @Deprecated
    public void shutdown() {
        stopped = true;
    }

    @Override
    public boolean isShutdown() {
        return stopped;
    }

    @Override
    public boolean isTerminated() {
        return stopped;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return stopped;
    }
}
