package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.Task;
import org.jparallel.TaskFuture;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Result iterators keep {@link Iterator}'s contract after a cancel, a context's close and the
 * manager's close (issue 18, item 2): a cancelled task yields nothing, and after a close every read
 * gets the same closed error, however late it comes.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AfterCloseTest {

    @TempDir
    Path tempDir;

    @Test
    void aCancelledTaskIsNotOutstandingAndTheIteratorEndsWhenTheOthersAreRead() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(1));
            TestSupport.awaitConnected(manager, 1, Duration.ofSeconds(60));
            Context<Void, Long> ctx = manager.<Long>getContext();
            HeldTasks held = new HeldTasks(tempDir);
            held.add(ctx);
            held.awaitStarted(1, "the long task never started");
            TaskFuture<Long> cancelled = ctx.addTask(s -> -1L);
            assertTrue(cancelled.cancel(false));
            assertEquals(1, ctx.outstanding(), "the cancelled task is not outstanding");

            Iterator<Long> it = ctx.getResultsUnordered().iterator();
            held.release();
            assertTrue(it.hasNext());
            it.next();
            assertFalse(it.hasNext(), "only the cancelled task is left, and it yields nothing");
            assertThrows(NoSuchElementException.class, it::next);
            assertEquals(0, ctx.outstanding());
            assertFalse(ctx.getResults().iterator().hasNext(), "ordered, too");
        }
    }

    @Test
    void afterItsContextIsClosedEveryReadGetsTheClosedErrorWhateverTheTiming() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(1));
            TestSupport.awaitConnected(manager, 1, Duration.ofSeconds(60));
            Context<Void, Long> ctx = manager.<Long>getContext();
            addBlockedTasks(ctx);
            Iterator<Long> before = ctx.getResults().iterator();
            ctx.close();
            assertReadsFailClosed(before, "context " + ctx.id() + " is closed");
            // the closed context's tasks have been abandoned by now; reads still say why they end
            manager.stats();
            assertReadsFailClosed(ctx.getResultsUnordered().iterator(), "context " + ctx.id() + " is closed");
            assertReadsFailClosed(ctx.getResults().iterator(), "context " + ctx.id() + " is closed");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ctx.addTask(s -> 1L));
            assertTrue(e.getMessage().contains("is closed"), e.getMessage());
        }
    }

    @Test
    void afterTheManagerIsClosedEveryReadGetsTheClosedErrorWhateverTheTiming() throws Exception {
        Manager manager = TestSupport.builder(tempDir).build();
        Context<Void, Long> ctx;
        Iterator<Long> before;
        try (manager) {
            manager.addWorker(new LocalWorker(1));
            TestSupport.awaitConnected(manager, 1, Duration.ofSeconds(60));
            ctx = manager.<Long>getContext();
            addBlockedTasks(ctx);
            before = ctx.getResultsUnordered().iterator();
        }
        assertReadsFailClosed(before, "the manager is closed");
        assertReadsFailClosed(ctx.getResults().iterator(), "the manager is closed");
        assertReadsFailClosed(ctx.getResultsUnordered().iterator(), "the manager is closed");
        Function<Iterable<Long>, Iterator<Long>> iter = Iterable::iterator;
        List<Task<Void, Long>> more = List.of(s -> 1L);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> iter.apply(ctx.mapUnordered(more)).hasNext());
        assertTrue(e.getMessage().contains("the manager is closed"), e.getMessage());
    }

    /** Adds two tasks that wait (up to a minute) for a file that never comes, and waits until one runs. */
    private void addBlockedTasks(Context<Void, Long> ctx) {
        HeldTasks blocked = new HeldTasks(tempDir.resolve("started-" + ctx.id()), tempDir.resolve("never"));
        for (int i = 0; i < 2; i++) {
            blocked.add(ctx);
        }
        blocked.awaitStarted(1, "the blocked task never started");
    }

    /** Three times over: hasNext() is true and next() throws the closed error, never NoSuchElementException. */
    private static void assertReadsFailClosed(Iterator<Long> it, String reason) {
        for (int i = 0; i < 3; i++) {
            assertTrue(it.hasNext(), "tasks were outstanding at close: hasNext() must not end the iteration silently");
            IllegalStateException e = assertThrows(IllegalStateException.class, it::next);
            assertEquals(reason, e.getMessage());
        }
    }
}
