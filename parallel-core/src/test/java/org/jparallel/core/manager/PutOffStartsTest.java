package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;
import org.junit.jupiter.api.Test;

/**
 * A replacement granted while the manager has nothing to do is put off until a task comes: a worker lost idle at the
 * end of a run is not replaced just before the program's close (which would stop the new one at once). Events only.
 */
class PutOffStartsTest {
    private record Group(String name) implements WorkerGroup {
        @Override
        public int size() {
            return 1;
        }

        @Override
        public String backendName() {
            return name;
        }

        @Override
        public List<WorkerHandle> start(LaunchSpec spec) {
            throw new UnsupportedOperationException("not started in this test");
        }
    }

    private final List<String> started = new ArrayList<>();
    private final AvailableWorkers available = new AvailableWorkers();
    private boolean idle;
    private final PutOffStarts starts = new PutOffStarts(() -> idle, (g, n) -> {
        started.add(g.backendName() + " x" + n);
        available.starting(n);
    }, available);

    @Test
    void aReplacementWhileTasksWaitOrRunStartsAtOnce() {
        assertTrue(starts.replace(new Group("a")));
        assertEquals(List.of("a x1"), started);
    }

    @Test
    void aReplacementWhileNothingIsToDoWaitsForATaskAndCountsAsAWorkerToCome() {
        Group a = new Group("a");
        Group b = new Group("b");
        idle = true; // the end of a run: every result is in
        assertFalse(starts.replace(a));
        assertFalse(starts.replace(a));
        assertFalse(starts.replace(b));
        assertEquals(List.of(), started, "no worker started for nothing before the close");
        assertEquals(3, starts.owed());
        assertNull(available.noneLeftReason(), "a reader waits for them rather than hearing no worker is left");

        idle = false;
        starts.workNeeded(); // a task came
        started.sort(null);
        assertEquals(List.of("a x2", "b x1"), started);
        assertEquals(0, starts.owed());
        starts.workNeeded();
        assertEquals(2, started.size(), "started once");
        for (int i = 0; i < 3; i++) {
            available.gone(() -> "gone");
        }
        assertTrue(available.noneLeftReason() != null, "counted once each: gone, none is left");
    }
}
