package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * A real worker JVM sets SLF4J up only after its first result (the set-up opens every jar of the classpath:
 * docs/benchmarks/2026-12-07-cold6.md), and loses none of the lines it logged before: its own and Netty's,
 * a warning among them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerLogDeferralTest {
    @TempDir
    Path tempDir;

    /** Loaded by the first task only: its line in the worker's class loading marks the task. */
    static final class FirstTaskMark {
        static int value() {
            return 1;
        }
    }

    @Test
    void slf4jLoadsOnlyAfterTheFirstTaskAndTheEarlierLinesAreInTheLog() throws Exception {
        Path classes = tempDir.resolve("classes.log");
        String output = runOneTask("-Xlog:class+load=info:file=" + classes);
        List<String> loads = Files.readAllLines(classes, StandardCharsets.UTF_8);
        int mark = TestSupport.indexOfLine(loads, FirstTaskMark.class.getName() + " ");
        assertTrue(mark > 0, "the task's class did not load");
        int slf4j = TestSupport.indexOfLine(loads, "org.slf4j.");
        assertTrue(slf4j > mark, "SLF4J loaded before the first task ran: " + (slf4j < 0 ? "never" : loads.get(slf4j)));
        int connecting = output.indexOf("connecting to");
        int connected = output.indexOf("connected to the manager at");
        assertTrue(connecting >= 0 && connected > connecting, "the lines before the first result: " + output);
        assertTrue(output.contains("[main] INFO org.jparallel.core.worker.WorkerMain - jparallel worker"), output);
    }

    @Test
    void aWarningBeforeTheFirstResultIsInTheLogAfterTheLinesBeforeIt() throws Exception {
        String output;
        try (Manager manager = TestSupport.builder(tempDir).maxFrameBytes(1 << 20).build()) {
            manager.addWorker(new LocalWorker(1).jvmOptions("-Dio.netty.maxDirectMemory=not-a-number"));
            Context<Void, byte[]> ctx = manager.getContext();
            // a failure over the frame limit: the worker warns on its task thread before its reply goes out; the
            // cut failure (over 4 KB, above MessageEncoder.INLINE_PAYLOAD_MAX) then takes Netty's buffers' path,
            // their set-up the first
            ctx.addTask(s -> {
                throw new IllegalStateException("x".repeat(2 << 20));
            });
            assertThrows(RuntimeException.class, () -> ctx.getResultsUnordered().iterator().next());
            ctx.addTask(s -> new byte[64 << 10]); // a big result, on the buffers already set up
            assertEquals(64 << 10, ctx.getResultsUnordered().iterator().next().length);
        }
        output = read(TestSupport.outputFile(tempDir, 1));
        assertFalse(output.contains("dropped"), output);
        int connecting = output.indexOf("connecting to");
        int connected = output.indexOf("connected to the manager at");
        int warning = output.indexOf("WARN org.jparallel.core.worker.TaskReplies - the failure of task");
        assertTrue(connecting >= 0 && connected > connecting && warning > connected, output);
        // Netty warns from its buffer classes' static set-up, which a worker reaches only when a frame needs a buffer
        // (the cut failure's reply here, over 2 KB; its small frames go on plain arrays): in the log all the same
        assertTrue(output.contains("WARN io.netty.util.internal.SystemPropertyUtil - Unable to parse the long integer "
                + "system property 'io.netty.maxDirectMemory':not-a-number"), output);
    }

    @Test
    void aOneSlotWorkerSetsItsLoggingUpAfterItsFirstResult() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(1));
            Context<Void, Boolean> ctx = manager.getContext();
            ctx.addTask(s -> org.jparallel.core.worker.startup.WorkerLogs.deferring());
            // false only when the worker's 2 s timer (or a warning) set logging up before its first task: a machine
            // that slow tells nothing about the set-up after the first result
            org.junit.jupiter.api.Assumptions.assumeTrue(ctx.getResultsUnordered().iterator().next(),
                    "the worker had set its logging up before its first task ran (its 2 s timer on a slow machine)");
            // the second task goes out after the first result came back: the set-up ran in between, on the task
            // thread
            ctx.addTask(s -> org.jparallel.core.worker.startup.WorkerLogs.deferring());
            assertFalse(ctx.getResultsUnordered().iterator().next(), "still deferred after the first result");
        }
    }

    @Test
    void aWorkerOfSeveralSlotsSetsItsLoggingUpBeforeItsFirstTask() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(1).slots(2));
            Context<Void, Boolean> ctx = manager.getContext();
            ctx.addTask(s -> org.jparallel.core.worker.startup.WorkerLogs.deferring());
            assertFalse(ctx.getResultsUnordered().iterator().next(), "a worker of two slots deferred its set-up: "
                    + "its tasks run beside each other, and one could meet the set-up");
        }
    }

    /** @return the worker's output file once it has run one task and exited */
    private String runOneTask(String jvmOption) throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            manager.addWorker(new LocalWorker(1).jvmOptions(jvmOption));
            Context<Void, Integer> ctx = manager.getContext();
            ctx.addTask(s -> FirstTaskMark.value());
            assertEquals(1, ctx.getResultsUnordered().iterator().next());
        }
        // the manager's close returned once the worker's process was gone (it sends SIGTERM right after the
        // shutdown: the worker's last line may not be written, but what it recorded is replayed by its
        // shutdown hook), so its output is complete
        String output = read(TestSupport.outputFile(tempDir, 1));
        assertFalse(output.contains("dropped"), output);
        return output;
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
