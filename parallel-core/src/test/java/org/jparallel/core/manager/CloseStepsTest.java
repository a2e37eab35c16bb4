package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every step runs whatever an earlier one threw; the next close runs only the steps that threw; no step sees an
 * interrupt, the caller's or one that came during an earlier step, and the caller's thread gets it back.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CloseStepsTest {
    private final List<String> ran = new ArrayList<>();

    @Test
    void everyStepRunsAndTheFirstFailureCarriesTheLaterOnes() {
        CloseSteps steps = new CloseSteps(3);
        IllegalStateException first = new IllegalStateException("first");
        AssertionError second = new AssertionError("second");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> steps.run(
                () -> fail("a", first), () -> ran.add("b"), () -> fail("c", second)));
        assertSame(first, thrown);
        assertEquals(List.of(second), List.of(thrown.getSuppressed()));
        assertEquals(List.of("a", "b", "c"), ran);
    }

    @Test
    void aSecondCloseRunsOnlyTheStepsThatThrewUntilTheyReturn() {
        CloseSteps steps = new CloseSteps(3);
        int[] failuresLeft = {2};
        Runnable flaky = () -> {
            ran.add("flaky");
            if (failuresLeft[0]-- > 0) {
                throw new IllegalStateException("not yet");
            }
        };
        assertThrows(IllegalStateException.class, () -> steps.run(() -> ran.add("a"), flaky, () -> ran.add("c")));
        assertThrows(IllegalStateException.class, () -> steps.run(() -> ran.add("a"), flaky, () -> ran.add("c")));
        steps.run(() -> ran.add("a"), flaky, () -> ran.add("c"));
        steps.run(() -> ran.add("a"), flaky, () -> ran.add("c"));
        assertEquals(List.of("a", "flaky", "c", "flaky", "flaky"), ran);
    }

    @Test
    void aCloseFromInsideAStepReturnsAtOnce() {
        CloseSteps steps = new CloseSteps(1);
        Runnable[] self = new Runnable[1];
        self[0] = () -> {
            ran.add("step");
            steps.run(self[0]);
        };
        steps.run(self[0]);
        assertEquals(List.of("step"), ran);
    }

    @Test
    void aCloseWhileAnotherThreadClosesReturnsAtOnce() throws Exception {
        CloseSteps steps = new CloseSteps(1);
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread closer = new Thread(() -> steps.run(() -> {
            inStep.countDown();
            await(release);
        }));
        closer.start();
        inStep.await();
        steps.run(() -> ran.add("second"));
        release.countDown();
        closer.join();
        assertEquals(List.of(), ran);
    }

    @Test
    void anInterruptDuringAStepDoesNotCutALaterStepsWaitShortAndIsKeptForTheCaller() {
        CloseSteps steps = new CloseSteps(3);
        try {
            steps.run(() -> {
                ran.add("interrupted"); // as the program's other thread interrupting the one that closes
                Thread.currentThread().interrupt();
            }, () -> ran.add(waitOnAnOpenLatch()), () -> ran.add(flag()));
            ran.add("after the close: " + flag());
        } finally {
            Thread.interrupted();
        }
        assertEquals(List.of("interrupted", "waited", "flag clear", "after the close: flag set"), ran);
    }

    @Test
    void aCallerInterruptedBeforeTheCloseKeepsItsFlagAndNoStepSeesIt() {
        CloseSteps steps = new CloseSteps(2);
        Thread.currentThread().interrupt();
        try {
            assertThrows(IllegalStateException.class, () -> steps.run(() -> {
                ran.add(waitOnAnOpenLatch());
                throw new IllegalStateException("a step that fails");
            }, () -> ran.add(waitOnAnOpenLatch())));
            ran.add("after the close: " + flag());
        } finally {
            Thread.interrupted();
        }
        assertEquals(List.of("waited", "waited", "after the close: flag set"), ran);
    }

    @Test
    void eachItemIsVisitedWhateverAnEarlierOneThrew() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> CloseSteps.each(List.of("a", "b", "c"), s -> {
            ran.add(s);
            if (!s.equals("b")) {
                throw new RuntimeException(s);
            }
        }));
        assertEquals("a", e.getMessage());
        assertEquals("c", e.getSuppressed()[0].getMessage());
        assertEquals(List.of("a", "b", "c"), ran);
    }

    private void fail(String name, Throwable t) {
        ran.add(name);
        if (t instanceof RuntimeException r) {
            throw r;
        }
        throw (Error) t;
    }

    /** A wait that ends at once, unless the thread's interrupt flag cuts it short. */
    private static String waitOnAnOpenLatch() {
        try {
            return new CountDownLatch(0).await(10, TimeUnit.SECONDS) ? "waited" : "timed out";
        } catch (InterruptedException e) {
            return "cut short by an interrupt";
        }
    }

    private static String flag() {
        return Thread.currentThread().isInterrupted() ? "flag set" : "flag clear";
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
