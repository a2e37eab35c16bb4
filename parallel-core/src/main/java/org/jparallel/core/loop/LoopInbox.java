package org.jparallel.core.loop;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Hands items and commands from any thread to an event loop, in one order: items queue up, and one
 * drain at a time runs on the loop with everything queued by then, handing the items to the handler
 * in batches. A caller adding items in a tight loop costs the loop one task (and at most one wake-up)
 * per batch instead of one per item: the manager's {@code addTask} uses it to reach the dispatcher, a
 * worker's task thread to send its replies.
 *
 * <p>Order: items and {@linkplain #execute commands} are handled in the order they entered the queue.
 * For one thread that is the order of its calls; across threads, a call that happens-before another
 * (through a lock, a concurrent collection, {@code Thread.start}...) is handled before it; calls with
 * no such order between them are handled in some order, each whole. A command runs after the items
 * queued before it were handed to the handler and before any queued after it. Anything posted to the
 * loop directly ({@code loop.execute}) has no order with respect to this queue: whoever needs order
 * posts through here.
 *
 * <p>The queue is Netty's multi-producer, single-consumer queue (JCTools', through Netty's internal
 * {@code PlatformDependent}, as Netty's own event loops use it), which stores items in chunks of an
 * array (a {@code ConcurrentLinkedQueue} would allocate a node per item); only the drain, on the
 * loop, takes from it. A command is queued wrapped, so the
 * drain tells it from an item with one type check. The batch list handed to the handler is reused,
 * so the handler must not keep it.
 *
 * @param <T> the item type
 */
public final class LoopInbox<T> {
    private static final int MAX_BATCH = 4096;
    /** The first and the longest pause of a post waiting for room in a running loop's full task queue. */
    private static final long MIN_PAUSE_NANOS = 10_000;
    private static final long MAX_PAUSE_NANOS = 10_000_000;
    /** How long a post waits for room in a full loop before it says so (once per wait). */
    private static final long WARN_AFTER_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LoopInbox.class);
    private final EventExecutor loop;
    private final Consumer<List<T>> handler;
    /** Items ({@code T}) and {@link Command}s. */
    private final Queue<Object> queue = PlatformDependent.newMpscQueue();
    /** Touched only by the drain, on the loop. */
    private final List<T> batch = new ArrayList<>();
    /**
     * Odd from a post's claim of the next drain until that drain starts: a post moves it from even to odd and
     * schedules the drain, the drain (on the loop, so one at a time) moves it back to even before it polls.
     */
    private final AtomicLong drainSeq = new AtomicLong();
    /** The odd {@link #drainSeq} whose drain the loop accepted; until then a post cannot rely on that drain. */
    private final AtomicLong acceptedSeq = new AtomicLong(-1);
    /**
     * Set for good when a stopped loop refused a drain: every later post is refused at once. A running loop's refusal
     * (Netty's full task queue, {@code io.netty.eventLoop.maxPendingTasks}) is never thrown: see {@link #submitDrain}.
     */
    private volatile boolean refused;
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

    /**
     * Runs {@code command} on the loop after every item and command queued before it and before any
     * queued after it (see the order above); callable from any thread, the loop's own included.
     */
    public void execute(Runnable command) {
        queue.add(new Command(command));
        scheduleDrain();
    }

    /**
     * Takes the items still queued once the loop has terminated, for whoever stopped it to abandon them: a loop can
     * drop a drain it had accepted when it shuts down meanwhile (Netty 4.2), and the posts that counted on that drain
     * returned normally. Commands left over are dropped (they cannot run off the loop). Call it only after the loop
     * terminated; before that it takes nothing, since a drain may still be taking them (the queue has one consumer).
     * Synchronized: the close calls it from its own thread and from the loop's termination listener, and the
     * queue takes one consumer at a time.
     *
     * @return the items left, in order; empty while the loop has not terminated
     */
    @SuppressWarnings("unchecked")
    public synchronized List<T> leftovers() {
        List<T> items = new ArrayList<>();
        if (!loop.isTerminated()) {
            return items;
        }
        Object o;
        while ((o = queue.poll()) != null) {
            if (!(o instanceof Command)) {
                items.add((T) o);
            }
        }
        return items;
    }

    /**
     * Makes sure a drain that starts after this call's item was queued is on the loop. A post that finds a drain
     * claimed but not yet accepted by the loop (another post is inside {@code loop.execute}, which may yet be
     * refused) schedules one too instead of returning on the other's word: a stopped loop then refuses it as well,
     * and an accepted one costs an extra, empty drain. A post that returns normally has its item handled unless the
     * loop drops a drain it accepted: Netty 4.2's {@code execute} can accept a task and drop it when the loop shuts
     * down meanwhile. A post that finds the accepted drain not started on a terminated loop is refused; one that
     * returned just before is covered by {@link #leftovers}, which whoever stopped the loop takes and abandons.
     *
     * @throws RejectedExecutionException only when the loop is stopped: at every post once it refused one (sticky),
     *     and at a post overlapping the refused one. A running loop whose task queue is full makes the post wait (off
     *     the loop) or schedules the drain (on it), see {@link #submitDrain}: a post to a running loop returns
     *     normally and its item is handled. A refused post's item may still be handled, when an overlapping post's
     *     drain got onto the loop before it stopped (whoever stopped it abandons everything anyway).
     */
    private void scheduleDrain() {
        for (;;) {
            if (refused) {
                throw new RejectedExecutionException("the loop refused an earlier post: it is stopped");
            }
            long seq = drainSeq.get();
            if ((seq & 1) == 0) {
                if (drainSeq.compareAndSet(seq, seq + 1)) {
                    submitDrain();
                    // the largest: a slow claimer must not put back an older one (every post would then submit a
                    // drain of its own until the next claim)
                    acceptedSeq.accumulateAndGet(seq + 1, Math::max);
                    return;
                }
            } else if (acceptedSeq.get() == seq) {
                if (!loop.isTerminated()) {
                    return; // the loop accepted a drain that has not started: it takes this item
                }
                refused = true; // it ended without running that drain (Netty 4.2 can drop one accepted while it stops)
                throw new RejectedExecutionException("the loop terminated without running an accepted drain");
            } else {
                submitDrain(); // the claimed drain may yet be refused; rare: only while its post is in execute
                return;
            }
        }
    }

    /**
     * Hands the drain to the loop. A stopped loop's refusal is sticky and thrown. A running loop refuses only when its
     * task queue is full ({@code io.netty.eventLoop.maxPendingTasks}, set by the user): the item is queued by then, so
     * the post must not fail (its caller would give the item up while a later drain hands it on). Off the loop, the
     * post waits for room, retrying with a growing pause (as Netty's own {@code RejectedExecutionHandlers.backoff}):
     * back-pressure on the thread that floods the loop. On the loop, which cannot wait for itself, it schedules the
     * drain instead: a task the loop schedules for itself does not go through its bounded task queue.
     */
    private void submitDrain() {
        long pause = 0;
        long waited = 0;
        boolean warned = false;
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    loop.execute(drain);
                    return;
                } catch (RejectedExecutionException e) {
                    if (loop.isShutdown()) {
                        refused = true;
                        throw e;
                    }
                    if (loop.inEventLoop()) {
                        loop.schedule(drain, 0, TimeUnit.NANOSECONDS);
                        return;
                    }
                }
                pause = pause == 0 ? MIN_PAUSE_NANOS : Math.min(2 * pause, MAX_PAUSE_NANOS);
                waited += pause;
                if (!warned && waited >= WARN_AFTER_NANOS) {
                    warned = true; // a loop stuck in a handler, or a queue bound set too low: say why this thread waits
                    LOG.warn("{} has waited {} s for room in its event loop's full task queue (io.netty.eventLoop."
                            + "maxPendingTasks); it goes on waiting", Thread.currentThread().getName(),
                            TimeUnit.NANOSECONDS.toSeconds(waited));
                }
                interrupted |= Thread.interrupted(); // else each park would return at once; kept for the caller
                LockSupport.parkNanos(this, pause);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void drain() {
        long seq = drainSeq.get();
        if ((seq & 1) != 0) {
            drainSeq.set(seq + 1); // only drains, one at a time on the loop, move it from odd to even
        }
        try {
            Object o;
            while ((o = queue.poll()) != null) {
                if (o instanceof Command c) {
                    handBatch();
                    c.command.run();
                    continue;
                }
                batch.add((T) o);
                if (batch.size() == MAX_BATCH) {
                    handBatch();
                }
            }
            handBatch();
        } catch (RuntimeException | Error e) {
            try {
                scheduleDrain(); // what is still queued is not stranded behind the failure
            } catch (RejectedExecutionException stopped) {
                e.addSuppressed(stopped); // the loop stopped meanwhile: the handler's failure is what matters
            }
            throw e;
        } finally {
            batch.clear();
        }
    }

    private void handBatch() {
        if (!batch.isEmpty()) {
            try {
                handler.accept(batch);
            } finally {
                batch.clear();
            }
        }
    }

    /** A command in the queue; a class of its own, so that an item that is itself a Runnable is still an item. */
    private static final class Command {
        final Runnable command;

        Command(Runnable command) {
            this.command = java.util.Objects.requireNonNull(command, "command");
        }
    }
}
