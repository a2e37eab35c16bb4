package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Tasks added while the results are being read are run, and come out of the same iteration. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AddTasksWhileReadingTest {

    @TempDir
    Path tempDir;

    @Test
    void oneTaskAddedForEachOfTheFirstThreeResultsRunsAndComesOutOfTheSameIteration() {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(2));
            Context<Void, Integer> ctx = manager.<Integer>getContext();
            for (int i = 0; i < 5; i++) {
                int k = i;
                ctx.addTask(s -> k);
            }
            List<Integer> seen = new ArrayList<>();
            List<Integer> expectedFollowUps = new ArrayList<>();
            for (Integer r : ctx.getResultsUnordered()) {
                seen.add(r);
                if (seen.size() <= 3) {
                    int followUp = 1000 + r;
                    expectedFollowUps.add(followUp);
                    ctx.addTask(s -> followUp);
                }
            }
            assertEquals(8, seen.size(), "results of one iteration: " + seen);
            List<Integer> originals = new ArrayList<>(seen);
            originals.removeIf(x -> x >= 1000);
            originals.sort(null);
            assertEquals(List.of(0, 1, 2, 3, 4), originals, "results of one iteration: " + seen);
            List<Integer> followUps = new ArrayList<>(seen);
            followUps.removeIf(x -> x < 1000);
            followUps.sort(null);
            expectedFollowUps.sort(null);
            assertEquals(expectedFollowUps, followUps, "results of one iteration: " + seen);
            assertEquals(0, ctx.outstanding());
        }
    }
}
