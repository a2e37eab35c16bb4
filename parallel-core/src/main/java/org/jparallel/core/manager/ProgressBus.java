package org.jparallel.core.manager;

import java.util.List;
import java.util.ArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jparallel.ProgressListener;
import org.jparallel.TaskFailedException;
import org.jparallel.WorkerInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries the dispatcher's events to the user's {@link ProgressListener}s on one thread of its own,
 * in order, so a slow or failing listener never stalls dispatching. The dispatcher calls it on its
 * thread; with no listener registered an event costs one volatile read.
 */
final class ProgressBus implements ProgressListener {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressBus.class);

    /** Replaced, never changed, so each event goes to the listeners registered when it happened. */
    private volatile List<ProgressListener> listeners = List.of();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jparallel-progress");
        t.setDaemon(true);
        return t;
    });

    /**
     * Registers a listener; called on the dispatcher thread, so the workers already connected are
     * announced to it before any later event.
     *
     * @param listener the listener
     * @param current every worker now, of which the connected ones are announced
     */
    synchronized void add(ProgressListener listener, List<WorkerInfo> current) {
        if (listeners.contains(listener)) {
            return; // registered once: one removeListener (removing at once and again on the loop) ends it
        }
        List<ProgressListener> next = new ArrayList<>(listeners);
        next.add(listener);
        listeners = List.copyOf(next);
        for (WorkerInfo w : current) {
            if (w.state() == WorkerInfo.State.CONNECTED) {
                deliver(List.of(listener), l -> l.workerJoined(w));
            }
        }
    }

    /**
     * Unregisters a listener at once, on the caller's thread: an event posted after this returns (one the program's
     * own thread causes next, such as a keyed task ended from the journal) does not reach it, while those posted
     * before are on their way. Were it posted to the dispatcher thread, a busy dispatcher would leave the listener
     * registered past the return.
     */
    synchronized void remove(ProgressListener listener) {
        List<ProgressListener> next = new ArrayList<>(listeners);
        next.remove(listener);
        listeners = List.copyOf(next);
    }

    private void post(Consumer<ProgressListener> event) {
        List<ProgressListener> to = listeners;
        if (!to.isEmpty()) {
            deliver(to, event);
        }
    }

    private void deliver(List<ProgressListener> to, Consumer<ProgressListener> event) {
        try {
            thread.execute(() -> {
                for (ProgressListener l : to) {
                    try {
                        event.accept(l);
                    } catch (RuntimeException e) {
                        LOG.warn("progress listener {} threw; ignored", l, e);
                    }
                }
            });
        } catch (RejectedExecutionException closed) {
            LOG.debug("progress event after close dropped");
        }
    }

    /** Delivers the events already posted (waiting up to a few seconds for slow listeners), then stops. */
    void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("progress listeners did not take their last events within 5 s; dropping them");
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
        }
    }

    @Override
    public void taskQueued(long taskId, int contextId) {
        post(l -> l.taskQueued(taskId, contextId));
    }

    @Override
    public void taskStarted(long taskId, int workerId) {
        post(l -> l.taskStarted(taskId, workerId));
    }

    @Override
    public void taskDone(long taskId, int workerId) {
        post(l -> l.taskDone(taskId, workerId));
    }

    @Override
    public void taskFailed(long taskId, TaskFailedException failure) {
        post(l -> l.taskFailed(taskId, failure));
    }

    @Override
    public void taskFromJournal(long taskId, int contextId) {
        post(l -> l.taskFromJournal(taskId, contextId));
    }

    @Override
    public void taskCancelled(long taskId) {
        post(l -> l.taskCancelled(taskId));
    }

    @Override
    public void workerJoined(WorkerInfo worker) {
        post(l -> l.workerJoined(worker));
    }

    @Override
    public void workerLost(WorkerInfo worker) {
        post(l -> l.workerLost(worker));
    }

    @Override
    public void workerDraining(WorkerInfo worker) {
        post(l -> l.workerDraining(worker));
    }

    @Override
    public void workerDrained(WorkerInfo worker) {
        post(l -> l.workerDrained(worker));
    }

    @Override
    public void workerFailed(WorkerInfo worker) {
        post(l -> l.workerFailed(worker));
    }
}
