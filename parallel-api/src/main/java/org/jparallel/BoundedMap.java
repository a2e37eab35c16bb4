package org.jparallel;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * The iteration behind {@link Context#mapUnordered} and {@link Context#map}: it adds tasks from the
 * caller's iterator on the caller's thread, only while fewer than a window of tasks are outstanding,
 * and reads results with the context's own iterator. So however many tasks the iterator yields, the
 * manager holds (and the garbage collector copies) at most a window of them and their results.
 *
 * @param <S> the setup's result type
 * @param <R> the tasks' result type
 * @param <T> what the source yields: a task, or an input a task is made from
 */
final class BoundedMap<S, R, T> implements Iterable<R> {
    private final Context<S, R> context;
    private final Iterable<T> tasks;
    /** Adds the task one element of {@link #tasks} stands for. */
    private final Consumer<? super T> add;
    private final int window;
    private final boolean ordered;
    private boolean started;

    BoundedMap(Context<S, R> context, Iterable<T> tasks, Consumer<? super T> add, int window, boolean ordered) {
        if (window < 1) {
            throw new IllegalArgumentException("the window must be at least 1 task, not " + window);
        }
        if (tasks == null) {
            throw new NullPointerException("tasks");
        }
        this.context = context;
        this.tasks = tasks;
        this.add = add;
        this.window = window;
        this.ordered = ordered;
    }

    /**
     * @throws IllegalStateException on a second call: the tasks are drawn from one iterator, once
     */
    @Override
    public synchronized Iterator<R> iterator() {
        if (started) {
            throw new IllegalStateException("the results of a map can be iterated once; call map again to run"
                    + " the tasks again");
        }
        Iterator<T> source = tasks.iterator();
        Iterator<R> results = (ordered ? context.getResults() : context.getResultsUnordered()).iterator();
        started = true;
        return new Iterator<>() {
            /** Outstanding tasks as last counted, less the results delivered since. */
            private long estimate;

            @Override
            public boolean hasNext() {
                refillIfLow();
                if (results.hasNext()) {
                    return true;
                }
                // none outstanding: the estimate was high (a cancelled task yields no result); count again
                estimate = 0;
                refillIfLow();
                return results.hasNext();
            }

            @Override
            public R next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("every task has run and every result has been delivered");
                }
                estimate--; // taken by the results' hasNext(): next() returns it or throws its failure
                return results.next();
            }

            /**
             * Counts the outstanding tasks again, and adds tasks up to the window, only once a quarter
             * of the window has been delivered: tasks then reach the manager in batches rather than
             * one after each result (which woke its event loop once a task), and the count's lock is
             * taken twice a batch rather than twice a result.
             */
            private void refillIfLow() {
                if (estimate > window - Math.max(1, window / 4)) {
                    return;
                }
                long outstanding = context.outstanding();
                while (outstanding < window && source.hasNext()) {
                    add.accept(source.next());
                    outstanding++;
                }
                estimate = outstanding;
            }
        };
    }
}
