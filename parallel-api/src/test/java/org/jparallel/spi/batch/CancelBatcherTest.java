package org.jparallel.spi.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Cancels batched: the window is an executor the test runs by hand, so no sleeps. */
class CancelBatcherTest {
    private final FakeRunner runner = new FakeRunner();
    private final QueueView view = new QueueView(new FakeScheduler(), new BatchOptions.Basic(), runner, () -> 0L, 1_000);
    private final List<Runnable> windows = new ArrayList<>();
    private final CancelBatcher batcher = new CancelBatcher(view, windows::add);

    @Test
    void everyTaskAddedBeforeTheWindowEndsGoesInOneCommand() {
        CompletableFuture<Void> a = batcher.add(List.of(new ArrayTask("7", 3)));
        CompletableFuture<Void> b = batcher.add(List.of(new ArrayTask("7", 1), new ArrayTask("7", 2)));
        CompletableFuture<Void> c = batcher.add(List.of(new ArrayTask("9", 5)));
        assertEquals(1, windows.size(), "one batch");
        assertFalse(a.isDone() || b.isDone() || c.isDone());
        assertEquals(List.of(), runner.commands);
        windows.get(0).run();
        assertEquals(List.of(List.of("del", "7:1-3", "9:5")), runner.commands);
        assertTrue(a.isDone() && b.isDone() && c.isDone());
    }

    @Test
    void aTaskAddedAfterABatchRanStartsTheNext() {
        batcher.add(List.of(new ArrayTask("7", 1)));
        windows.get(0).run();
        CompletableFuture<Void> later = batcher.add(List.of(new ArrayTask("7", 2)));
        assertEquals(2, windows.size());
        assertFalse(later.isDone());
        windows.get(1).run();
        assertTrue(later.isDone());
        assertEquals(List.of(List.of("del", "7:1"), List.of("del", "7:2")), runner.commands);
    }

    @Test
    void nothingToCancelRunsNothing() {
        assertTrue(batcher.add(List.of()).isDone());
        assertEquals(List.of(), windows);
    }

    @Test
    void aFailingCancelCommandStillCompletesTheBatchAndRefreshesTheView() {
        runner.answer("del", 1, "qdel: Unknown Job Id");
        view.watch("7");
        QueueView.Snapshot before = view.snapshot();
        CompletableFuture<Void> f = batcher.add(List.of(new ArrayTask("7", 1)));
        windows.get(0).run();
        assertTrue(f.isDone());
        assertTrue(view.snapshot().sequence() > before.sequence(), "the view was not refreshed after the cancel");
    }
}
