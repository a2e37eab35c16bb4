package org.jparallel.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.DefaultEventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jparallel.core.leaks.NoLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Items and commands reach the loop in the order they were queued; run on an EmbeddedChannel's loop, step by step. */
@ExtendWith(NoLeaks.class)
class LoopInboxTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<String> log = new ArrayList<>();
    private final LoopInbox<String> inbox = new LoopInbox<>(channel.eventLoop(), batch -> log.add("batch " + batch));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void commandsRunBetweenTheBatchesOfTheItemsQueuedBeforeAndAfterThem() {
        inbox.add("a");
        inbox.add("b");
        inbox.execute(() -> log.add("command 1"));
        inbox.addAll(List.of("c", "d"));
        inbox.execute(() -> log.add("command 2"));
        channel.runPendingTasks();
        assertEquals(List.of("batch [a, b]", "command 1", "batch [c, d]", "command 2"), log);
    }

    @Test
    void aCommandQueuedFromTheLoopDuringADrainRunsInThatDrainAfterWhatWasQueuedBeforeIt() {
        inbox.execute(() -> {
            log.add("outer");
            inbox.add("x");
            inbox.execute(() -> log.add("inner"));
        });
        channel.runPendingTasks();
        assertEquals(List.of("outer", "batch [x]", "inner"), log);
    }

    @Test
    void aCommandThatThrowsStrandsNothingQueuedBehindIt() {
        inbox.execute(() -> {
            throw new IllegalStateException("boom");
        });
        inbox.add("after");
        inbox.execute(() -> log.add("command after"));
        channel.runPendingTasks(); // stops at the failure, which the channel keeps
        assertThrows(IllegalStateException.class, channel::checkException);
        channel.runPendingTasks();
        assertEquals(List.of("batch [after]", "command after"), log);
    }

    /**
     * A stopped loop refuses every post, not only the first: the refused drain must not leave the inbox believing one
     * is scheduled, or whatever comes next is queued for a drain that never comes (a manager's query then waited its
     * 10 s, a task submitted after a refused one was neither refused nor run).
     */
    @Test
    void aStoppedLoopRefusesEveryPostNotOnlyTheFirst() {
        DefaultEventExecutor stopped = new DefaultEventExecutor();
        stopped.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        LoopInbox<String> refusing = new LoopInbox<>(stopped, batch -> log.add("batch " + batch));
        assertThrows(RejectedExecutionException.class, () -> refusing.execute(() -> log.add("command")));
        assertThrows(RejectedExecutionException.class, () -> refusing.add("item"), "the second post");
        assertThrows(RejectedExecutionException.class, () -> refusing.addAll(List.of("a", "b")), "the third");
        assertEquals(List.of(), log);
    }

    /**
     * A post made while another post's drain is being refused (that post inside {@code loop.execute}, the refusal on
     * its way) is refused too: it used to find the drain claimed and return normally, its item queued for a drain
     * that never came. After the refusal every post is refused without asking the loop again.
     */
    @Test
    void aPostOverlappingARefusedDrainIsRefusedTooAndEveryPostAfterIt() throws Exception {
        StubExecutor loop = new StubExecutor();
        LoopInbox<String> refusing = new LoopInbox<>(loop, batch -> log.add("batch " + batch));
        loop.stop(true);
        java.util.concurrent.CompletableFuture<Throwable> first = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                refusing.add("first");
                first.complete(null);
            } catch (Throwable e) {
                first.complete(e);
            }
        }, "first-post");
        t.start();
        assertTrue(loop.refusalHeld.await(10, TimeUnit.SECONDS));
        try {
            assertThrows(RejectedExecutionException.class, () -> refusing.add("overlapping"));
        } finally {
            loop.release.countDown();
            t.join(10_000);
        }
        assertInstanceOf(RejectedExecutionException.class, first.get(10, TimeUnit.SECONDS));
        int asked = loop.executeCalls.get();
        assertThrows(RejectedExecutionException.class, () -> refusing.execute(() -> log.add("command")));
        assertEquals(asked, loop.executeCalls.get(), "refused at once, without asking the loop");
        assertEquals(List.of(), log);
    }

    /** A handler's failure is what the drain throws, even when the loop stopped before the drain could reschedule. */
    @Test
    void aHandlerFailureIsNotHiddenByTheStoppedLoopsRefusalOfTheReschedule() {
        StubExecutor loop = new StubExecutor();
        LoopInbox<String> failing = new LoopInbox<>(loop, batch -> {
            throw new IllegalStateException("handler failed");
        });
        failing.add("x");
        loop.stop(false);
        IllegalStateException e = assertThrows(IllegalStateException.class, loop::runAll);
        assertEquals("handler failed", e.getMessage());
        assertEquals(1, e.getSuppressed().length);
        assertInstanceOf(RejectedExecutionException.class, e.getSuppressed()[0]);
    }

    /**
     * A running loop that refuses a drain (Netty does when its task queue is full, {@code
     * -Dio.netty.eventLoop.maxPendingTasks}) is not taken for a stopped one, and the post does not fail: its item is
     * queued by then, and a later drain would hand on an item its caller had given up (the manager's submit abandoned
     * the task, then the dispatcher got it). It waits for room and is accepted; both items are handled, in order.
     */
    @Test
    void aRunningLoopsRefusalMakesThePostWaitForRoomNotFail() {
        StubExecutor loop = new StubExecutor();
        LoopInbox<String> inbox = new LoopInbox<>(loop, batch -> log.add("batch " + batch));
        loop.refuseNextWhileRunning();
        inbox.add("a");
        assertEquals(2, loop.executeCalls.get(), "refused once, then accepted");
        inbox.add("b");
        loop.runAll();
        assertEquals(List.of("batch [a, b]"), log);
    }

    /**
     * A loop that accepted the claimed drain and then terminated without running it (Netty 4.2 can drop a task
     * accepted while it shuts down) must not leave the inbox believing that drain will come: a later post used to
     * return normally, its item queued for nothing. It is refused, and what was queued is there for {@code leftovers}.
     */
    @Test
    void aPostAfterTheLoopDroppedTheAcceptedDrainAndTerminatedIsRefused() {
        StubExecutor loop = new StubExecutor();
        LoopInbox<String> inbox = new LoopInbox<>(loop, batch -> log.add("batch " + batch));
        loop.dropNextAndTerminate();
        inbox.add("a"); // accepted, as far as it can tell
        assertThrows(RejectedExecutionException.class, () -> inbox.add("b"));
        assertThrows(RejectedExecutionException.class, () -> inbox.add("c"), "and every post after it");
        assertEquals(List.of("a", "b", "c"), inbox.leftovers());
        assertEquals(List.of(), log);
    }

    /** {@code leftovers} takes nothing while the loop may still drain, and the items (not the commands) once it ended. */
    @Test
    void leftoversAreTheItemsStillQueuedOnceTheLoopTerminated() {
        StubExecutor loop = new StubExecutor();
        LoopInbox<String> inbox = new LoopInbox<>(loop, batch -> log.add("batch " + batch));
        inbox.add("a");
        inbox.execute(() -> log.add("command"));
        inbox.addAll(List.of("b", "c"));
        assertEquals(List.of(), inbox.leftovers(), "the loop has not terminated: a drain may still take them");
        loop.stop(false);
        assertEquals(List.of("a", "b", "c"), inbox.leftovers());
        assertEquals(List.of(), inbox.leftovers(), "taken once");
        assertEquals(List.of(), log, "a command left over is dropped, not run");
    }

    /**
     * A post made while another post is inside {@code loop.execute} with an acceptance on its way (the drain claimed,
     * not yet known accepted) schedules a drain of its own and returns normally; both items are handled by the first
     * drain, in order, and the second drain finds nothing.
     */
    @Test
    void aPostOverlappingAnAcceptedDrainReturnsNormallyAndBothItemsAreHandledInOrder() throws Exception {
        StubExecutor loop = new StubExecutor();
        LoopInbox<String> inbox = new LoopInbox<>(loop, batch -> log.add("batch " + batch));
        loop.holdNextAcceptance();
        java.util.concurrent.CompletableFuture<Throwable> first = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                inbox.add("first");
                first.complete(null);
            } catch (Throwable e) {
                first.complete(e);
            }
        }, "first-post");
        t.start();
        assertTrue(loop.acceptanceHeld.await(10, TimeUnit.SECONDS));
        try {
            inbox.add("second");
        } finally {
            loop.releaseAcceptance.countDown();
            t.join(10_000);
        }
        assertEquals(null, first.get(10, TimeUnit.SECONDS));
        assertEquals(2, loop.executeCalls.get(), "the overlapping post scheduled a drain of its own");
        loop.runAll();
        assertEquals(List.of("batch [first, second]"), log);
    }
}
