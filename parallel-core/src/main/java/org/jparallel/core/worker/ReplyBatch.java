package org.jparallel.core.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jparallel.core.protocol.Message;

/**
 * The replies the task thread holds back so that the results of small tasks go out together: the
 * network thread is then woken once per batch instead of once per result, a large cost of a small
 * task. A result is held only after a small task, and for
 * at most {@link #HOLD_NANOS} or {@link #HOLD_MAX} results; should the next task run long, the
 * periodic check of {@link HeldReplyWatch} ({@link #sendIfOlderThan}) sends what waits, so a
 * result is held up by the task after it for 25 milliseconds at most.
 */
final class ReplyBatch {
    /**
     * A task that took less than this lets its result wait to go out with those of the next tasks. 100 us
     * rather than 20: a fresh worker runs its first trivial tasks in the interpreter at 30-100 us each,
     * and their results went out one write (and one wake-up of the manager's loop) each, 1,700-2,100
     * writes for the first 20,000 tasks; 700-750 now (docs/benchmarks/2026-12-06-fresh.md).
     */
    static final long SMALL_TASK_NANOS = 100_000;
    /**
     * Results wait at most this long for more (250 us: a few interpreted tasks' worth), and at most
     * {@link #HOLD_MAX} of them: half the largest automatic prefetch once, so the manager refills a
     * worker while it runs the rest of its tasks (holding all 64 drained the pipeline, and one worker ran
     * a quarter slower, measured). A worker whose queue runs dry sends what it holds at once.
     */
    static final long HOLD_NANOS = 250_000;
    static final int HOLD_MAX = 32;

    private final Consumer<List<Message>> send;
    private final long smallTaskNanos;
    private final long holdNanos;
    private List<Message> held = new ArrayList<>();
    private long firstHeldAt;
    /** Whether a batch has been handed on. */
    private volatile boolean sentAny;

    /** @param send hands a batch of replies on, in order, without blocking; called under this batch's lock */
    ReplyBatch(Consumer<List<Message>> send) {
        this(send, SMALL_TASK_NANOS, HOLD_NANOS);
    }

    /** With other limits, for tests that must not depend on how fast a task runs. */
    ReplyBatch(Consumer<List<Message>> send, long smallTaskNanos, long holdNanos) {
        this.send = send;
        this.smallTaskNanos = smallTaskNanos;
        this.holdNanos = holdNanos;
    }

    /**
     * Adds a task's reply; sends the batch now unless the task was small and the batch is young and short.
     *
     * @param taskNanos how long the task took
     * @param now {@link System#nanoTime()} now
     */
    synchronized void add(Message reply, long taskNanos, long now) {
        if (held.isEmpty()) {
            firstHeldAt = now;
        }
        held.add(reply);
        if (taskNanos >= smallTaskNanos || held.size() >= HOLD_MAX || now - firstHeldAt >= holdNanos) {
            sendHeld();
        }
    }

    /** Sends whatever is held; the task thread calls it before it sleeps. */
    synchronized void sendAll() {
        sendHeld();
    }

    /**
     * Sends the held replies if the first has waited {@code ageNanos}; the network thread's check.
     *
     * @param now {@link System#nanoTime()} now
     * @return true when it sent them
     */
    synchronized boolean sendIfOlderThan(long ageNanos, long now) {
        if (held.isEmpty() || now - firstHeldAt < ageNanos) {
            return false;
        }
        sendHeld();
        return true;
    }

    /** @return true once a batch has been handed on */
    boolean sentAny() {
        return sentAny;
    }

    /** @return true when replies are held */
    synchronized boolean holding() {
        return !held.isEmpty();
    }

    /** Hands the held replies on, under this batch's lock, so batches go on in the order they were made. */
    private void sendHeld() {
        if (!held.isEmpty()) {
            List<Message> out = held;
            held = new ArrayList<>();
            send.accept(out);
            if (!sentAny) { // a read per batch rather than a volatile write
                sentAny = true;
            }
        }
    }
}
