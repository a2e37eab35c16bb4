package org.jparallel.core.manager;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The steps of one close, each run whatever an earlier one threw, so that a failure part-way (a journal that
 * cannot be written, a status page that cannot stop) leaves no worker, thread or socket behind: the first failure
 * is thrown once every step has run, the later ones suppressed in it. A step that returned is done; one that
 * threw is run again by the next close, which runs nothing else. A close called while another thread is in one
 * returns at once, as one called from inside a step does (the thread that closes waits for threads that may call
 * it, such as a progress listener's).
 *
 * <p>No step starts with an interrupt: the thread's flag is cleared before each step, whether the caller's thread
 * came interrupted or was interrupted during an earlier step (the program's other thread, a step that restores a
 * flag it caught), since the flag would cut the step's waits short (workers not told to go, the journal not
 * written). So an interrupt that came before the close or between its steps cuts no wait short; one that comes
 * during a step may cut that step's own waits short (not every wait ends on an interrupt: the journal's close keeps
 * waiting while its thread gets on), and the later steps start cleared. The caller gets the flag back set when any
 * was seen.
 */
final class CloseSteps {
    private final ReentrantLock lock = new ReentrantLock();
    private final boolean[] done;

    /** @param count how many steps the close has, always given in the same order */
    CloseSteps(int count) {
        this.done = new boolean[count];
    }

    /**
     * Runs the steps not done yet, in order, each with the thread's interrupt flag cleared; the flag is set again
     * at the end when it was set on entry or after any step.
     *
     * @throws RuntimeException or {@link Error}: the first a step threw, the later ones suppressed
     */
    void run(Runnable... steps) {
        if (steps.length != done.length) {
            throw new IllegalArgumentException(steps.length + " steps, " + done.length + " expected");
        }
        if (lock.isHeldByCurrentThread() || !lock.tryLock()) {
            return;
        }
        Throwable failure = null;
        boolean interrupted = false;
        try {
            for (int i = 0; i < steps.length; i++) {
                if (!done[i]) {
                    interrupted |= Thread.interrupted();
                    try {
                        steps[i].run();
                        done[i] = true;
                    } catch (Throwable t) { // an Error too: the rest still runs
                        failure = add(failure, t);
                    }
                }
            }
        } finally {
            lock.unlock();
            if (interrupted | Thread.interrupted()) { // not ||: the last step's flag is cleared, then set again
                Thread.currentThread().interrupt();
            }
        }
        rethrow(failure);
    }

    /** Calls {@code step} for each item, whatever it threw for an earlier one; throws as {@link #run} does. */
    static <T> void each(Iterable<T> items, Consumer<? super T> step) {
        Throwable failure = null;
        for (T item : items) {
            try {
                step.accept(item);
            } catch (Throwable t) {
                failure = add(failure, t);
            }
        }
        rethrow(failure);
    }

    private static Throwable add(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        if (first != next) {
            first.addSuppressed(next);
        }
        return first;
    }

    private static void rethrow(Throwable failure) {
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) { // a checked exception thrown sneakily: still the caller's to see
            throw new IllegalStateException(failure);
        }
    }
}
