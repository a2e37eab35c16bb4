package org.jparallel.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.RejectedExecutionHandlers;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real Netty loop whose task queue is bounded ({@code maxPendingTasks}, given to its constructor here, so that no
 * system property leaks into other tests) and full: a post is neither refused nor lost, off the loop (it waits for
 * room) or on it (it schedules its drain). It used to throw while its item stayed queued for the next drain, so the
 * manager abandoned a task that the dispatcher then got.
 */
class LoopInboxFullQueueTest {
    /** Netty's least bound. */
    private static final int MAX_PENDING = 16;

    /** Released at each refusal of the loop's full queue. */
    private final Semaphore refusals = new Semaphore(0);
    private final DefaultEventExecutor loop = new DefaultEventExecutor(null, (java.util.concurrent.ThreadFactory) r -> new Thread(r, "full-loop"),
            MAX_PENDING, (task, executor) -> {
                refusals.release();
                RejectedExecutionHandlers.reject().rejected(task, executor);
            });
    private final BlockingQueue<String> handled = new LinkedBlockingQueue<>();
    private final LoopInbox<String> inbox = new LoopInbox<>(loop, batch -> handled.add("batch " + batch));
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Holds the loop in a task, then fills its queue until it refuses one. */
    private void blockAndFill(Runnable whileBlocked) throws InterruptedException {
        loop.execute(() -> {
            running.countDown();
            await(release);
            whileBlocked.run();
        });
        assertTrue(running.await(10, TimeUnit.SECONDS));
        for (int i = 0; i <= MAX_PENDING; i++) {
            try {
                loop.execute(() -> { });
            } catch (RejectedExecutionException full) {
                refusals.acquire();
                return;
            }
        }
        throw new AssertionError("the loop took more than " + MAX_PENDING + " tasks");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aPostOffTheLoopWaitsForRoomAndItsItemIsHandled() throws Exception {
        blockAndFill(() -> { });
        CompletableFuture<Throwable> post = new CompletableFuture<>();
        Thread poster = new Thread(() -> {
            try {
                inbox.add("a");
                post.complete(null);
            } catch (Throwable e) {
                post.complete(e);
            }
        }, "poster");
        poster.start();
        assertTrue(refusals.tryAcquire(10, TimeUnit.SECONDS), "the full loop refused the post's drain");
        release.countDown();
        assertNull(post.get(10, TimeUnit.SECONDS), "the post waited for room instead of failing");
        assertEquals("batch [a]", handled.poll(10, TimeUnit.SECONDS));
        inbox.add("b");
        assertEquals("batch [b]", handled.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void aPostOnTheLoopSchedulesItsDrainAndItsItemIsHandled() throws Exception {
        CompletableFuture<Throwable> post = new CompletableFuture<>();
        CountDownLatch filled = new CountDownLatch(1);
        blockAndFill(() -> {
            await(filled);
            try {
                inbox.addAll(List.of("x", "y"));
                post.complete(null);
            } catch (Throwable e) {
                post.complete(e);
            }
        });
        filled.countDown();
        release.countDown();
        assertNull(post.get(10, TimeUnit.SECONDS), "the post on the loop did not fail");
        assertTrue(refusals.tryAcquire(10, TimeUnit.SECONDS), "the full loop refused the post's drain");
        assertEquals("batch [x, y]", handled.poll(10, TimeUnit.SECONDS));
    }
}
