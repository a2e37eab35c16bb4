package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.RemoteTaskException;
import org.jparallel.SetupFailedException;
import org.jparallel.TaskFailedException;
import org.jparallel.TaskFuture;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A setup that throws fails its context's tasks with an exception users can catch by type, whose
 * cause is the setup's own exception, rebuilt; through the results iterator and through the future.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SetupFailureTest {
    @TempDir
    Path tempDir;

    @Test
    void aSetupThatThrowsFailsItsTasksWithASetupFailedExceptionCarryingTheSetupsException() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(1));
            Context<String, String> ctx = manager.getContext(() -> {
                throw new IllegalStateException("no model file");
            });
            TaskFuture<String> future = ctx.addTask(s -> "never " + s);
            ctx.addTask(s -> "never either " + s);
            ExecutionException viaFuture = assertThrows(ExecutionException.class, future::get);
            assertSetupFailure(viaFuture.getCause());
            Iterator<String> results = ctx.getResults().iterator();
            TaskFailedException viaIterator = assertThrows(TaskFailedException.class, results::next);
            assertSetupFailure(viaIterator);
        }
    }

    private static void assertSetupFailure(Throwable t) {
        SetupFailedException e = assertInstanceOf(SetupFailedException.class, t, "a type users can catch");
        assertInstanceOf(TaskFailedException.class, t, "and still a failed task");
        RemoteTaskException cause = assertInstanceOf(RemoteTaskException.class, t.getCause(), String.valueOf(t));
        assertSame(cause, e.getSetupException());
        assertEquals(IllegalStateException.class.getName(), cause.getRemoteClassName(), "the setup's own exception");
        assertEquals("no model file", cause.getRemoteMessage());
        assertTrue(t.getMessage().contains("setup"), t.getMessage());
    }
}
