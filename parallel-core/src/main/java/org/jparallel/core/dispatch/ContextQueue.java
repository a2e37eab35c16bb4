package org.jparallel.core.dispatch;

import java.util.ArrayDeque;

/** One context's setup and waiting tasks, oldest first. Touched only on the dispatcher thread. */
final class ContextQueue {
    final int id;
    final byte[] setupPayload;
    final ArrayDeque<QueuedTask> waiting = new ArrayDeque<>();

    ContextQueue(int id, byte[] setupPayload) {
        this.id = id;
        this.setupPayload = setupPayload;
    }

    /** @return the id of the oldest waiting task, or {@code Long.MAX_VALUE} when none waits */
    long oldest() {
        QueuedTask head = waiting.peekFirst();
        return head == null ? Long.MAX_VALUE : head.id();
    }
}
