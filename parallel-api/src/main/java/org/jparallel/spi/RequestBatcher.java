package org.jparallel.spi;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Gathers what many threads ask for within a short window into one call. It exists for the scheduler
 * backends' stops: the core stops every worker at once at {@code close()} and from its shutdown hook,
 * and one {@code qdel} or {@code scancel} per worker would be slow and load the scheduler, so every
 * task asked to stop within the window goes in one command. Thread-safe.
 *
 * @param <T> what is asked for, e.g. a task to cancel
 */
public final class RequestBatcher<T> {
    private final long windowMillis;
    private final Consumer<Set<T>> action;
    private final Object lock = new Object();
    private Set<T> pending = new LinkedHashSet<>(); // guarded by lock
    private CountDownLatch next; // counted down when the next batch has run; guarded by lock

    /**
     * @param windowMillis how long the first request of a batch waits for others to join it
     * @param action runs one batch, in the order first asked, on a pool thread; it should not throw
     */
    public RequestBatcher(long windowMillis, Consumer<Set<T>> action) {
        this.windowMillis = windowMillis;
        this.action = action;
    }

    /**
     * Adds items to the next batch and waits until that batch has run. Nothing is done for none.
     *
     * @param items what to add
     * @param maxWaitMillis how long to wait at most
     * @throws InterruptedException when interrupted while waiting
     * @throws TimeoutException when the batch has not run in time
     */
    public void addAndWait(Collection<? extends T> items, long maxWaitMillis)
            throws InterruptedException, TimeoutException {
        if (items.isEmpty()) {
            return;
        }
        CountDownLatch done;
        synchronized (lock) {
            pending.addAll(items);
            if (next == null) {
                next = new CountDownLatch(1);
                CountDownLatch ran = next;
                CompletableFuture.delayedExecutor(windowMillis, TimeUnit.MILLISECONDS).execute(() -> runBatch(ran));
            }
            done = next;
        }
        if (!done.await(maxWaitMillis, TimeUnit.MILLISECONDS)) {
            throw new TimeoutException();
        }
    }

    private void runBatch(CountDownLatch ran) {
        Set<T> batch;
        synchronized (lock) {
            batch = pending;
            pending = new LinkedHashSet<>();
            next = null;
        }
        try {
            action.accept(batch);
        } finally {
            ran.countDown();
        }
    }
}
