package org.jparallel.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InFlightTest {
    private static QueuedTask task(long id) {
        return new QueuedTask(new DispatcherFakes.FakeCompletion(id), 1, new byte[] {1});
    }

    @Test
    void answersInOrderComeOffTheFrontAndOthersAreFoundAnywhere() {
        InFlight f = new InFlight();
        QueuedTask a = task(1);
        QueuedTask b = task(2);
        QueuedTask c = task(3);
        f.add(a);
        f.add(b);
        f.add(c);
        assertSame(a, f.first());
        assertSame(a, f.remove(1));
        assertSame(c, f.remove(3), "out of order: found by a scan");
        assertNull(f.remove(3), "only once");
        assertNull(f.remove(99), "a task this worker does not hold");
        assertSame(b, f.get(2));
        assertEquals(1, f.size());
    }

    @Test
    void manyTasksWrappingAroundAndRemovedFromTheMiddleKeepTheirOrder() {
        InFlight f = new InFlight();
        List<QueuedTask> expected = new ArrayList<>();
        long next = 1;
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 7; i++) { // more added than removed: it wraps and grows
                QueuedTask t = task(next++);
                f.add(t);
                expected.add(t);
            }
            QueuedTask oldest = expected.remove(0);
            assertSame(oldest, f.remove(oldest.id()), "the oldest, from the front");
            QueuedTask middle = expected.remove(expected.size() / 2);
            assertSame(middle, f.remove(middle.id()), "one from the middle");
            assertEquals(expected.size(), f.size());
        }
        List<QueuedTask> seen = new ArrayList<>();
        f.forEach(seen::add);
        assertEquals(expected, seen, "iterated oldest first");
        assertSame(expected.get(0), f.first());
        assertEquals(expected, f.drain());
    }

    @Test
    void drainingGivesEveryTaskOldestFirstAndLeavesNone() {
        InFlight f = new InFlight();
        List<QueuedTask> sent = new ArrayList<>();
        for (long id = 5; id < 10; id++) {
            QueuedTask t = task(id);
            sent.add(t);
            f.add(t);
        }
        assertEquals(sent, f.drain());
        assertEquals(0, f.size());
        assertNull(f.first());
    }
}
