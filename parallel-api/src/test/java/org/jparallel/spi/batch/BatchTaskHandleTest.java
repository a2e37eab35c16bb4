package org.jparallel.spi.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.RunDirectory;
import org.jparallel.spi.WorkerStatus;
import org.jparallel.spi.WorkerStatus.Phase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The array task handle's state machine, on a fake clock, fake scheduler commands and a hand-run cancel window. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BatchTaskHandleTest {
    @TempDir
    Path tmp;
    private final AtomicLong clock = new AtomicLong(1_000);
    private final FakeRunner runner = new FakeRunner();
    private final QueueView view = new QueueView(new FakeScheduler(), new BatchOptions.Basic(), runner, clock::get, 1_000);
    private final BlockingQueue<Runnable> windows = new LinkedBlockingQueue<>();
    private final CancelBatcher cancels = new CancelBatcher(view, windows::add);
    private RunDirectory run;
    private RunRecord record;

    @BeforeEach
    void submission() throws Exception {
        LaunchSpec spec = new LaunchSpec(List.of(1, 2), "java", List.of(), "cp", "Main", null, 4000, List.of(), "s3cret",
                tmp.resolve("w%d.out").toString());
        run = RunDirectory.create(tmp.resolve("secrets"), spec);
        record = new RunRecord(run, 2, view);
        record.submitted("7");
    }

    private BatchTaskHandle handle(int id) {
        return new BatchTaskHandle(new ArrayTask("7", id), "jp", view, cancels, record, tmp.resolve("w" + id + ".out"));
    }

    /** The scheduler's next answer, read after the current view expires. */
    private void queue(String statOutput) {
        runner.answer("stat", 0, statOutput);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
    }

    /** @return the status of worker 1 ({@code h}) once its script recorded {@code exitCode} and the queue lists {@code listing} */
    private WorkerStatus statusOnceExitRecorded(BatchTaskHandle h, String exitCode, String listing) throws IOException {
        Files.writeString(run.exitFile(1), exitCode);
        queue(listing);
        return h.status();
    }

    private static void assertExited(int exitCode, WorkerStatus s) {
        assertEquals(Phase.EXITED, s.phase());
        assertEquals(exitCode, s.exitCode());
    }

    @Test
    void aViewTakenBeforeTheSubmissionSaysPendingWithoutAskingAgain() {
        view.snapshot();
        clock.incrementAndGet();
        WorkerStatus s = handle(1).status();
        assertEquals(WorkerStatus.pending("Fake job 7[1] submitted"), s);
        assertEquals(1, runner.of("stat").size());
    }

    @Test
    void listedStatesArePendingThenRunning() {
        BatchTaskHandle h = handle(1);
        queue("7 1 PENDING 0 queued (qw)");
        assertEquals(WorkerStatus.pending("Fake job 7[1] is queued (qw)"), h.status());
        queue("7 1 RUNNING");
        assertEquals(Phase.RUNNING, h.status().phase());
    }

    @Test
    void doneUsesTheRecordedExitCodeAndIsRemembered() throws Exception {
        BatchTaskHandle h = handle(1);
        WorkerStatus s = statusOnceExitRecorded(h, "3\n", "7 1 DONE 0 completed");
        assertExited(3, s);
        queue("7 1 RUNNING");
        assertEquals(s, h.status());
    }

    @Test
    void doneWithoutAnyExitCodeFailsSayingTheScriptDidNotRecordOne() {
        BatchTaskHandle h = handle(1);
        queue("7 1 DONE -1 FAILED, reason NonZeroExitCode");
        WorkerStatus s = h.status();
        assertEquals(Phase.FAILED, s.phase());
        assertTrue(s.detail().contains("Fake job 7[1] (jp) FAILED, reason NonZeroExitCode before its worker recorded"),
                s.detail());
    }

    @Test
    void aFailedTaskInTheQueueFailsAtOnceWithTheReasonAndIsCancelled() throws Exception {
        BatchTaskHandle h = handle(1);
        runner.answer("why", 0, "error: can't open output file");
        queue("7 1 FAILED 0 is in state Eqw");
        WorkerStatus s = h.status();
        assertEquals(WorkerStatus.failed("Fake job 7[1] (jp) is in state Eqw: error: can't open output file;"
                + " the task was cancelled"), s);
        Runnable window = windows.poll(20, TimeUnit.SECONDS); // the handle's background stop asked for a cancel
        assertNotNull(window, "no cancel was asked for");
        window.run();
        h.stop(); // returns once the background stop is done
        assertEquals(List.of(List.of("del", "7:1")), runner.of("del"));
        assertEquals(s, h.status());
    }

    @Test
    void aTaskListedAsEndedAbnormallyFailsWithTheReasonAndIsNotCancelledAgain() {
        BatchTaskHandle h = handle(1);
        queue("7 1 ENDED 0 reached its time limit (TIMEOUT)");
        WorkerStatus s = h.status();
        assertEquals(WorkerStatus.failed("Fake job 7[1] (jp) reached its time limit (TIMEOUT)"), s);
        assertNull(windows.poll(), "a task that has ended needs no cancel");
        assertEquals(List.of(), runner.of("why"), "nor a longer reason");
        assertEquals(s, h.status());
    }

    @Test
    void aTaskMissingFromTwoViewsInARowIsGone() {
        BatchTaskHandle h = handle(1);
        queue("7 2 RUNNING");
        assertEquals(Phase.PENDING, h.status().phase());
        assertEquals(Phase.PENDING, h.status().phase(), "the same view missed it only once");
        queue("7 2 RUNNING");
        WorkerStatus s = h.status();
        assertEquals(Phase.FAILED, s.phase());
        assertTrue(s.detail().contains("left the queue without its worker connecting"), s.detail());
    }

    @Test
    void aTaskThatLeftTheQueueReportsItsRecordedExitCode() throws Exception {
        BatchTaskHandle h = handle(1);
        assertExited(0, statusOnceExitRecorded(h, "0", ""));
    }

    @Test
    void aStatusCommandErrorKeepsTheWorkerPending() {
        BatchTaskHandle h = handle(1);
        runner.answer("stat", 2, "server down");
        clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
        for (int i = 0; i < 3; i++) {
            WorkerStatus s = h.status();
            assertEquals(Phase.PENDING, s.phase());
            assertTrue(s.detail().contains("server down"), s.detail());
            clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
        }
    }

    @Test
    void stopCancelsOnceThenSaysStoppedAndTheLastStopDeletesTheRunDirectory() throws Exception {
        BatchTaskHandle h1 = handle(1);
        BatchTaskHandle h2 = handle(2);
        Thread stopper = new Thread(() -> {
            h1.stop();
            h2.stop();
        });
        stopper.start();
        Runnable first = windows.poll(20, TimeUnit.SECONDS);
        assertNotNull(first);
        first.run();
        Runnable second = windows.poll(20, TimeUnit.SECONDS);
        assertNotNull(second);
        second.run();
        stopper.join();
        h1.stop();
        assertEquals(List.of(List.of("del", "7:1"), List.of("del", "7:2")), runner.of("del"));
        assertEquals(WorkerStatus.failed("stopped by the manager (Fake job 7[1] cancelled)"), h1.status());
        assertFalse(Files.exists(run.path()), "the run directory (and the secret) outlived the last worker");
    }

    @Test
    void stopDoesNotCancelATaskWhoseWorkerRecordedItsExit() throws Exception {
        Files.writeString(run.exitFile(1), "0");
        handle(1).stop();
        assertNull(windows.poll());
        assertEquals(List.of(), runner.of("del"));
        assertTrue(Files.exists(run.path()), "worker 2 still runs");
    }
}
