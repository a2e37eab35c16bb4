package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.ProgressListener;
import org.jparallel.TaskOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Manager#addListener} promises every event from its return on: a listener added while the manager's loop is
 * busy (starting workers, a burst of results) still hears the events the program's own thread causes right after,
 * such as a keyed task ended from the journal. Found by CI: a resumed run's listener heard none of its 12. Likewise
 * {@link Manager#removeListener}: a listener removed hears none of the events the program causes after it returned
 * (found while adding the events to ApiModelTest).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListenerRegistrationTest {
    private static final String IDENTITY = "listener-registration";
    private static final int KEYS = 5;

    @TempDir
    Path dir;

    @Test
    void aListenerAddedWhileTheLoopIsBusyHearsTheJournalEventsThatFollow() throws Exception {
        List<Long> heard = new CopyOnWriteArrayList<>();
        try (Manager m = managerOverAnEarlierRun()) {
            CountDownLatch loopFree = new CountDownLatch(1);
            loopOf(m).execute(() -> awaitQuietly(loopFree)); // the loop is busy until released
            AtomicBoolean eventsPosted = new AtomicBoolean();
            // frees the loop once the program waits in addListener, or once it has made its events without
            Thread releaser = releaseWhenWaiting(Thread.currentThread(), eventsPosted, loopFree);
            m.addListener(hearing(heard));
            Context<Void, byte[]> c = m.getContext("c");
            addTheKeys(c);
            eventsPosted.set(true);
            releaser.join();
            assertEquals(KEYS, m.stats().tasksFromJournal(), "the keys came from the journal");
        } // the close delivers the events already posted
        assertEquals(KEYS, heard.size(), "taskFromJournal events the listener heard: " + heard);
    }

    /**
     * {@link Manager#removeListener} stops the events from its return on ("events already on their way may still
     * arrive"; an event the program causes after it returned is not on its way): a listener removed while the loop is
     * busy hears none of the journal events the program's own thread causes right after.
     */
    @Test
    void aListenerRemovedWhileTheLoopIsBusyHearsNoneOfTheJournalEventsThatFollow() throws Exception {
        List<Long> heard = new CopyOnWriteArrayList<>();
        try (Manager m = managerOverAnEarlierRun()) {
            ProgressListener listener = hearing(heard);
            m.addListener(listener);
            Context<Void, byte[]> c = m.getContext("c");
            CountDownLatch loopFree = new CountDownLatch(1);
            loopOf(m).execute(() -> awaitQuietly(loopFree)); // the loop is busy until released
            AtomicBoolean eventsPosted = new AtomicBoolean();
            // frees the loop once the program waits in removeListener, or once it has made its events without
            Thread releaser = releaseWhenWaiting(Thread.currentThread(), eventsPosted, loopFree);
            m.removeListener(listener);
            addTheKeys(c);
            eventsPosted.set(true);
            releaser.join();
            assertEquals(KEYS, m.stats().tasksFromJournal(), "the keys came from the journal");
        } // the close delivers the events already posted
        assertEquals(List.of(), heard, "taskFromJournal events the removed listener heard");
    }

    /**
     * An addListener that gave up waiting for a stalled loop (its 10 s query timed out, or its thread was interrupted)
     * leaves its add queued there; a removeListener made after it must still win, or the add lands later and the
     * listener stays registered for good.
     */
    @Test
    void aListenerRemovedAfterItsAddGaveUpIsNotRegisteredWhenTheAddLands() throws Exception {
        List<Long> heard = new CopyOnWriteArrayList<>();
        try (Manager m = managerOverAnEarlierRun()) {
            ProgressListener listener = hearing(heard);
            Context<Void, byte[]> c = m.getContext("c");
            CountDownLatch loopFree = new CountDownLatch(1);
            loopOf(m).execute(() -> awaitQuietly(loopFree)); // the loop is stalled until released
            AtomicReference<Boolean> gaveUp = new AtomicReference<>();
            Thread adder = new Thread(() -> {
                m.addListener(listener); // returns at the interrupt, its flag set, the add still queued
                gaveUp.set(Thread.currentThread().isInterrupted());
            }, "adder");
            adder.start();
            Thread.State state;
            while ((state = adder.getState()) != Thread.State.TIMED_WAITING && state != Thread.State.WAITING
                    && state != Thread.State.TERMINATED) {
                Thread.onSpinWait(); // until the adder waits for the loop, its add queued
            }
            adder.interrupt(); // gives up as a timeout would, 10 s sooner
            adder.join();
            if (state != Thread.State.TERMINATED) { // else its 10 s ran out first (a stalled machine): it gave up too
                assertEquals(Boolean.TRUE, gaveUp.get(), "the addListener returned with the thread's interrupt flag set");
            }
            m.removeListener(listener);
            loopFree.countDown();
            m.stats(); // a query: the loop has run every command made before it, the add among them
            addTheKeys(c);
            assertEquals(KEYS, m.stats().tasksFromJournal(), "the keys came from the journal");
        } // the close delivers the events already posted
        assertEquals(List.of(), heard, "taskFromJournal events the removed listener heard");
    }

    /**
     * A close that stops the manager's loop after removeListener found the manager open and before its post to the
     * loop: the post is refused (RejectedExecutionException), which removeListener must not throw (no add can land on
     * a stopped loop). Deterministic: the listener's own {@code equals}, which the at-once removal calls, stops the
     * loop there, the manager not yet marked closed, as a close on another thread may between the check and the post.
     */
    @Test
    void aRemoveListenerWhoseLoopStopsBeforeItsPostReturnsQuietly() throws Exception {
        try (Manager m = Manager.builder().bindAddress("127.0.0.1").build()) {
            EventLoop loop = loopOf(m);
            AtomicBoolean stopLoopInRemove = new AtomicBoolean();
            ProgressListener listener = new ProgressListener() {
                @Override
                public boolean equals(Object other) {
                    if (stopLoopInRemove.compareAndSet(true, false)) {
                        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
                    }
                    return this == other;
                }

                @Override
                public int hashCode() {
                    return System.identityHashCode(this);
                }
            };
            m.addListener(listener);
            stopLoopInRemove.set(true);
            m.removeListener(listener); // threw RejectedExecutionException before 095f3bc
            assertTrue(loop.isTerminated(), "the loop stopped within the removal");
            assertFalse(stopLoopInRemove.get(), "the removal asked the listener");
        } // the close copes with its loop already stopped
    }

    /** @return a manager resuming a journal that holds results of {@link #KEYS} keys of context "c" */
    private Manager managerOverAnEarlierRun() throws InterruptedException {
        Path journal = dir.resolve("journal");
        HeldJournal.earlierRun(journal, IDENTITY, "c", KEYS);
        return Manager.builder().bindAddress("127.0.0.1").journal(journal).journalIdentity(IDENTITY).build();
    }

    /** @return a listener that records the tasks it hears were ended from the journal */
    private static ProgressListener hearing(List<Long> heard) {
        return new ProgressListener() {
            @Override
            public void taskFromJournal(long taskId, int contextId) {
                heard.add(taskId);
            }
        };
    }

    /** Adds the earlier run's keys again: each ends from the journal, on the program's own thread. */
    private static void addTheKeys(Context<Void, byte[]> c) {
        for (int i = 0; i < KEYS; i++) {
            c.addTask(setup -> new byte[0], TaskOptions.none().withKey(HeldJournal.key(i)));
        }
    }

    /**
     * @return a started thread that frees the loop once {@code program} waits (for the loop), or once it has made
     *     its events without waiting
     */
    private static Thread releaseWhenWaiting(Thread program, AtomicBoolean eventsPosted, CountDownLatch loopFree) {
        Thread releaser = new Thread(() -> {
            while (!eventsPosted.get() && program.getState() != Thread.State.TIMED_WAITING
                    && program.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            loopFree.countDown();
        }, "loop-releaser");
        releaser.start();
        return releaser;
    }

    private static EventLoop loopOf(Manager m) throws ReflectiveOperationException {
        Field loop = DefaultManager.class.getDeclaredField("loop");
        loop.setAccessible(true);
        return (EventLoop) loop.get(m);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
