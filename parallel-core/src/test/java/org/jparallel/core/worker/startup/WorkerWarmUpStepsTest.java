package org.jparallel.core.worker.startup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The worker's warm-up runs each step on its own: a step that fails (the socket classes' set-up throwing) does
 * not skip the ones after it (the lambda warm-up), and every failure is reported.
 */
class WorkerWarmUpStepsTest {

    /** Four steps that record that they ran; those in {@code failing} throw. */
    private static final class Recorded implements WorkerWarmUp.Steps {
        final List<Integer> ran = new ArrayList<>();
        final List<Integer> failing;

        Recorded(Integer... failing) {
            this.failing = List.of(failing);
        }

        @Override
        public int count() {
            return 4;
        }

        @Override
        public void run(int step) throws IOException {
            ran.add(step);
            if (failing.contains(step)) {
                throw new IOException("step " + step + " failed");
            }
        }
    }

    @Test
    void aFailingStepDoesNotSkipTheStepsAfterIt() {
        Recorded steps = new Recorded(2);
        Throwable failed = WorkerWarmUp.runEach(steps);
        assertEquals(List.of(0, 1, 2, 3), steps.ran, "step 3 (the lambda) runs after step 2 (the sockets) failed");
        assertEquals("step 2 failed", failed.getMessage());
    }

    @Test
    void everyFailureIsReportedTheFirstCarryingTheOthers() {
        Recorded steps = new Recorded(0, 3);
        Throwable failed = WorkerWarmUp.runEach(steps);
        assertEquals(List.of(0, 1, 2, 3), steps.ran);
        assertEquals("step 0 failed", failed.getMessage());
        assertArrayEquals(new String[] {"step 3 failed"},
                List.of(failed.getSuppressed()).stream().map(Throwable::getMessage).toArray(String[]::new));
    }

    @Test
    void noFailureReportsNothing() {
        assertNull(WorkerWarmUp.runEach(new Recorded()));
    }
}
