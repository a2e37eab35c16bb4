package org.jparallel.tests;

import java.util.ArrayList;
import java.util.List;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.Setup;

/**
 * The scheduler tests' common load: 100 tasks that each add their index to a setup's value of 1000, so
 * that the sorted results must be exactly 1000..1099 (every task ran once, with the setup).
 */
public final class HundredTasks {
    private HundredTasks() {
    }

    /** Runs the 100 tasks on {@code manager}'s workers. @return their results, sorted */
    public static List<Integer> runWithSetup(Manager manager) {
        Context<Integer, Integer> ctx = manager.getContext((Setup<Integer>) () -> 1000);
        for (int i = 0; i < 100; i++) {
            int k = i;
            ctx.addTask(base -> base + k);
        }
        List<Integer> results = new ArrayList<>();
        for (Integer r : ctx.getResultsUnordered()) {
            results.add(r);
        }
        results.sort(null);
        return results;
    }
}
