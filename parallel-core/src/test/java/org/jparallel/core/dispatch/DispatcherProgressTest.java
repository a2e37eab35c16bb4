package org.jparallel.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jparallel.Manager;
import org.jparallel.ProgressListener;
import org.jparallel.RemoteTaskException;
import org.jparallel.TaskFailedException;
import org.jparallel.WorkerInfo;
import org.jparallel.core.dispatch.DispatcherFakes.FakeCompletion;
import org.jparallel.core.dispatch.DispatcherFakes.FakeLink;
import org.jparallel.core.dispatch.DispatcherFakes.Listener;
import org.jparallel.core.protocol.Message;
import org.junit.jupiter.api.Test;

/** The dispatcher reports task and worker events to its progress listener, in order, once per end. */
class DispatcherProgressTest {
    private final List<String> events = new ArrayList<>();
    private final ProgressListener recorder = new ProgressListener() {
        @Override
        public void taskQueued(long taskId, int contextId) {
            events.add("queued " + taskId + " ctx " + contextId);
        }

        @Override
        public void taskStarted(long taskId, int workerId) {
            events.add("started " + taskId + " on " + workerId);
        }

        @Override
        public void taskDone(long taskId, int workerId) {
            events.add("done " + taskId + " on " + workerId);
        }

        @Override
        public void taskFailed(long taskId, TaskFailedException failure) {
            events.add("failed " + taskId);
        }

        @Override
        public void taskCancelled(long taskId) {
            events.add("cancelled " + taskId);
        }

        @Override
        public void workerJoined(WorkerInfo worker) {
            events.add("joined " + worker.id() + " " + worker.state());
        }

        @Override
        public void workerLost(WorkerInfo worker) {
            events.add("lost " + worker.id() + " " + worker.state());
        }

        @Override
        public void workerFailed(WorkerInfo worker) {
            events.add("failed worker " + worker.id() + " " + worker.detail());
        }
    };

    private Dispatcher dispatcher(int maxLostAttempts) {
        Dispatcher d = new Dispatcher(Manager.builder().maxLostAttempts(maxLostAttempts).settings(), new Listener(),
                new AtomicInteger(100)::getAndIncrement);
        d.progressTo(recorder);
        d.workersAdded(List.of(1, 2, 3), "test");
        return d;
    }

    private static FakeLink connect(Dispatcher d, int id) {
        d.admit(new Message.Hello(1, id, 1000 + id, "host" + id, "17", new byte[32]));
        FakeLink link = new FakeLink();
        d.attach(id, link);
        return link;
    }

    @Test
    void aTaskIsQueuedStartedAndDoneAndWorkersJoinFailAndAreLost() {
        Dispatcher d = dispatcher(1);
        d.workerFailedToStart(3, "exited with code 1");
        connect(d, 1);
        d.openContext(1, null);
        d.submit(new QueuedTask(new FakeCompletion(7), 1, new byte[] {1}));
        d.onResult(1, 7, new byte[] {2});
        d.submit(new QueuedTask(new FakeCompletion(8), 1, new byte[] {1}));
        d.onFailure(1, 8, new RemoteTaskException("java.lang.IllegalStateException", "boom", new StackTraceElement[0], null));
        d.submit(new QueuedTask(new FakeCompletion(9), 1, new byte[] {1}));
        d.workerDisconnected(1, "connection reset");
        connect(d, 2);
        FakeCompletion ten = new FakeCompletion(10);
        d.submit(new QueuedTask(ten, 1, new byte[] {1}));
        d.cancel(ten, true);

        assertEquals(List.of(
                "failed worker 3 exited with code 1",
                "joined 1 CONNECTED",
                "queued 7 ctx 1", "started 7 on 1", "done 7 on 1",
                "queued 8 ctx 1", "started 8 on 1", "failed 8",
                "queued 9 ctx 1", "started 9 on 1", "failed 9", "lost 1 LOST",
                "joined 2 CONNECTED",
                "queued 10 ctx 1", "started 10 on 2", "cancelled 10"), events);
    }

    @Test
    void aTaskOnALostWorkerWithBudgetLeftStartsAgainElsewhere() {
        Dispatcher d = dispatcher(3);
        connect(d, 1);
        d.openContext(1, null);
        d.submit(new QueuedTask(new FakeCompletion(5), 1, new byte[] {1}));
        d.workerDisconnected(1, "killed");
        connect(d, 2);
        d.onResult(2, 5, new byte[] {2});
        assertEquals(List.of("joined 1 CONNECTED", "queued 5 ctx 1", "started 5 on 1", "lost 1 LOST",
                "joined 2 CONNECTED", "started 5 on 2", "done 5 on 2"), events);
    }

    /**
     * A journaled task's future completes once its result is written, after the dispatcher ended the task (and, without
     * a journal, the dispatcher ends it just before it completes the future): the program's cancel can still win there
     * and reach the dispatcher after the end. It must not make a second end event: "it ends once".
     */
    @Test
    void aTaskTheProgramCancelsAfterTheDispatcherEndedItHasOneEndEvent() {
        Dispatcher d = dispatcher(1);
        connect(d, 1);
        d.openContext(1, null);
        FakeCompletion seven = new FakeCompletion(7);
        d.submit(new QueuedTask(seven, 1, new byte[] {1}));
        d.onResult(1, 7, new byte[] {2});
        seven.cancelled = true; // the program's cancel won: its future had not completed yet
        d.cancel(seven, false);
        FakeCompletion eight = new FakeCompletion(8);
        d.submit(new QueuedTask(eight, 1, new byte[] {1}));
        d.onFailure(1, 8, new RemoteTaskException("java.lang.IllegalStateException", "boom", new StackTraceElement[0], null));
        eight.cancelled = true;
        d.cancel(eight, true);
        assertEquals(List.of("joined 1 CONNECTED", "queued 7 ctx 1", "started 7 on 1", "done 7 on 1",
                "queued 8 ctx 1", "started 8 on 1", "failed 8"), events);
    }

    /**
     * A task whose completion threw while taking its result (a held payload's take, say) got no end event; the
     * dispatcher must not count it ended then, or the program's later cancel (its future still pending) posts none
     * either and the task never ends for the listeners.
     */
    @Test
    void aTaskWhoseCompletionThrewGetsTheCancelsEvent() {
        Dispatcher d = dispatcher(1);
        connect(d, 1);
        d.openContext(1, null);
        TaskCompletion seven = new TrackedCompletion() {
            private boolean cancelled;

            @Override
            public long taskId() {
                return 7;
            }

            @Override
            public boolean isCancelled() {
                return cancelled;
            }

            @Override
            public void succeeded(byte[] payload) {
                cancelled = true; // the program's cancel comes next: its future never completed
                throw new IllegalStateException("the payload could not be taken");
            }

            @Override
            public void failed(TaskFailedException failure) {
            }

            @Override
            public void abandoned(String why) {
                cancelled = true;
            }
        };
        d.submit(new QueuedTask(seven, 1, new byte[] {1}));
        assertThrows(IllegalStateException.class, () -> d.onResult(1, 7, new byte[] {2}));
        d.cancel(seven, false);
        assertEquals(List.of("joined 1 CONNECTED", "queued 7 ctx 1", "started 7 on 1", "cancelled 7"), events);
    }
}
