package org.jparallel.tests;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jparallel.Context;
import org.jparallel.TaskFailedException;

/**
 * What reading a context's results in completion order gave: the values of the tasks that succeeded and
 * the failures of those that failed (the iterator throws a task's failure in its place and goes on).
 */
record Outcomes<R>(List<R> results, List<TaskFailedException> failures) {

    /** Reads every result of {@code ctx} unordered, keeping failures apart. */
    static <R> Outcomes<R> readUnordered(Context<?, R> ctx) {
        List<R> results = new ArrayList<>();
        List<TaskFailedException> failures = new ArrayList<>();
        Iterator<R> it = ctx.getResultsUnordered().iterator();
        while (it.hasNext()) {
            try {
                results.add(it.next());
            } catch (TaskFailedException e) {
                failures.add(e);
            }
        }
        return new Outcomes<>(results, failures);
    }
}
