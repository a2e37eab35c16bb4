package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.TaskFuture;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Only a close stops the manager's loop, and a public call may find the manager open just before and post to the loop
 * just after; the loop's inbox then refuses the post (RejectedExecutionException), which must not reach the caller:
 * opening a context and adding a task say the manager is closed (IllegalStateException, as their closed check would),
 * a task's cancel and a context's close return quietly. Deterministic: each test stops the loop itself, the manager
 * not yet marked closed, which is that window held open, then makes the call.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoppedLoopCallsTest {

    @Test
    void openingAContextSaysTheManagerIsClosed() throws Exception {
        try (Manager m = manager()) {
            stopLoop(m);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.getContext("c"));
            assertEquals("the manager is closed", e.getMessage());
            assertInstanceOf(RejectedExecutionException.class, e.getCause());
        }
    }

    @Test
    void addingATaskSaysTheManagerIsClosedAndAbandonsIt() throws Exception {
        try (Manager m = manager()) {
            Context<Void, byte[]> c = m.getContext("c");
            stopLoop(m);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.addTask(setup -> new byte[0]));
            assertEquals("the manager is closed", e.getMessage());
        }
    }

    @Test
    void cancellingATaskReturnsQuietly() throws Exception {
        try (Manager m = manager()) {
            Context<Void, byte[]> c = m.getContext("c");
            TaskFuture<byte[]> f = c.addTask(setup -> new byte[0]); // no worker: it waits
            stopLoop(m);
            assertTrue(assertDoesNotThrow(() -> f.cancel(true)), "cancelled");
            assertTrue(f.isCancelled());
        }
    }

    @Test
    void closingAContextReturnsQuietly() throws Exception {
        try (Manager m = manager()) {
            Context<Void, byte[]> c = m.getContext("c");
            c.addTask(setup -> new byte[0]);
            stopLoop(m);
            assertDoesNotThrow(c::close);
        }
    }

    @Test
    void addingAWorkerSaysTheManagerIsClosed() throws Exception {
        try (Manager m = manager()) {
            stopLoop(m);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.addWorker(new WorkerGroup() {
                @Override
                public int size() {
                    return 1;
                }

                @Override
                public String backendName() {
                    return "test";
                }

                @Override
                public List<WorkerHandle> start(LaunchSpec spec) {
                    return List.of(); // not reached: the loop refuses the workers first
                }
            }));
            assertEquals("the manager is closed", e.getMessage());
            assertInstanceOf(RejectedExecutionException.class, e.getCause());
        }
    }

    /** A refused context is not kept: its name is free again (the second call is refused too, not a duplicate). */
    @Test
    void aRefusedContextDoesNotKeepItsName() throws Exception {
        try (Manager m = manager()) {
            stopLoop(m);
            assertThrows(IllegalStateException.class, () -> m.getContext("c"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.getContext("c"));
            assertEquals("the manager is closed", e.getMessage());
            assertEquals(0, ((java.util.Map<?, ?>) field(m, "contexts")).size(), "no context kept");
        }
    }

    private static Object field(Object o, String name) throws ReflectiveOperationException {
        Field f = DefaultManager.class.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
    }

    private static Manager manager() {
        return Manager.builder().bindAddress("127.0.0.1").build();
    }

    /** Stops the manager's loop as its close would, without marking it closed. */
    private static void stopLoop(Manager m) throws ReflectiveOperationException {
        Field f = DefaultManager.class.getDeclaredField("loop");
        f.setAccessible(true);
        EventLoop loop = (EventLoop) f.get(m);
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
