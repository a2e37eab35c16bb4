package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.NoMoreWorkersException;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** No workers, or workers that cannot start: NoMoreWorkersException, quickly and saying why. Never a hang. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerStartFailureTest {

    @TempDir
    Path tempDir;

    @Test
    void noWorkerAddedThrowsNoMoreWorkersExceptionFromNextWithinOneSecond() {
        try (Manager manager = TestSupport.builder(tempDir).build()) {
            Context<Void, Integer> ctx = manager.<Integer>getContext();
            ctx.addTask(s -> 1);
            long start = System.nanoTime();
            Iterator<Integer> it = ctx.getResultsUnordered().iterator();
            assertTrue(it.hasNext(), "a task is waiting, so hasNext() must be true");
            NoMoreWorkersException e = assertThrows(NoMoreWorkersException.class, it::next);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(ms < 1000, "NoMoreWorkersException took " + ms + " ms");
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "empty message");

            // the ordered form says the same
            Iterator<Integer> ordered = ctx.getResults().iterator();
            assertTrue(ordered.hasNext());
            long start2 = System.nanoTime();
            assertThrows(NoMoreWorkersException.class, ordered::next);
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start2) < 1000);
        }
    }

    @Test
    void badJavaPathThrowsNoMoreWorkersExceptionNamingTheWorkerAndQuotingItsOutput() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).startTimeout(Duration.ofSeconds(60)).build()) {
            manager.addWorker(new LocalWorker().javaCommand("/no/such/java"));
            FailedStart failed = firstResultFailsWellBeforeTheStartTimeout(manager);
            String msg = failed.message();
            WorkerInfo w = failed.worker();
            assertTrue(msg.contains("/no/such/java"), "message does not quote the bad command: " + msg);
            assertTrue(Pattern.compile("(?i)no such file|not found").matcher(msg).find(),
                    "message does not say why the command could not run: " + msg);
            Path output = TestSupport.outputFile(tempDir, w.id());
            if (Files.isRegularFile(output)) {
                String last = lastNonBlankLine(output);
                if (!last.isEmpty()) {
                    assertTrue(msg.contains(last), "message does not quote the output's last line '" + last
                            + "': " + msg);
                }
            }
        }
    }

    @Test
    void badJvmOptionThrowsNoMoreWorkersExceptionWithExitCodeAndOutputTailWellBeforeStartTimeout() throws Exception {
        try (Manager manager = TestSupport.builder(tempDir).startTimeout(Duration.ofSeconds(60)).build()) {
            manager.addWorker(new LocalWorker().jvmOptions("-XX:+NoSuchOptionHere"));
            FailedStart failed = firstResultFailsWellBeforeTheStartTimeout(manager);
            String msg = failed.message();
            WorkerInfo w = failed.worker();
            assertTrue(Pattern.compile("(?i)exit(ed)?( with)?( code| status| value)?[ :=]*1\\b").matcher(msg).find(),
                    "message does not give exit code 1: " + msg);
            assertTrue(msg.contains("Unrecognized VM option"), "message does not quote the JVM's output: " + msg);
            Path output = TestSupport.outputFile(tempDir, w.id());
            assertTrue(Files.isRegularFile(output), "no output file " + output);
            String text = Files.readString(output, StandardCharsets.UTF_8);
            assertTrue(text.contains("Unrecognized VM option"), "output file lacks the JVM's complaint: " + text);
        }
    }

    /** What the program saw of a worker that failed to start: the exception's message and the worker. */
    private record FailedStart(String message, WorkerInfo worker) {
    }

    /**
     * Asks for the first result of one task on a manager whose one worker cannot start (its start timeout
     * 60 s): it must fail with NoMoreWorkersException well before that timeout, naming the worker, FAILED.
     */
    private static FailedStart firstResultFailsWellBeforeTheStartTimeout(Manager manager) {
        Context<Void, Integer> ctx = manager.<Integer>getContext();
        ctx.addTask(s -> 1);
        long start = System.nanoTime();
        NoMoreWorkersException e = assertThrows(NoMoreWorkersException.class, () -> {
            Iterator<Integer> it = ctx.getResultsUnordered().iterator();
            assertTrue(it.hasNext());
            it.next();
        });
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms < 30_000, "took " + ms + " ms with a 60 s start timeout");
        List<WorkerInfo> workers = manager.workers();
        assertEquals(1, workers.size(), TestSupport.describe(workers));
        WorkerInfo w = workers.get(0);
        assertEquals(WorkerInfo.State.FAILED, w.state(), TestSupport.describe(workers));
        assertNamesWorker(e.getMessage(), w);
        return new FailedStart(e.getMessage(), w);
    }

    private static void assertNamesWorker(String msg, WorkerInfo w) {
        assertTrue(msg != null, "no message");
        assertTrue(Pattern.compile("(?i)worker\\s*#?" + w.id() + "\\b").matcher(msg).find()
                        || msg.contains(w.description()),
                "message does not name worker " + w.id() + " (" + w.description() + "): " + msg);
    }

    private static String lastNonBlankLine(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return lines.get(i).trim();
            }
        }
        return "";
    }

    @Test
    void aWorkerThatNeverConnectsFailsAtTheStartTimeoutWithItsOutputNotAHang() {
        // The "java command" is a shell that prints a line and then waits: the process runs but never connects.
        try (Manager manager = TestSupport.builder(tempDir).startTimeout(Duration.ofSeconds(2)).build()) {
            manager.addWorker(new LocalWorker().javaCommand("/bin/sh -c 'echo waiting-for-nothing; exec sleep 60' sh"));
            Context<Void, Integer> ctx = manager.<Integer>getContext();
            ctx.addTask(s -> 1);
            long start = System.nanoTime();
            NoMoreWorkersException e = assertThrows(NoMoreWorkersException.class,
                    () -> ctx.getResultsUnordered().iterator().next());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(ms < 30_000, "took " + ms + " ms with a 2 s start timeout");
            assertTrue(e.getMessage().contains("did not connect within the start timeout of 2 s"), e.getMessage());
            assertTrue(e.getMessage().contains("waiting-for-nothing"), "the output tail is quoted: " + e.getMessage());
            assertEquals(WorkerInfo.State.FAILED, manager.workers().get(0).state());
        }
    }
}
