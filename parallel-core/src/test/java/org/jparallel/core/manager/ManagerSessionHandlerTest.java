package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jparallel.Manager;
import org.jparallel.ManagerSettings;
import org.jparallel.RemoteTaskException;
import org.jparallel.core.dispatch.Dispatcher;
import org.jparallel.core.dispatch.DispatcherFakes;
import org.jparallel.core.dispatch.QueuedTask;
import org.jparallel.core.dispatch.WorkerLink;
import org.jparallel.core.leaks.NoLeaks;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.MessageEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The manager's session handler with a real Dispatcher: a worker's FAILURE payload is read only
 * when the worker holds the task, as a RESULT's is, so an authenticated peer cannot make the
 * manager deserialize failures of tasks it was never given.
 */
@ExtendWith(NoLeaks.class)
class ManagerSessionHandlerTest {
    private final ManagerSettings settings = Manager.builder().prefetch(1).taskRetries(0).settings();
    private final AtomicInteger reads = new AtomicInteger();
    private Dispatcher dispatcher;
    private EmbeddedChannel channel;

    @BeforeEach
    void connectWorker1() {
        dispatcher = new Dispatcher(settings, new DispatcherFakes.Listener(), () -> 100);
        dispatcher.workersAdded(List.of(1), "test");
        assertTrue(dispatcher.admit(new Message.Hello(MessageEncoder.VERSION, 1, 1L, "h", "17", new byte[32])).admitted());
        dispatcher.attach(1, new WorkerLink() {
            @Override
            public void send(Message message) {
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        dispatcher.openContext(1, null);
        channel = new EmbeddedChannel(new ManagerSessionHandler(1, dispatcher, settings, payload -> {
            reads.incrementAndGet();
            return new RemoteTaskException("java.lang.IllegalStateException", "boom", new StackTraceElement[0], null);
        }));
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aWorkerSilentPastTheHeartbeatTimeoutIsToldToShutDownBeforeItsConnectionCloses() {
        channel.pipeline().fireUserEventTriggered(io.netty.handler.timeout.IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        assertTrue(channel.readOutbound() instanceof Message.Shutdown,
                "a worker that only stalled reads SHUTDOWN when it wakes, and does not come back as a new worker");
        assertTrue(!channel.isOpen());
    }

    @Test
    void aFailureOfATaskTheWorkerDoesNotHoldIsNotRead() {
        channel.writeInbound(new Message.Failure(77L, new byte[] {16, 1, 2, 3}));
        assertEquals(0, reads.get(), "no task 77 on worker 1: its failure payload is never deserialized");
        assertTrue(channel.isOpen());
    }

    @Test
    void aFailureOfAHeldTaskIsReadOnceAndFailsTheTaskAndALateRepeatIsNotRead() {
        DispatcherFakes.FakeCompletion five = new DispatcherFakes.FakeCompletion(5L);
        dispatcher.submit(new QueuedTask(five, 1, new byte[] {9}));
        channel.writeInbound(new Message.Failure(5L, new byte[] {16, 1}));
        assertEquals(1, reads.get());
        assertEquals(1, five.calls);
        assertNotNull(five.failure.getAttempts().get(0).cause());
        channel.writeInbound(new Message.Failure(5L, new byte[] {16, 1}));
        assertEquals(1, reads.get(), "the task is over: a second failure is not read");
    }
}
