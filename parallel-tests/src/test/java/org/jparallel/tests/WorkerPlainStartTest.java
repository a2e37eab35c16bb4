package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real worker JVM (blocking transport, TLS off) reads and writes its first frames on plain arrays: none of
 * Netty's buffer classes, nor its {@code PlatformDependent} (whose static set-up was a third of a fresh worker's
 * time to its first result, docs/benchmarks/2026-12-07-cold6.md), loads before its first task runs, nor at all while
 * its frames are small. And a start that the plain reader or writer cannot carry (a big task, one with attached
 * arrays, a big result) hands over to Netty's buffers in the middle and loses nothing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerPlainStartTest {
    @TempDir
    Path tempDir;

    @Test
    void noNettyBufferClassLoadsBeforeTheFirstTaskRuns() throws Exception {
        Path classes = tempDir.resolve("classes.log");
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(1).jvmOptions("-Xlog:class+load=info:file=" + classes));
            Context<Void, Integer> ctx = manager.getContext();
            ctx.addTask(s -> WorkerLogDeferralTest.FirstTaskMark.value());
            assertEquals(1, ctx.getResultsUnordered().iterator().next());
            for (int i = 0; i < 50; i++) {
                int n = i;
                ctx.addTask(s -> n);
            }
            int sum = 0;
            for (int r : ctx.getResultsUnordered()) {
                sum += r;
            }
            assertEquals(49 * 50 / 2, sum);
        }
        // complete: the manager's close returned once the worker's process was gone (WorkerLauncher.close stops
        // each worker, ProcessWorkerHandle.stop waits for its exit: SIGTERM, 2 s, SIGKILL, 5 s; joined up to 15 s)
        List<String> loads = Files.readAllLines(classes, StandardCharsets.UTF_8);
        int mark = TestSupport.indexOfLine(loads, WorkerLogDeferralTest.FirstTaskMark.class.getName() + " ");
        assertTrue(mark > 0, "the task's class did not load");
        int buffers = TestSupport.indexOfLine(loads, " io.netty.buffer.");
        int platform = TestSupport.indexOfLine(loads, " io.netty.util.internal.PlatformDependent ");
        assertTrue(buffers < 0 || buffers > mark, "Netty's buffer classes loaded before the first task ran: "
                + loads.get(Math.max(buffers, 0)));
        assertTrue(platform < 0 || platform > mark, "PlatformDependent loaded before the first task ran");
        // and a worker whose frames are all small never needs them
        assertTrue(buffers < 0 && platform < 0, "Netty's buffers set up for small tasks: " + loads.get(Math.max(buffers, 0)));
    }

    /**
     * Results longer than a frame's inline payload (2 KB) but held as arrays (any value but a big {@code byte[]},
     * which is copied into a direct buffer) go out as plain arrays too: a worker whose results are a few kilobytes,
     * or a big object, sets none of Netty's buffers up.
     *
     * @param size the length of the string each task returns
     */
    @ParameterizedTest(name = "results of {0} chars")
    @ValueSource(ints = {3_000, 300_000}) // the longer over the socket's 256 KB write slices (WorkerChannel)
    void longerResultsHeldAsArraysNeedNoNettyBuffers(int size) throws Exception {
        Path classes = tempDir.resolve("classes-" + size + ".log");
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(1).jvmOptions("-Xlog:class+load=info:file=" + classes));
            Context<Void, String> ctx = manager.getContext();
            for (int i = 0; i < 20; i++) {
                int n = i;
                ctx.addTask(s -> String.valueOf((char) ('a' + n)).repeat(size));
            }
            List<String> results = new ArrayList<>();
            ctx.getResults().forEach(results::add);
            assertEquals(20, results.size());
            for (int i = 0; i < 20; i++) {
                assertEquals(String.valueOf((char) ('a' + i)).repeat(size), results.get(i));
            }
        }
        List<String> loads = Files.readAllLines(classes, StandardCharsets.UTF_8);
        int buffers = TestSupport.indexOfLine(loads, " io.netty.buffer.");
        assertTrue(buffers < 0, "Netty's buffers set up for results held as arrays: " + loads.get(Math.max(buffers, 0)));
    }

    /**
     * @param first the first task's kind: a task with an attached array (its frame small), a task of a big payload,
     *     a task whose result is big (its reply takes the buffers' path)
     */
    @ParameterizedTest(name = "first task: {0}")
    @ValueSource(strings = {"attached-array", "big-payload", "big-result"})
    void aStartThePlainPathCannotCarryHandsOverAndLosesNothing(String first) throws Exception {
        byte[] data = new byte[first.equals("attached-array") ? 20_000 : first.equals("big-payload") ? 100_000 : 10];
        Arrays.fill(data, (byte) 3);
        int big = first.equals("big-result") ? 64 * 1024 : 0;
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(1));
            Context<Void, byte[]> ctx = manager.getContext();
            ctx.addTask(s -> {
                byte[] out = new byte[Math.max(big, 1)];
                Arrays.fill(out, (byte) (data.length % 100));
                return out;
            });
            for (int i = 0; i < 20; i++) {
                int n = i;
                ctx.addTask(s -> new byte[] {(byte) n});
            }
            List<byte[]> results = new ArrayList<>();
            ctx.getResults().forEach(results::add);
            assertEquals(21, results.size());
            byte[] firstResult = results.get(0);
            assertEquals(Math.max(big, 1), firstResult.length);
            for (byte b : firstResult) {
                assertEquals((byte) (data.length % 100), b);
            }
            for (int i = 0; i < 20; i++) {
                assertEquals(1, results.get(i + 1).length);
                assertEquals((byte) i, results.get(i + 1)[0]);
            }
        }
    }
}
