package org.jparallel.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.jparallel.Manager;
import org.jparallel.RemoteTaskException;
import org.jparallel.SetupFailedException;
import org.jparallel.TaskFailedException;
import org.jparallel.core.dispatch.DispatcherFakes.FakeCompletion;
import org.junit.jupiter.api.Test;

/**
 * A keyed task's failure names its key, on each way the dispatcher fails a task: it threw, its setup threw, it
 * timed out, its worker was lost, no worker could ever take it. Driven on the test thread with fake links.
 */
class DispatcherKeyTest extends DispatcherRig {

    private QueuedTask keyed(String key, long timeoutMillis) {
        FakeCompletion c = new FakeCompletion(nextTaskId++, key);
        QueuedTask t = new QueuedTask(c, 1, new byte[] {(byte) c.id}, timeoutMillis);
        return t;
    }

    private static TaskFailedException failure(QueuedTask t, String key) {
        TaskFailedException f = ((FakeCompletion) t.completion).failure;
        assertNotNull(f, "the task failed");
        assertEquals(Optional.of(key), f.getKey());
        assertTrue(f.getMessage().startsWith("Task " + t.id() + " (key '" + key + "') failed: "), f.getMessage());
        return f;
    }

    private void startOneWorker() {
        start(Manager.builder().prefetch(1).taskRetries(0).maxLostAttempts(1).settings(), 1);
        connect(1);
    }

    @Test
    void aTaskThatThrew() {
        startOneWorker();
        QueuedTask t = keyed("threw", 0);
        dispatcher.submit(t);
        dispatcher.onFailure(1, t.id(), new RemoteTaskException("x.Boom", "boom", new StackTraceElement[0], null));
        failure(t, "threw");
    }

    @Test
    void aTaskWhoseSetupThrew() {
        startOneWorker();
        QueuedTask t = keyed("setup", 0);
        dispatcher.submit(t);
        RemoteTaskException setup = new RemoteTaskException("java.io.IOException", "no model",
                new StackTraceElement[0], null);
        dispatcher.onFailure(1, t.id(), new RemoteTaskException(SetupFailedException.class.getName(), "setup threw",
                new StackTraceElement[0], setup));
        assertInstanceOf(SetupFailedException.class, failure(t, "setup"));
    }

    @Test
    void aTaskWhoseWorkerWasLost() {
        startOneWorker();
        QueuedTask t = keyed("lost", 0);
        dispatcher.submit(t);
        dispatcher.workerDisconnected(1, "killed");
        failure(t, "lost");
    }

    @Test
    void aTaskThatTimedOut() {
        startOneWorker();
        QueuedTask t = keyed("slow", 500);
        dispatcher.submit(t);
        clock.onlyPending(500).run();
        failure(t, "slow");
    }

    @Test
    void aTaskNoWorkerCanEverTake() {
        startOneWorker();
        QueuedTask t = keyed("wide", 0);
        t.needCpus(64);
        dispatcher.submit(t);
        failure(t, "wide");
    }

    @Test
    void aTaskWithoutAKeyHasNone() {
        startOneWorker();
        QueuedTask t = submit(0);
        dispatcher.onFailure(1, t.id(), new RemoteTaskException("x.Boom", "boom", new StackTraceElement[0], null));
        TaskFailedException f = ((FakeCompletion) t.completion).failure;
        assertEquals(Optional.empty(), f.getKey());
        assertTrue(f.getMessage().startsWith("Task " + t.id() + " failed: "), f.getMessage());
    }
}
