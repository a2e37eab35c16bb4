package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Setups: their result reaches the tasks, and each worker runs each context's setup at most once,
 * counted by the workers themselves (a static counter per JVM, see {@link WorkerSide#countSetup}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SetupCacheTest {

    @TempDir
    Path tempDir;

    @Test
    void setupResultReachesEveryTaskAndEachOfThreeWorkersRunsTheSetupAtMostOnce() {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(3));
            TestSupport.awaitConnected(manager, 3, Duration.ofSeconds(60));
            Context<String, String> ctx = manager.getContext(() -> WorkerSide.countSetup("only"));
            for (int i = 0; i < 30; i++) {
                // the task hands back exactly what the setup gave it on its worker: "pid:count"
                ctx.addTask(s -> WorkerSide.sleepThenReturn(30, s));
            }
            List<String> results = new ArrayList<>();
            for (String r : ctx.getResultsUnordered()) {
                results.add(r);
            }
            assertEquals(30, results.size());
            Set<String> pids = new HashSet<>();
            for (String r : results) {
                assertNotNull(r, "a task received no setup result");
                assertTrue(r.matches("\\d+:\\d+"), "unexpected setup result " + r);
                String[] parts = r.split(":");
                pids.add(parts[0]);
                assertEquals("1", parts[1], "worker pid " + parts[0] + " ran the setup more than once: " + results);
            }
            assertTrue(pids.size() <= 3, "more than 3 worker pids: " + pids);
            assertEquals(3, pids.size(), "the 30 tasks did not spread over the 3 connected workers: " + results);
            long sent = manager.stats().setupsSent();
            assertTrue(sent >= pids.size() && sent <= 3, "setupsSent = " + sent + " for pids " + pids);
        }
    }

    @Test
    void twoContextsOnTheSameTwoWorkersBothCompleteAndEachWorkerRunsEachSetupAtMostOnce() {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(2));
            TestSupport.awaitConnected(manager, 2, Duration.ofSeconds(60));
            Context<String, String> a = manager.getContext(() -> "A:" + WorkerSide.countSetup("A"));
            Context<String, String> b = manager.getContext(() -> "B:" + WorkerSide.countSetup("B"));
            for (int i = 0; i < 20; i++) {
                a.addTask(s -> WorkerSide.sleepThenReturn(20, s));
                b.addTask(s -> WorkerSide.sleepThenReturn(20, s));
            }
            List<String> fromA = new ArrayList<>();
            for (String r : a.getResultsUnordered()) {
                fromA.add(r);
            }
            List<String> fromB = new ArrayList<>();
            for (String r : b.getResults()) {
                fromB.add(r);
            }
            assertEquals(20, fromA.size(), "context A: " + fromA);
            assertEquals(20, fromB.size(), "context B: " + fromB);
            Set<String> pids = new HashSet<>();
            checkOncePerWorker("A", fromA, pids);
            checkOncePerWorker("B", fromB, pids);
            assertTrue(pids.size() <= 2, "more than 2 worker pids: " + pids);
            long sent = manager.stats().setupsSent();
            assertTrue(sent <= 4, "setupsSent = " + sent + ", more than 2 contexts x 2 workers");
            assertEquals(0, a.outstanding());
            assertEquals(0, b.outstanding());
        }
    }

    private static void checkOncePerWorker(String key, List<String> results, Set<String> pids) {
        for (String r : results) {
            assertNotNull(r, "a task of context " + key + " received no setup result");
            assertTrue(r.matches(key + ":\\d+:\\d+"), "context " + key + " task saw setup result " + r);
            String[] parts = r.split(":");
            pids.add(parts[1]);
            assertEquals("1", parts[2], "worker pid " + parts[1] + " ran setup " + key + " more than once: " + results);
        }
    }
}
