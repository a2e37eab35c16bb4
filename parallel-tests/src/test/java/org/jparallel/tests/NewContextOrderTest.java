package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.Task;
import org.jparallel.TaskFuture;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A context made while another context's tasks are still on their way to the manager gets every task
 * added to it: each runs and each result arrives (issue 18, item 1: they were cancelled as if their
 * context had been closed, because they could reach the dispatcher before the context did).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class NewContextOrderTest {

    @TempDir
    Path tempDir;

    @Test
    void tasksOfAContextMadeBehindManyQueuedTasksAllRun() throws Exception {
        try (Manager manager = managerWithTwoWorkers()) {
            Context<Void, Integer> a = contextWithTasks(manager, 20_000);
            Context<Void, Integer> b = manager.getContext();
            List<TaskFuture<Integer>> bs = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                int k = i;
                bs.add(b.addTask(s -> -k));
            }
            for (int i = 0; i < bs.size(); i++) {
                assertEquals(-i, bs.get(i).get(60, TimeUnit.SECONDS), "task " + i + " of the new context");
            }
            assertEveryResult(a, 20_000, 1);
            assertEveryResult(b, 2_000, -1);
        }
    }

    @Test
    void aTightLoopOfNewContextEachWithOneTaskRunsEveryTask() throws Exception {
        try (Manager manager = managerWithTwoWorkers()) {
            List<TaskFuture<Integer>> futures = new ArrayList<>();
            List<Context<Void, Integer>> contexts = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                int k = i;
                Context<Void, Integer> c = manager.getContext();
                contexts.add(c);
                futures.add(c.addTask(s -> k));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(i, futures.get(i).get(60, TimeUnit.SECONDS), "the task of context " + i);
            }
            for (int i = 0; i < contexts.size(); i++) {
                Context<Void, Integer> c = contexts.get(i);
                List<Integer> results = new ArrayList<>();
                c.getResults().forEach(results::add);
                assertEquals(List.of(i), results, "the results of context " + c.id());
                c.close();
            }
            assertEquals(3_000, manager.stats().tasksSucceeded(), manager.stats().toString());
        }
    }

    @Test
    void mapUnorderedOnAContextMadeBehindManyQueuedTasksDeliversEveryResult() {
        try (Manager manager = managerWithTwoWorkers()) {
            Context<Void, Integer> a = contextWithTasks(manager, 20_000);
            Context<Void, Integer> b = manager.getContext();
            List<Task<Void, Integer>> tasks = IntStream.range(0, 5_000)
                    .mapToObj(k -> (Task<Void, Integer>) s -> k).toList();
            boolean[] seen = new boolean[5_000];
            int delivered = 0;
            for (Integer r : b.mapUnordered(tasks)) {
                assertTrue(!seen[r], "result " + r + " delivered twice");
                seen[r] = true;
                delivered++;
            }
            assertEquals(5_000, delivered, "results of the map on the new context");
            assertEveryResult(a, 20_000, 1);
        }
    }

    /** @return a manager whose two local workers have connected */
    private Manager managerWithTwoWorkers() {
        Manager manager = TestSupport.builder(tempDir).build();
        try {
            manager.addWorker(new LocalWorker(2));
            TestSupport.awaitConnected(manager, 2, Duration.ofSeconds(60));
            return manager;
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    /** @return a new context of {@code manager} holding {@code n} queued tasks, task k returning k */
    private static Context<Void, Integer> contextWithTasks(Manager manager, int n) {
        Context<Void, Integer> ctx = manager.getContext();
        for (int i = 0; i < n; i++) {
            int k = i;
            ctx.addTask(s -> k);
        }
        return ctx;
    }

    /** Reads every result of {@code ctx}: {@code sign * k} for k in 0..n-1, each once. */
    private static void assertEveryResult(Context<Void, Integer> ctx, int n, int sign) {
        boolean[] seen = new boolean[n];
        int delivered = 0;
        for (Integer r : ctx.getResultsUnordered()) {
            int k = r * sign;
            assertTrue(!seen[k], "result " + r + " delivered twice");
            seen[k] = true;
            delivered++;
        }
        assertEquals(n, delivered, "results of context " + ctx.id());
    }
}
