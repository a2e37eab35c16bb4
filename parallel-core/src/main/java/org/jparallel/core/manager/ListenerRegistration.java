package org.jparallel.core.manager;

import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.jparallel.JParallelException;
import org.jparallel.ProgressListener;
import org.jparallel.core.dispatch.Dispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the manager registers the program's progress listeners on its {@link ProgressBus}: an add waits for the loop,
 * so that the workers already connected are announced first and the events the program's thread causes next reach the
 * listener; a remove takes effect at once on the program's thread, and once more on the loop against an add still
 * queued there. Apart from the manager, whose job is to own the loop, not the order of these two.
 */
final class ListenerRegistration {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultManager.class); // the manager's log, as before

    private final ProgressBus progress;
    private final ManagerCommands commands;
    private final Dispatcher dispatcher;
    private final BooleanSupplier closed;

    /**
     * @param progress the bus the listeners are on
     * @param commands the way to the loop
     * @param dispatcher read on the loop: the workers to announce
     * @param closed whether the manager's close began (its loop may be stopped)
     */
    ListenerRegistration(ProgressBus progress, ManagerCommands commands, Dispatcher dispatcher, BooleanSupplier closed) {
        this.progress = progress;
        this.commands = commands;
        this.dispatcher = dispatcher;
        this.closed = closed;
    }

    /** Registers a listener on the loop and waits for it there (see {@link org.jparallel.Manager#addListener}). */
    void add(ProgressListener listener) {
        // waits for the loop, so the events the program's own thread causes next (a keyed task ended from the
        // journal) reach the listener too
        try {
            commands.query(() -> {
                progress.add(listener, dispatcher.stats().workers());
                return null;
            });
        } catch (JParallelException notYet) {
            // the loop did not answer within the query's bound, or this thread was interrupted (its flag is set
            // again): the add is queued and lands when the loop gets there
            if (!Thread.currentThread().isInterrupted()) {
                LOG.warn("The manager's event loop did not register progress listener {} in time ({}); it will, and"
                        + " the listener misses the events before", listener, notYet.getMessage());
            }
        }
    }

    /** Unregisters a listener at once, and again on the loop (see {@link org.jparallel.Manager#removeListener}). */
    void remove(ProgressListener listener) {
        // at once, not on the loop: the events the program's own thread causes next (a keyed task ended from the
        // journal) must not reach the listener, and a busy loop would leave it registered until it got there
        progress.remove(listener);
        if (!closed.getAsBoolean()) {
            // and once more on the loop: an add still queued there (its addListener timed out or was interrupted)
            // must not land after this remove and keep the listener for good
            try {
                commands.execute(() -> progress.remove(listener));
            } catch (RejectedExecutionException closing) {
                // a close got in between and stopped the loop: no add lands there any more
            }
        }
    }
}
