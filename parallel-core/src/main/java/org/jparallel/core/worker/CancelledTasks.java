package org.jparallel.core.worker;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The cancellations a worker must still act on: those of tasks it holds but has not started. The
 * manager sends a CANCEL only for a task it has already sent on the same connection, so when a
 * CANCEL arrives its task is one of the tasks received so far; once the task thread has started as
 * many tasks as had been received then, that task has had its turn and the cancellation can go.
 * Each cancellation is kept with that count, so the set holds no more than the cancellations of
 * tasks still queued, and never forgets one of them (clearing a full set let cancelled tasks run).
 * Not thread-safe: the caller guards it.
 */
final class CancelledTasks {
    /** A cancellation and the number of tasks received when it arrived. */
    private record Mark(long taskId, long received) {
    }

    private final Set<Long> ids = new HashSet<>();
    private final ArrayDeque<Mark> marks = new ArrayDeque<>();

    /**
     * Remembers a cancellation, unless every task received so far has started (it then concerns a
     * task that already ran or runs now).
     *
     * @param received how many tasks had been received when the CANCEL arrived
     * @param started how many tasks the task thread has started (or skipped)
     * @return whether it was remembered: the task may still wait
     */
    boolean add(long taskId, long received, long started) {
        forgetStarted(started);
        if (received > started) {
            ids.add(taskId);
            marks.addLast(new Mark(taskId, received));
            return true;
        }
        return false;
    }

    /**
     * Called as the task thread takes its {@code started}-th task.
     *
     * @return true when that task was cancelled and must be skipped
     */
    boolean take(long taskId, long started) {
        boolean cancelled = !ids.isEmpty() && ids.remove(taskId);
        if (!marks.isEmpty()) {
            forgetStarted(started);
        }
        return cancelled;
    }

    /** @return how many cancellations are remembered */
    int size() {
        return ids.size();
    }

    /** Drops the cancellations whose tasks have all had their turn. */
    private void forgetStarted(long started) {
        while (!marks.isEmpty() && marks.peekFirst().received() <= started) {
            ids.remove(marks.pollFirst().taskId());
        }
    }
}
