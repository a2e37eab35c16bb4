package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.Task;
import org.jparallel.TaskFailedException;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Context.map} and {@code mapUnordered} on real workers: tasks are drawn lazily, never more
 * than the window outstanding, every result delivered once (in order for {@code map}), and a failed
 * task does not end the iteration.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MapTest {

    @TempDir
    Path tempDir;

    /** Tasks {@code k -> k} for k in 0..n-1, made as they are drawn; counts how many were drawn. */
    private static Iterable<Task<Void, Integer>> counted(int n, AtomicInteger drawn) {
        return () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return drawn.get() < n;
            }

            @Override
            public Task<Void, Integer> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int k = drawn.getAndIncrement();
                return s -> {
                    if (k % 7 == 0) {
                        Thread.sleep(1); // completes out of order
                    }
                    return k;
                };
            }
        };
    }

    @Test
    void mapUnorderedDrawsTasksLazilyWithNeverMoreThanTheWindowOutstandingAndDeliversEveryResultOnce() {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(2));
            Context<Void, Integer> ctx = manager.getContext();
            AtomicInteger drawn = new AtomicInteger();
            int n = 5_000;
            int window = 50;
            boolean[] seen = new boolean[n];
            int delivered = 0;
            for (Integer r : ctx.mapUnordered(counted(n, drawn), window)) {
                assertTrue(!seen[r], "result " + r + " delivered twice");
                seen[r] = true;
                delivered++;
                assertTrue(drawn.get() - delivered <= window, drawn.get() + " drawn, " + delivered + " delivered");
                assertTrue(ctx.outstanding() <= window, ctx.outstanding() + " outstanding");
            }
            assertEquals(n, delivered);
            assertEquals(n, drawn.get());
            assertEquals(0, ctx.outstanding());
        }
    }

    @Test
    void mapDeliversTheResultsInTheOrderTheTasksWereDrawn() {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(2));
            Context<Void, Integer> ctx = manager.getContext();
            List<Integer> results = new ArrayList<>();
            for (Integer r : ctx.map(counted(1_000, new AtomicInteger()), 20)) {
                results.add(r);
            }
            assertEquals(1_000, results.size());
            for (int i = 0; i < results.size(); i++) {
                assertEquals(i, results.get(i), "result " + i + " of " + results);
            }
        }
    }

    @Test
    void aFailedTaskThrowsFromNextAndTheIterationGoesOnWithTheOtherTasks() {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(2));
            Context<Void, Integer> ctx = manager.getContext();
            List<Task<Void, Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int k = i;
                tasks.add(s -> {
                    if (k == 37) {
                        throw new IllegalArgumentException("task 37 fails");
                    }
                    return k;
                });
            }
            Iterator<Integer> it = ctx.mapUnordered(tasks, 10).iterator();
            int sum = 0;
            int results = 0;
            List<TaskFailedException> failures = new ArrayList<>();
            while (it.hasNext()) {
                try {
                    sum += it.next();
                    results++;
                } catch (TaskFailedException e) {
                    failures.add(e);
                }
            }
            assertEquals(99, results);
            assertEquals(99 * 100 / 2 - 37, sum);
            assertEquals(1, failures.size());
            assertTrue(String.valueOf(failures.get(0).getMessage()).contains("task 37 fails")
                    || String.valueOf(failures.get(0).getCause()).contains("task 37 fails"), failures.get(0).toString());
            assertThrows(NoSuchElementException.class, it::next);
        }
    }

    @Test
    void theResultsOfAMapAreIteratedOnceAndAWindowUnderOneIsRefused() {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(1));
            Context<Void, Integer> ctx = manager.getContext();
            Iterable<Integer> results = ctx.mapUnordered(List.<Task<Void, Integer>>of(s -> 1, s -> 2));
            int sum = 0;
            for (Integer r : results) {
                sum += r;
            }
            assertEquals(3, sum);
            IllegalStateException again = assertThrows(IllegalStateException.class, results::iterator);
            assertTrue(again.getMessage().contains("once"), again.getMessage());
            IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                    () -> ctx.map(List.<Task<Void, Integer>>of(s -> 1), 0));
            assertTrue(zero.getMessage().contains("at least 1"), zero.getMessage());
        }
    }

    @Test
    void cancelledTasksOutstandingBeforeTheMapDoNotStopItAndAWindowOfOneRunsTasksOneByOne() {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            Context<Void, Integer> ctx = manager.getContext();
            for (int i = 0; i < 8; i++) {
                assertTrue(ctx.addTask(s -> -1).cancel(false), "cancelled before any worker exists");
            }
            assertEquals(0, ctx.outstanding(), "a cancelled task is not outstanding");
            manager.addWorker(new LocalWorker(1));
            int sum = 0;
            for (Integer r : ctx.mapUnordered(counted(20, new AtomicInteger()), 4)) {
                sum += r;
            }
            assertEquals(19 * 20 / 2, sum, "every mapped task ran, though the window was full of cancelled tasks");
            AtomicInteger drawn = new AtomicInteger();
            int delivered = 0;
            for (Integer r : ctx.map(counted(10, drawn), 1)) {
                assertEquals(delivered, r);
                delivered++;
                assertEquals(delivered, drawn.get(), "a window of one draws a task only after the last result");
            }
            assertEquals(10, delivered);
        }
    }
}
