package org.jparallel;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.jparallel.spi.WorkerGroup;

/**
 * The process that farms tasks out to workers: the entry point of jparallel.
 *
 * <pre>{@code
 * try (Manager manager = Manager.create()) {
 *     manager.addWorker(new LocalWorker(4));
 *     Context<Model, Double> ctx = manager.getContext(() -> Model.load("big.dat"));
 *     for (int i = 0; i < 1000; i++) { int k = i; ctx.addTask(model -> model.score(k)); }
 *     for (Double score : ctx.getResultsUnordered()) { ... }
 * }
 * }</pre>
 *
 * <p>The manager listens for workers as soon as it is created. {@link #close()} (and a shutdown
 * hook, should the JVM exit first) stops every worker it started.
 */
public interface Manager extends AutoCloseable {

    /** @return a manager with default settings */
    static Manager create() {
        return builder().build();
    }

    /**
     * Creates a manager from a properties file and starts the workers it configures. The whole
     * file is validated first: an unknown key, a bad value or a missing backend is a {@link
     * ConfigurationException} and nothing is started. System properties ({@code -Djparallel.KEY})
     * and environment variables ({@code JPARALLEL_KEY}) override single keys.
     *
     * @param propertiesFile the file
     * @return the manager
     */
    static Manager fromProperties(java.nio.file.Path propertiesFile) {
        return ManagerBuilder.provider().fromProperties(java.util.Objects.requireNonNull(propertiesFile));
    }

    /**
     * Like {@link #fromProperties(java.nio.file.Path)}, with the file looked up: the system property
     * {@code jparallel.config}, then {@code jparallel.properties} in the working directory, then on the
     * classpath; without any file the defaults apply (local workers, one per core).
     *
     * @return the manager
     */
    static Manager fromProperties() {
        return ManagerBuilder.provider().fromProperties(null);
    }

    /** @return a builder for a manager with non-default settings */
    static ManagerBuilder builder() {
        return new ManagerBuilder();
    }

    /**
     * Starts workers (one or many, depending on the group) and lets them take tasks as soon as they
     * connect. Returns at once; a worker that cannot start is reported by the result iterators.
     *
     * @param workers the workers to start, e.g. {@code new LocalWorker()}
     */
    void addWorker(WorkerGroup workers);

    /**
     * Adds a group that grows and shrinks by itself (automatic allocation): {@code allocation.min()}
     * workers start at once, more while tasks wait, and idle ones are released; see {@link Allocation}.
     * The group's own size is not used, only its settings; its backend must be able to start more
     * workers later ({@link WorkerGroup#canGrow()}). Every decision is logged and kept, see
     * {@link #allocations()}.
     *
     * @param workers the group, e.g. {@code new LocalWorker()}
     * @param name the group's name in decisions and logs
     * @param allocation its limits
     * @throws IllegalArgumentException when the group cannot grow, or {@code allocation.max()} is above
     *     the most workers it can run at once ({@link WorkerGroup#maxSize()}, e.g. an SSH group's host slots)
     * @throws UnsupportedOperationException when this manager implementation does not allocate
     */
    default void addWorker(WorkerGroup workers, String name, Allocation allocation) {
        throw new UnsupportedOperationException(getClass().getName() + " does not allocate workers automatically");
    }

    /** @return the last decisions of automatic allocation (at most 100), oldest first; empty without any */
    default List<AllocationDecision> allocations() {
        return List.of();
    }

    /**
     * Makes a context whose tasks share a setup.
     *
     * @param setup runs once on each worker before its first task of this context
     * @param <S> the setup's result type
     * @param <R> the tasks' result type
     * @return the new context
     * @throws IllegalArgumentException when the serialized setup is over {@link ManagerBuilder#maxFrameBytes}
     */
    <S, R> Context<S, R> getContext(Setup<S> setup);

    /**
     * Makes a named context: with a journal ({@link ManagerBuilder#journal}), the results of its keyed tasks are
     * kept under this name, and a program run again finds them by it. The name must be unique in the manager.
     *
     * @param name the context's name, unique in this manager
     * @param setup runs once on each worker before its first task of this context
     * @param <S> the setup's result type
     * @param <R> the tasks' result type
     * @return the new context
     * @throws IllegalArgumentException when a context of this name exists
     * @throws IllegalStateException when the journal holds this context with another setup
     */
    <S, R> Context<S, R> getContext(String name, Setup<S> setup);

    /**
     * Makes a named context without setup; see {@link #getContext(String, Setup)}.
     *
     * @param name the context's name, unique in this manager
     * @param <R> the tasks' result type
     * @return the new context
     */
    <R> Context<Void, R> getContext(String name);

    /**
     * Makes a context without setup: its tasks receive {@code null}.
     *
     * @param <R> the tasks' result type
     * @return the new context
     */
    <R> Context<Void, R> getContext();

    /** @return a snapshot of every worker added so far, in id order; after {@link #close()}, as they ended */
    List<WorkerInfo> workers();

    /**
     * @return counters over the manager's life: tasks, results, setups sent, workers; after {@link
     *     #close()}, as they were at the close. They count every call made before this one (see {@link
     *     Context} on order).
     */
    ManagerStats stats();

    /** @return the address the manager listens on for workers */
    InetSocketAddress listenAddress();

    /**
     * @return where the status page ({@link ManagerBuilder#statusPort}) listens, or empty when it is
     *     off; {@code http://HOST:PORT/} shows the page, {@code /status.json} its data
     */
    default Optional<InetSocketAddress> statusAddress() {
        return Optional.empty();
    }

    /**
     * Registers a listener for task and worker events (see {@link ProgressListener} for the thread
     * they arrive on), and returns once it is registered: it first hears {@link ProgressListener#workerJoined}
     * for every worker already connected, then every event caused after this returns (a keyed task the program
     * adds next and ends from the journal included). A listener already registered is not registered twice. Should
     * the manager's event loop not get to it within 10 s (or the calling thread be interrupted, its flag then left
     * set), this returns with a warning and the listener is registered when the loop gets there.
     *
     * @param listener the listener
     * @throws UnsupportedOperationException when this manager implementation has no events
     */
    default void addListener(ProgressListener listener) {
        throw new UnsupportedOperationException(getClass().getName() + " does not deliver progress events");
    }

    /**
     * Stops delivering events to a listener: after this returns it hears nothing of what the program does
     * afterwards, while events already on their way (caused before) may still arrive.
     *
     * @param listener a listener given to {@link #addListener}
     */
    default void removeListener(ProgressListener listener) {
    }

    /**
     * Stops every worker this manager started, cancels unfinished tasks and closes the listener.
     * Every step runs whatever an earlier one threw; the first failure is thrown, the later ones attached as
     * suppressed, and calling close again retries only the steps that failed (a close that succeeded makes later
     * calls do nothing). A close on an interrupted thread closes fully and leaves the thread interrupted.
     * Afterwards reading a context's results gets {@link IllegalStateException} ("the manager is closed"), while
     * {@link #stats()} and {@link #workers()} give the final state.
     */
    @Override
    void close();
}
