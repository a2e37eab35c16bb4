package org.jparallel.core.manager;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;

/**
 * Wakes threads waiting for results once per round of the event loop instead of once per result:
 * results that arrive while the loop handles a read are all in the inbox before its readers are
 * signalled, so a reader that keeps up with the workers wakes once per batch, not once per task
 * (a futex call and a thread switch each). Called on the journal's thread (results handed on once written), it wakes once per batch written;
 * called elsewhere off the loop, it wakes at once.
 */
final class ReaderWakeups {
    private final EventExecutor loop;
    private final List<ResultInbox<?>> pending = new ArrayList<>();
    private final Runnable flush = this::flush;
    /** A thread other than the loop whose wake-ups wait for {@link #flushDeferred} (the journal's), or null. */
    private volatile Thread deferring;
    /** Inboxes to wake at {@link #flushDeferred}; touched by {@link #deferring} only. */
    private final List<ResultInbox<?>> deferred = new ArrayList<>();

    ReaderWakeups(EventExecutor loop) {
        this.loop = loop;
    }

    /** Wakes the readers of {@code inbox} after the loop's current round (at once when called off the loop). */
    void wakeSoon(ResultInbox<?> inbox) {
        if (Thread.currentThread() == deferring) {
            if (!deferred.contains(inbox)) {
                deferred.add(inbox);
            }
            return;
        }
        if (!loop.inEventLoop()) {
            inbox.wake();
            return;
        }
        if (inbox.wakeQueued) {
            return;
        }
        inbox.wakeQueued = true;
        if (pending.isEmpty()) {
            loop.execute(flush);
        }
        pending.add(inbox);
    }

    /** From now on, wake-ups called on {@code thread} wait for its next {@link #flushDeferred}. */
    void deferOn(Thread thread) {
        deferring = thread;
    }

    /** Wakes the readers of every inbox {@link #deferring} asked to wake since its last call; on that thread. */
    void flushDeferred() {
        for (ResultInbox<?> inbox : deferred) {
            inbox.wake();
        }
        deferred.clear();
    }

    private void flush() {
        for (ResultInbox<?> inbox : pending) {
            inbox.wakeQueued = false;
            inbox.wake();
        }
        pending.clear();
    }
}
