package org.jparallel;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A set of tasks that share one setup. Made by {@link Manager#getContext(Setup)}.
 *
 * <p>Add tasks with {@link #addTask}; read results with {@link #getResultsUnordered()} (as they
 * complete) or {@link #getResults()} (in the order the tasks were added). Each result is delivered
 * once across both forms and every iterator, whichever threads read them; tasks added while results
 * are being read are run, and their results come out of the same iteration.
 *
 * <p>Every result iterator keeps {@link java.util.Iterator}'s contract: {@code hasNext()} waits until
 * a result is ready or none can come (as {@link java.util.Scanner#hasNext()} waits for input), and
 * what it found is then that iterator's, so {@code next()} never throws {@link
 * java.util.NoSuchElementException} after {@code hasNext()} returned true, and always does after it
 * returned false. {@code next()} returns the value, or throws:
 * <ul>
 * <li>{@link TaskFailedException} for a task that failed: catch it and go on reading;
 * <li>{@link NoMoreWorkersException} when no worker is left to run the waiting tasks (they stay
 *     outstanding: add workers and read on);
 * <li>{@link IllegalStateException} once this context or its manager is closed, with the same
 *     message ("context N is closed", "the manager is closed") at every read, as long as tasks were
 *     outstanding at the close.
 * </ul>
 * An iterator dropped after {@code hasNext()} returned true takes the result it found with it (the
 * task's future still has it).
 *
 * <p>A cancelled task ({@link TaskFuture#cancel}) is not outstanding and yields nothing: iterations
 * pass over it, and end without waiting for it.
 *
 * <p>Closing a context cancels its tasks that have not finished and frees its cached setup on
 * every worker, so one manager and its workers can serve many contexts one after another.
 *
 * <p>Order: the calls a thread makes on a manager and its contexts (make a context, add, cancel,
 * close) reach the manager in the order it made them, so a task added to a context just made is
 * never ahead of it. Across threads, a call that happens-before another (a context handed to another
 * thread through a queue, a lock, {@code Thread.start}) reaches the manager first; calls with no such
 * order between them arrive in some order.
 *
 * @param <S> the setup's result type, handed to every task ({@code Void} without setup)
 * @param <R> the tasks' result type
 */
public interface Context<S, R> extends AutoCloseable {

    /** @return this context's id within its manager */
    int id();

    /**
     * @return the name given to {@link Manager#getContext(String, Setup)}, or {@code #ID} (e.g. {@code #1})
     *     for a context made without one; a journal knows contexts by this name
     */
    default String name() {
        return "#" + id();
    }

    /**
     * Queues a task. The task is serialized now, so a task that cannot be serialized fails here.
     * Safe to call from any thread, including while iterating over results.
     *
     * @param task the task, typically a lambda
     * @return the future of its result
     * @throws IllegalStateException when the context or its manager is closed
     * @throws JParallelException when the task cannot be serialized
     * @throws IllegalArgumentException when the serialized task is over {@link ManagerBuilder#maxFrameBytes}
     *     (a result over it fails its task instead)
     */
    TaskFuture<R> addTask(Task<? super S, ? extends R> task);

    /**
     * Queues a task with a time limit. A task still running when its limit is up is interrupted on
     * its worker and fails with a {@link TaskFailedException} whose last attempt is {@link
     * TaskAttempt.Outcome#TIMED_OUT}; a task that ignores the interrupt has its worker stopped (and
     * replaced, when the manager replaces lost workers). The limit counts from the moment its worker
     * starts the task (the first task of a context on a worker runs the context's setup first, within
     * the limit), not while it waits in the queue or behind other tasks the worker holds.
     *
     * @param task the task
     * @param timeout its time limit on a worker
     * @return the future of its result
     */
    default TaskFuture<R> addTask(Task<? super S, ? extends R> task, java.time.Duration timeout) {
        return addTask(task, TaskOptions.none().withTimeout(timeout));
    }

    /**
     * Queues a task with options (its time limit, as {@link #addTask(Task, java.time.Duration)} describes, and
     * whatever else {@link TaskOptions} offers).
     *
     * @param task the task
     * @param options how to run it
     * @return the future of its result
     * @throws IllegalStateException when the context or its manager is closed
     * @throws JParallelException when the task cannot be serialized
     * @throws IllegalArgumentException when the serialized task is over {@link ManagerBuilder#maxFrameBytes}
     */
    TaskFuture<R> addTask(Task<? super S, ? extends R> task, TaskOptions options);

    /**
     * Sets the options of this context's tasks that their own options leave unset (an expected
     * duration, a timeout), for the tasks added from now on: {@code addTask(task)} runs with exactly
     * these, {@code addTask(task, options)} with {@code options.orElse(defaults)}.
     *
     * @param defaults the defaults; {@link TaskOptions#none()} for none
     */
    default void setDefaultOptions(TaskOptions defaults) {
        throw new UnsupportedOperationException("this context has no default task options");
    }

    /**
     * Results as tasks complete. The iteration ends when every task added so far (including
     * tasks added during the iteration) has been delivered.
     *
     * @return a view whose iterators deliver each result once
     */
    Iterable<R> getResultsUnordered();

    /**
     * Results in the order the tasks were added, waiting for each in turn.
     *
     * @return a view whose iterators deliver each result once
     */
    Iterable<R> getResults();

    /** The window of {@link #mapUnordered(Iterable)} and {@link #map(Iterable)}: tasks outstanding at most. */
    int DEFAULT_MAP_WINDOW = 16_384;

    /**
     * Runs many tasks without holding them all: tasks are drawn from {@code tasks} on the calling
     * thread, as the results are read, so that at most {@link #DEFAULT_MAP_WINDOW} are outstanding,
     * and the results come out as tasks complete. For a million tasks this keeps the manager's heap
     * small and the overhead per task what it is for a few thousand; adding them all first with
     * {@link #addTask} holds every task and result at once.
     *
     * <p>The returned view can be iterated once, by one thread, and no other iteration of this
     * context's results should run beside it. It also delivers the results of the context's other
     * outstanding tasks, as {@link #getResultsUnordered()} does. Tasks reach the manager in batches
     * of a quarter of the window. A failed task makes {@code next()} throw a {@link
     * TaskFailedException}, after which the iteration can go on; a task that cannot be added (it
     * cannot be serialized, or the context is closed) makes {@code hasNext()} or {@code next()} throw
     * what {@link #addTask} throws, and is not added. Tasks not yet drawn when the iteration stops are
     * never added; those added and unfinished stay outstanding until read or until the context is
     * closed.
     *
     * @param tasks the tasks, drawn lazily (a stream's {@code ::iterator} will do)
     * @return the results, as tasks complete
     */
    default Iterable<R> mapUnordered(Iterable<? extends Task<? super S, ? extends R>> tasks) {
        return mapUnordered(tasks, DEFAULT_MAP_WINDOW);
    }

    /**
     * {@link #mapUnordered(Iterable)} with a window of its own. Between refills as few as three
     * quarters of the window may be outstanding, counting results not yet read, so a window of at
     * least 1.5 times the workers times the tasks each holds at once ({@code prefetch}; up to {@link
     * ManagerSettings#AUTO_PREFETCH_MAX} when automatic) keeps every worker at its full depth: the
     * default window does so for up to about 40 workers running tiny tasks, and up to about 150 each
     * still holds 64 (enough to stay busy); pass a larger window for more.
     *
     * @param window how many tasks may be outstanding at most, at least 1
     */
    default Iterable<R> mapUnordered(Iterable<? extends Task<? super S, ? extends R>> tasks, int window) {
        return new BoundedMap<>(this, tasks, this::addTask, window, false);
    }

    /**
     * As {@link #mapUnordered(Iterable)}, with a task made from each input and keyed by it ({@link
     * TaskOptions#withKey(String)}): with a journal, a program run again gets the results of the inputs
     * already done from the journal and runs only the others.
     *
     * <pre>{@code
     * for (Double d : ctx.mapUnordered(files, Path::toString, f -> model -> model.score(f))) { ... }
     * }</pre>
     *
     * @param inputs the inputs, drawn lazily
     * @param key each input's key, unique within this context (a duplicate makes {@code hasNext()} throw
     *     {@link IllegalArgumentException})
     * @param task each input's task
     * @param <I> the input type
     * @return the results, as tasks complete
     */
    default <I> Iterable<R> mapUnordered(Iterable<I> inputs, Function<? super I, String> key,
            Function<? super I, ? extends Task<? super S, ? extends R>> task) {
        return new BoundedMap<>(this, inputs, keyed(key, task), DEFAULT_MAP_WINDOW, false);
    }

    /** As {@link #mapUnordered(Iterable, Function, Function)}, with the results in the order of the inputs. */
    default <I> Iterable<R> map(Iterable<I> inputs, Function<? super I, String> key,
            Function<? super I, ? extends Task<? super S, ? extends R>> task) {
        return new BoundedMap<>(this, inputs, keyed(key, task), DEFAULT_MAP_WINDOW, true);
    }

    private <I> Consumer<I> keyed(Function<? super I, String> key,
            Function<? super I, ? extends Task<? super S, ? extends R>> task) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(task, "task");
        return input -> addTask(task.apply(input), TaskOptions.none().withKey(key.apply(input)));
    }

    /**
     * As {@link #mapUnordered(Iterable)}, with the results in the order the tasks were added (as
     * {@link #getResults()} gives them).
     */
    default Iterable<R> map(Iterable<? extends Task<? super S, ? extends R>> tasks) {
        return map(tasks, DEFAULT_MAP_WINDOW);
    }

    /** As {@link #mapUnordered(Iterable, int)}, with the results in the order the tasks were added. */
    default Iterable<R> map(Iterable<? extends Task<? super S, ? extends R>> tasks, int window) {
        return new BoundedMap<>(this, tasks, this::addTask, window, true);
    }

    /**
     * Tells the manager's journal that the program already has the results of these keys: results it wrote to its
     * own output before its manager died, read back from that output at the restart. They are marked delivered, so
     * a task added later with one of these keys runs not and yields nothing, as a key the journal saw delivered.
     *
     * <p>This closes the window the journal alone leaves: the journal marks a result delivered when the program
     * next asks for one, so a result the program held at a kill -9 (written to its output, the next {@code
     * hasNext()} not yet called) would come again. A program whose output records each result's key, and that
     * passes the keys of its output here before it adds its tasks, gets every result exactly once over its runs:
     *
     * <pre>{@code
     * Set<String> done = keysIn(output);             // the program's own record, a torn last line dropped
     * ctx.markDelivered(done);
     * for (Score s : ctx.mapUnordered(inputs, Input::name, in -> model -> model.score(in))) {
     *     append(output, s.name() + " " + s.value());
     * }
     * }</pre>
     *
     * @param keys the keys whose results the program has; a key the journal does not hold is marked all the same
     *     (the program has its result: its task is not run)
     * @throws IllegalStateException when the manager has no journal and {@code keys} is not empty (no key to mark is
     *     no error, so that a program runs on a configuration without a journal), or a task with one of these keys
     *     was already added to this context (mark keys before adding their tasks)
     */
    default void markDelivered(java.util.Collection<String> keys) {
        if (!keys.isEmpty()) {
            throw new IllegalStateException("this context has no journal");
        }
    }

    /**
     * @return how many tasks were added and neither delivered by an iteration (taken by its {@code
     *     hasNext()}) nor cancelled; after the close, the count as it was at the close
     */
    long outstanding();

    /**
     * Cancels the unfinished tasks of this context and frees its setup on every worker. Reading its
     * results afterwards gets {@link IllegalStateException} (see above); adding a task, too.
     */
    @Override
    void close();
}
