package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.jparallel.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ProgressBus#add} and {@link ProgressBus#remove} replace the listener list by copy: the dispatcher thread adds
 * while the program's threads remove at once, so without their lock one replacement would drop another's change.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProgressBusTest {
    private static final int PER_THREAD = 2_000;

    @Test
    void listenersAddedAndRemovedFromTwoThreadsAtOnceAreExactlyTheOnesLeft() throws Exception {
        ProgressBus bus = new ProgressBus();
        Set<Integer> heard = new ConcurrentSkipListSet<>();
        CyclicBarrier start = new CyclicBarrier(2);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int base = t * PER_THREAD;
            threads.add(new Thread(() -> {
                List<ProgressListener> mine = new ArrayList<>();
                for (int i = 0; i < PER_THREAD; i++) {
                    int n = base + i;
                    mine.add(new ProgressListener() {
                        @Override
                        public void taskQueued(long taskId, int contextId) {
                            heard.add(n);
                        }
                    });
                }
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < PER_THREAD; i++) {
                    bus.add(mine.get(i), List.of());
                    if (i % 2 == 1) { // the odd ones leave again, right after they came
                        bus.remove(mine.get(i));
                    }
                }
            }, "registrar-" + t));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        bus.taskQueued(1, 1);
        bus.close(); // delivers the event posted
        Set<Integer> missing = new TreeSet<>();
        Set<Integer> extra = new TreeSet<>();
        for (int n = 0; n < 2 * PER_THREAD; n++) {
            boolean left = n % 2 == 0;
            if (left && !heard.contains(n)) {
                missing.add(n);
            } else if (!left && heard.contains(n)) {
                extra.add(n);
            }
        }
        assertEquals("[] []", missing + " " + extra, "the even listeners lost (first) and the odd ones kept (second)");
    }

    @Test
    void aListenerAddedTwiceIsRegisteredOnceAndOneRemoveEndsIt() throws Exception {
        ProgressBus bus = new ProgressBus();
        java.util.List<Long> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.jparallel.ProgressListener l = new org.jparallel.ProgressListener() {
            @Override
            public void taskQueued(long taskId, int contextId) {
                heard.add(taskId);
            }
        };
        bus.add(l, java.util.List.of());
        bus.add(l, java.util.List.of());
        bus.taskQueued(1, 1);
        bus.remove(l);
        bus.taskQueued(2, 1);
        bus.close();
        assertEquals(java.util.List.of(1L), heard, "heard once while registered, not after one remove");
    }
}
