package org.jparallel.core.loop;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Hands items from any thread to an event loop in batches: items queue up, and one drain at a time
 * runs on the loop with everything queued by then. A caller adding items in a tight loop costs the
 * loop one task (and at most one wake-up) per batch instead of one per item: the manager's
 * {@code addTask} uses it to reach the dispatcher, a worker's task thread to send its replies. Items keep the order in
 * which they were added, and when {@link #add} returns a drain is queued on the loop that is
 * sure to run after the item was added, so anything the same thread posts to the loop afterwards
 * runs after the item is handled.
 *
 * <p>The queue is Netty's multi-producer, single-consumer queue (JCTools', through Netty's internal
 * {@code PlatformDependent}, as Netty's own event loops use it), which stores items in chunks of an
 * array (a {@code ConcurrentLinkedQueue} allocated a node per item: 7% of a manager's garbage per
 * trivial task); only the drain, on the loop, takes from it. The batch list handed to the handler is
 * reused, so the handler must not keep it.
 *
 * @param <T> the item type
 */
public final class LoopInbox<T> {
    private static final int MAX_BATCH = 4096;
    private final EventExecutor loop;
    private final Consumer<List<T>> handler;
    private final Queue<T> queue = PlatformDependent.newMpscQueue();
    /** Touched only by the drain, on the loop. */
    private final List<T> batch = new ArrayList<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;

    /**
     * @param loop the event loop that handles the items
     * @param handler called on the loop with each batch, in order; the list is reused after it returns
     */
    public LoopInbox(EventExecutor loop, Consumer<List<T>> handler) {
        this.loop = loop;
        this.handler = handler;
    }

    /** Queues an item for the loop; callable from any thread. */
    public void add(T item) {
        queue.add(item);
        scheduleDrain();
    }

    /** Queues several items for the loop, in order, with at most one wake-up; callable from any thread. */
    public void addAll(List<T> items) {
        queue.addAll(items);
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            loop.execute(drain);
        }
    }

    private void drain() {
        drainScheduled.set(false);
        try {
            T item;
            while ((item = queue.poll()) != null) {
                batch.add(item);
                if (batch.size() == MAX_BATCH) {
                    handler.accept(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                handler.accept(batch);
            }
        } finally {
            batch.clear();
        }
    }
}
