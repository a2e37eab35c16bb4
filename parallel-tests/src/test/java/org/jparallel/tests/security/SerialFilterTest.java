package org.jparallel.tests.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.JParallelException;
import org.jparallel.Manager;
import org.jparallel.TaskFuture;
import org.jparallel.TaskOptions;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A class outside the allowlist ({@code jparallel.security.serial-filter}) sent by an authenticated
 * peer is refused with an error naming the class and the key: in a task (refused by the worker, the
 * task fails) and in a result (refused by the manager when read). Other tasks, the worker and the
 * manager carry on.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SerialFilterTest {
    private static final String FORBIDDEN = Forbidden.class.getName();

    @TempDir
    Path tempDir;

    @Test
    void aForbiddenClassFailsItsTaskOrResultWithAClearErrorAndNothingElse() throws Exception {
        try (Manager manager = Manager.builder().outputPattern(tempDir.resolve("worker%d.output").toString())
                .serialFilter("!" + FORBIDDEN).build()) {
            manager.addWorker(new LocalWorker(1));
            Context<Void, Object> ctx = manager.getContext();

            Forbidden captured = new Forbidden(1);
            TaskFuture<Object> sent = ctx.addTask(s -> captured.value); // the worker must refuse the task
            TaskFuture<Object> returned = ctx.addTask(s -> new Forbidden(2)); // the manager must refuse the result
            TaskFuture<Object> fine = ctx.addTask(s -> "still fine");

            ExecutionException e = assertThrows(ExecutionException.class, () -> sent.get(60, TimeUnit.SECONDS));
            String msg = chain(e);
            assertTrue(msg.contains(FORBIDDEN), msg);
            assertTrue(msg.contains("jparallel.security.serial-filter"), msg);

            JParallelException r = assertThrows(JParallelException.class, () -> returned.get(60, TimeUnit.SECONDS));
            String rmsg = chain(r);
            assertTrue(rmsg.contains(FORBIDDEN), rmsg);
            assertTrue(rmsg.contains("jparallel.security.serial-filter"), rmsg);

            TaskFuture<Object> keyed = ctx.addTask(s -> new Forbidden(3), TaskOptions.none().withKey("input-7"));
            JParallelException k = assertThrows(JParallelException.class, () -> keyed.get(60, TimeUnit.SECONDS));
            assertTrue(k.getMessage().contains("(key 'input-7')"), "which input's result: " + k.getMessage());

            assertEquals("still fine", fine.get(60, TimeUnit.SECONDS));
            assertEquals(1, manager.stats().workersConnected());
            assertEquals(42, manager.<Integer>getContext().addTask(s -> 42).get(60, TimeUnit.SECONDS),
                    "the worker lives on");
        }
    }

    private static String chain(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append(" <- ");
        }
        return b.toString();
    }
}
