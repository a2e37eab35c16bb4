package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.ProgressListener;
import org.jparallel.TaskOptions;
import org.jparallel.WorkerInfo;

/**
 * The walltime scenario on a real batch scheduler: 30 tasks of 0.6 to 1 s, each declared to take 1.5 s, on
 * workers whose jobs end after {@value #LIFETIME_S} s and are drained {@value #MARGIN_S} s before: every task
 * runs once, no worker is lost, and drained workers are replaced. The scheduler's test sets up the manager with
 * these two figures; this runs and checks. The sizes: about 12 s of work for the first two workers, so that
 * work is left when they drain (9 s into their lives) and their replacements take it.
 */
public final class DrainScenario implements ProgressListener {
    /** How long each worker's job lives, in seconds (the scheduler's walltime or the worker's lifetime). */
    public static final int LIFETIME_S = 14;
    /** How long before its end a worker is drained, in seconds: more than a task's declared duration. */
    public static final int MARGIN_S = 5;
    private final List<WorkerInfo> lost = new CopyOnWriteArrayList<>();
    private final List<WorkerInfo> drained = new CopyOnWriteArrayList<>();

    @Override
    public void workerLost(WorkerInfo worker) {
        lost.add(worker);
    }

    @Override
    public void workerDrained(WorkerInfo worker) {
        drained.add(worker);
    }

    /**
     * Runs the 30 tasks on {@code manager} (which must have this as its listener) and asserts the outcome.
     *
     * @param noneLost the message when a worker was lost
     */
    public void runAndCheck(Manager manager, String noneLost) {
        Context<Void, Integer> ctx = manager.getContext();
        ctx.setDefaultOptions(TaskOptions.none().withExpectedDuration(Duration.ofMillis(1500)));
        for (int i = 0; i < 30; i++) {
            int k = i;
            ctx.addTask(s -> {
                Thread.sleep(600 + (k % 3) * 200);
                return k;
            });
        }
        List<Integer> results = new ArrayList<>();
        ctx.getResultsUnordered().forEach(results::add);
        Collections.sort(results);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            expected.add(i);
        }
        assertEquals(expected, results, "every result, once");
        assertEquals(List.of(), lost, noneLost);
        assertTrue(drained.size() >= 1, "workers were drained: " + manager.workers());
        assertTrue(manager.workers().size() > 2, "replacement jobs were submitted: " + manager.workers());
    }
}
