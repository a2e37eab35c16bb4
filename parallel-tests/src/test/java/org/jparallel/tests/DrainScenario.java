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
 * The walltime scenario on a real batch scheduler: 30 tasks of 1 to 1.6 s, each declared to take 2 s, on
 * workers whose jobs end after 20 s and are drained 5 s before: every task runs once, no worker is lost,
 * and drained workers are replaced. The scheduler's test sets up the manager; this runs and checks.
 */
public final class DrainScenario implements ProgressListener {
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
        ctx.setDefaultOptions(TaskOptions.none().withExpectedDuration(Duration.ofSeconds(2)));
        for (int i = 0; i < 30; i++) {
            int k = i;
            ctx.addTask(s -> {
                Thread.sleep(1000 + (k % 3) * 300);
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
