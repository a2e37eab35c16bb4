package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jparallel.Manager;
import org.jparallel.core.dispatch.Dispatcher;
import org.jparallel.core.dispatch.DispatcherListener;
import org.jparallel.core.dispatch.QueuedTask;
import org.jparallel.core.leaks.NoLeaks;
import org.jparallel.core.serial.SerialFilter;
import org.jparallel.spi.WorkerHandle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The manager's commands reach the dispatcher in the order they were made, whatever batching the
 * tasks take on the way: driven on an {@link EmbeddedChannel}'s loop, whose tasks run only when the
 * test says, so each interleaving is reproduced exactly rather than by luck.
 */
@ExtendWith(NoLeaks.class)
class ManagerCommandsTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final Dispatcher dispatcher = new Dispatcher(Manager.builder().settings(), new NoListener(),
            new AtomicInteger(100)::getAndIncrement);
    private final ManagerCommands commands = new ManagerCommands(channel.eventLoop(), dispatcher);
    private final ResultInbox<Object> inbox = new ResultInbox<>(() -> null, new ReaderWakeups(channel.eventLoop()));
    private final TaskRecord.Owner<Object> owner = new TaskRecord.Owner<>(inbox, getClass().getClassLoader(),
            SerialFilter.of(null), commands::cancel);
    private long nextTaskId = 1;

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private TaskRecord<Object> submit(int contextId) {
        TaskRecord<Object> r = new TaskRecord<>(nextTaskId++, inbox.nextSequence(), owner);
        commands.submit(new QueuedTask(r, contextId, new byte[] {1}));
        return r;
    }

    @Test
    void aTaskAddedToANewContextWhileADrainOfOlderTasksIsPendingIsQueuedNotCancelled() {
        commands.openContext(1, null);
        TaskRecord<Object> older = submit(1); // a drain of the inbox is now pending on the loop
        commands.openContext(2, null);
        TaskRecord<Object> newer = submit(2); // rides with the pending drain
        channel.runPendingTasks();

        assertFalse(older.isDone(), older.toString());
        assertFalse(newer.isDone(), "the task of the new context was " + newer);
        assertEquals(2, dispatcher.stats().waiting());
    }

    @Test
    void everyKindOfCommandKeepsItsPlaceAmongTheTasks() {
        commands.openContext(1, null);
        TaskRecord<Object> kept = submit(1);
        commands.closeContext(1);
        commands.openContext(2, null);
        TaskRecord<Object> second = submit(2);
        List<Integer> seen = new java.util.ArrayList<>();
        commands.execute(() -> seen.add((int) dispatcher.stats().waiting()));
        channel.runPendingTasks();

        CancellationException e = assertThrows(CancellationException.class, kept::get);
        assertTrue(e.getMessage().contains("its context was closed"), e.getMessage());
        assertFalse(second.isDone(), second.toString());
        assertEquals(List.of(1), seen, "the command ran after the task added before it, before none after");
    }

    @Test
    void aTaskOfAContextNeverOpenedIsNotSaidToHaveBeenClosed() {
        TaskRecord<Object> stray = submit(9);
        channel.runPendingTasks();

        CancellationException e = assertThrows(CancellationException.class, stray::get);
        assertTrue(e.getMessage().contains("context 9 was never opened"), e.getMessage());
    }

    /** A dispatcher listener that expects nothing of the manager. */
    private static final class NoListener implements DispatcherListener {
        @Override
        public void workerConnected(int workerId) {
        }

        @Override
        public void workerGone(java.util.function.Supplier<String> summary) {
        }

        @Override
        public void stopWorker(WorkerHandle handle) {
        }
    }
}
