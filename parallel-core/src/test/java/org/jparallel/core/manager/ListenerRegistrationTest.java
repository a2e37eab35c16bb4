package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        Path journal = dir.resolve("journal");
        HeldJournal.earlierRun(journal, IDENTITY, "c", KEYS);
        List<Long> heard = new CopyOnWriteArrayList<>();
        try (Manager m = Manager.builder().bindAddress("127.0.0.1").journal(journal).journalIdentity(IDENTITY)
                .build()) {
            CountDownLatch loopFree = new CountDownLatch(1);
            loopOf(m).execute(() -> awaitQuietly(loopFree)); // the loop is busy until released
            Thread program = Thread.currentThread();
            AtomicBoolean eventsPosted = new AtomicBoolean();
            Thread releaser = new Thread(() -> {
                // frees the loop once the program waits in addListener, or once it has made its events without
                while (!eventsPosted.get() && program.getState() != Thread.State.TIMED_WAITING
                        && program.getState() != Thread.State.WAITING) {
                    Thread.onSpinWait();
                }
                loopFree.countDown();
            }, "loop-releaser");
            releaser.start();
            m.addListener(new ProgressListener() {
                @Override
                public void taskFromJournal(long taskId, int contextId) {
                    heard.add(taskId);
                }
            });
            Context<Void, byte[]> c = m.getContext("c");
            for (int i = 0; i < KEYS; i++) {
                c.addTask(setup -> new byte[0], TaskOptions.none().withKey(HeldJournal.key(i)));
            }
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
        Path journal = dir.resolve("journal");
        HeldJournal.earlierRun(journal, IDENTITY, "c", KEYS);
        List<Long> heard = new CopyOnWriteArrayList<>();
        try (Manager m = Manager.builder().bindAddress("127.0.0.1").journal(journal).journalIdentity(IDENTITY)
                .build()) {
            ProgressListener listener = new ProgressListener() {
                @Override
                public void taskFromJournal(long taskId, int contextId) {
                    heard.add(taskId);
                }
            };
            m.addListener(listener);
            Context<Void, byte[]> c = m.getContext("c");
            CountDownLatch loopFree = new CountDownLatch(1);
            loopOf(m).execute(() -> awaitQuietly(loopFree)); // the loop is busy until released
            Thread program = Thread.currentThread();
            AtomicBoolean eventsPosted = new AtomicBoolean();
            Thread releaser = new Thread(() -> {
                // frees the loop once the program waits in removeListener, or once it has made its events without
                while (!eventsPosted.get() && program.getState() != Thread.State.TIMED_WAITING
                        && program.getState() != Thread.State.WAITING) {
                    Thread.onSpinWait();
                }
                loopFree.countDown();
            }, "loop-releaser");
            releaser.start();
            m.removeListener(listener);
            for (int i = 0; i < KEYS; i++) {
                c.addTask(setup -> new byte[0], TaskOptions.none().withKey(HeldJournal.key(i)));
            }
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
        Path journal = dir.resolve("journal");
        HeldJournal.earlierRun(journal, IDENTITY, "c", KEYS);
        List<Long> heard = new CopyOnWriteArrayList<>();
        try (Manager m = Manager.builder().bindAddress("127.0.0.1").journal(journal).journalIdentity(IDENTITY)
                .build()) {
            ProgressListener listener = new ProgressListener() {
                @Override
                public void taskFromJournal(long taskId, int contextId) {
                    heard.add(taskId);
                }
            };
            Context<Void, byte[]> c = m.getContext("c");
            CountDownLatch loopFree = new CountDownLatch(1);
            loopOf(m).execute(() -> awaitQuietly(loopFree)); // the loop is stalled until released
            AtomicReference<Boolean> gaveUp = new AtomicReference<>();
            Thread adder = new Thread(() -> {
                m.addListener(listener); // returns at the interrupt, its flag set, the add still queued
                gaveUp.set(Thread.currentThread().isInterrupted());
            }, "adder");
            adder.start();
            while (adder.getState() != Thread.State.TIMED_WAITING && adder.getState() != Thread.State.WAITING) {
                Thread.onSpinWait(); // until the adder waits for the loop, its add queued
            }
            adder.interrupt(); // gives up as a timeout would, 10 s sooner
            adder.join();
            assertEquals(Boolean.TRUE, gaveUp.get(), "the addListener returned with the thread's interrupt flag set");
            m.removeListener(listener);
            loopFree.countDown();
            m.stats(); // a query: the loop has run every command made before it, the add among them
            for (int i = 0; i < KEYS; i++) {
                c.addTask(setup -> new byte[0], TaskOptions.none().withKey(HeldJournal.key(i)));
            }
            assertEquals(KEYS, m.stats().tasksFromJournal(), "the keys came from the journal");
        } // the close delivers the events already posted
        assertEquals(List.of(), heard, "taskFromJournal events the removed listener heard");
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
