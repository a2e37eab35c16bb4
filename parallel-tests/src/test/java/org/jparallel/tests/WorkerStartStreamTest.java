package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
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

    /** The class {@code ObjectInputStream}'s static set-up loads. */
    private static final String STREAM_ACCESS = " jdk.internal.access.JavaObjectInputStreamAccess ";

    /** Loaded first by the first task: its line in the worker's class loading marks the task (this test's own). */
    static final class StreamTaskMark {
        static int value() {
            return 1;
        }

        /** @return 2, once an {@code ObjectInputStream} is made: the second task, the test's control */
        static int openStream() throws IOException {
            new ObjectInputStream(new ByteArrayInputStream(new byte[] {(byte) 0xac, (byte) 0xed, 0, 5})).close();
            return 2;
        }
    }

    @Test
    void noSerializationStreamIsSetUpBeforeTheFirstResult() throws Exception {
        Path classes = tempDir.resolve("classes.log");
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(1).jvmOptions("-Xlog:class+load=info:file=" + classes));
            Context<Void, Integer> ctx = manager.getContext();
            ctx.addTask(s -> StreamTaskMark.value());
            assertEquals(1, ctx.getResultsUnordered().iterator().next());
            // the control, in the same worker once its first result is back: a stream loads the class looked for
            // below (a JDK that renamed it would make the test pass vacuously)
            ctx.addTask(s -> StreamTaskMark.openStream());
            assertEquals(2, ctx.getResultsUnordered().iterator().next());
        }
        List<String> loads = Files.readAllLines(classes, StandardCharsets.UTF_8);
        assertTrue(TestSupport.indexOfLine(loads, STREAM_ACCESS) >= 0, "an ObjectInputStream did not load"
                + STREAM_ACCESS + "in the worker: the check below is vacuous");
        int mark = TestSupport.indexOfLine(loads, StreamTaskMark.class.getName() + " ");
        assertTrue(mark > 0, "the task's class did not load");
        // the first result is out once SLF4J sets up (WorkerLogs: after the first batch of results is handed on)
        int out = TestSupport.indexOfLine(loads, " org.slf4j.");
        assertTrue(out > mark, "SLF4J set up before the first task ran, or never");
        List<String> stream = loads.subList(0, out).stream()
                .filter(l -> l.contains(STREAM_ACCESS)).toList();
        assertTrue(stream.isEmpty(), "ObjectInputStream set up on the worker's path to its first result: " + stream);
    }
}
