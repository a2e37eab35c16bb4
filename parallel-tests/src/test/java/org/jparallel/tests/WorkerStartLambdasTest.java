package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real worker JVM makes none of jparallel's own lambdas on its path to the first result, the warm-up's
 * excepted (it bootstraps the first task's lambda deserialization on purpose, on its own thread): each lambda's
 * first call site costs a bootstrap of a quarter of a millisecond in a fresh JVM, on the thread that meets it
 * (docs/benchmarks/2026-12-07-cold8.md).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerStartLambdasTest {
    @TempDir
    Path tempDir;

    /** @param slots 1, or 2: a worker with several slots runs its tasks on a pool (TaskSlots) */
    @ParameterizedTest(name = "{0} slot(s)")
    @ValueSource(ints = {1, 2})
    void noLambdaOfTheWorkerIsMadeBeforeItsFirstResultIsOut(int slots) throws Exception {
        Path classes = tempDir.resolve("classes.log");
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(1).slots(slots).jvmOptions("-Xlog:class+load=info:file=" + classes));
            Context<Void, Integer> ctx = manager.getContext();
            ctx.addTask(s -> WorkerLogDeferralTest.FirstTaskMark.value());
            assertEquals(1, ctx.getResultsUnordered().iterator().next());
        }
        // complete: the manager's close returned once the worker's process was gone
        List<String> loads = Files.readAllLines(classes, StandardCharsets.UTF_8);
        int mark = TestSupport.indexOfLine(loads, WorkerLogDeferralTest.FirstTaskMark.class.getName() + " ");
        assertTrue(mark > 0, "the task's class did not load");
        // the first result is out once SLF4J sets up (WorkerLogs: after the first batch of results is handed on); a
        // worker with several slots sets SLF4J up before its first task (WorkerMain), so there the task's start is the end
        int out = mark;
        if (slots == 1) {
            out = TestSupport.indexOfLine(loads, " org.slf4j.");
            assertTrue(out > mark, "SLF4J set up before the first task ran, or never");
        }
        List<String> lambdas = new ArrayList<>();
        for (String line : loads.subList(0, out)) {
            if (line.contains(" org.jparallel.") && line.contains("$$Lambda") && !line.contains(" org.jparallel.tests.")
                    && !line.contains(" org.jparallel.core.worker.startup.WorkerWarmUp$$Lambda")) {
                lambdas.add(line.substring(line.indexOf(" org.jparallel.") + 1));
            }
        }
        assertTrue(lambdas.isEmpty(), "lambdas made on the worker's path to its first result: " + lambdas);
    }
}
