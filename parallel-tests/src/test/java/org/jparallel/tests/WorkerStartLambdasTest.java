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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void noLambdaOfTheWorkerIsMadeBeforeTheFirstTaskRuns() throws Exception {
        Path classes = tempDir.resolve("classes.log");
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(1).jvmOptions("-Xlog:class+load=info:file=" + classes));
            Context<Void, Integer> ctx = manager.getContext();
            ctx.addTask(s -> WorkerLogDeferralTest.FirstTaskMark.value());
            assertEquals(1, ctx.getResultsUnordered().iterator().next());
        }
        // complete: the manager's close returned once the worker's process was gone
        List<String> loads = Files.readAllLines(classes, StandardCharsets.UTF_8);
        int mark = TestSupport.indexOfLine(loads, WorkerLogDeferralTest.FirstTaskMark.class.getName() + " ");
        assertTrue(mark > 0, "the task's class did not load");
        List<String> lambdas = new ArrayList<>();
        for (String line : loads.subList(0, mark)) {
            if (line.contains(" org.jparallel.") && line.contains("$$Lambda") && !line.contains(" org.jparallel.tests.")
                    && !line.contains(" org.jparallel.core.worker.startup.WorkerWarmUp$$Lambda")) {
                lambdas.add(line.substring(line.indexOf(" org.jparallel.") + 1));
            }
        }
        assertTrue(lambdas.isEmpty(), "lambdas made on the worker's path to its first result: " + lambdas);
    }
}
