package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real worker whose first task is a lambda read without a serialization stream (it captures nothing, or only
 * numbers and short strings) does not set up {@code ObjectInputStream} before its first result, its warm-up
 * included: that class's static set-up bootstraps two method references of the JDK's, CPU a fresh worker's first
 * result does not need (docs/benchmarks/2026-12-07-cold9.md).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerStartStreamTest {
    @TempDir
    Path tempDir;

    @Test
    void noSerializationStreamIsSetUpBeforeTheFirstResult() throws Exception {
        Path classes = tempDir.resolve("classes.log");
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(1).jvmOptions("-Xlog:class+load=info:file=" + classes));
            Context<Void, Integer> ctx = manager.getContext();
            ctx.addTask(s -> WorkerLogDeferralTest.FirstTaskMark.value());
            assertEquals(1, ctx.getResultsUnordered().iterator().next());
        }
        List<String> loads = Files.readAllLines(classes, StandardCharsets.UTF_8);
        int mark = TestSupport.indexOfLine(loads, WorkerLogDeferralTest.FirstTaskMark.class.getName() + " ");
        assertTrue(mark > 0, "the task's class did not load");
        // the first result is out once SLF4J sets up (WorkerLogs: after the first batch of results is handed on)
        int out = TestSupport.indexOfLine(loads, " org.slf4j.");
        assertTrue(out > mark, "SLF4J set up before the first task ran, or never");
        List<String> stream = loads.subList(0, out).stream()
                .filter(l -> l.contains(" jdk.internal.access.JavaObjectInputStreamAccess ")).toList();
        assertTrue(stream.isEmpty(), "ObjectInputStream set up on the worker's path to its first result: " + stream);
    }
}
