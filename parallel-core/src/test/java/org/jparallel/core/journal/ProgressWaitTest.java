package org.jparallel.core.journal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The wait of the journal's close for a thread that may never end: on a fake clock that moves one step per look
 * (so no outcome depends on real time, and the real waits between looks are of a millisecond), it goes on as long
 * as the progress moves within its bound, gives up one bound after the progress stopped, and no interrupt ends it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProgressWaitTest {
    /** The bound: its slice, the real wait between looks, is of 1 ms. */
    private static final long BOUND_MILLIS = 10;
    private static final long BOUND = TimeUnit.MILLISECONDS.toNanos(BOUND_MILLIS);

    private final List<CountDownLatch> ends = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void letTheThreadsGo() throws InterruptedException {
        Thread.interrupted(); // a failed case may leave the flag set
        ends.forEach(CountDownLatch::countDown);
        for (Thread t : threads) {
            t.join();
        }
    }

    @Test
    void theWaitGoesOnPastManyBoundsAsLongAsTheProgressMoves() {
        CountDownLatch end = new CountDownLatch(1);
        Thread t = parkedUntil(end);
        // 0.9 bound per look, the progress moving at each: no bound passes without progress, 50 looks are 45 bounds
        Looks clock = new Looks(BOUND * 9 / 10, look -> {
            if (look == 50) {
                end.countDown();
            }
        });
        assertTrue(ProgressWait.join(t, clock::looks, BOUND_MILLIS, clock), "the wait gave up after "
                + clock.looks + " looks, " + clock.now / BOUND + " bounds, the progress moving at each");
        assertTrue(clock.looks >= 50, "the thread ended before it was let go");
        assertFalse(t.isAlive(), "the wait said the thread ended");
    }

    @Test
    void theWaitGivesUpOneBoundAfterTheProgressStops() {
        Thread t = parkedUntil(new CountDownLatch(1));
        long step = BOUND * 3 / 10;
        int moving = 20; // then no more
        Looks clock = new Looks(step, look -> { });
        assertFalse(ProgressWait.join(t, () -> Math.min(clock.looks, moving), BOUND_MILLIS, clock),
                "the wait said a thread that never ends ended");
        long lastMove = moving * step; // the clock at the look that saw the last move
        assertTrue(clock.now >= lastMove + BOUND, "the wait gave up at look " + clock.looks + ", less than a bound"
                + " after the progress's last move (look " + moving + ")");
        assertTrue(clock.now < lastMove + BOUND + step, "the wait went on " + (clock.now - lastMove) * 100 / BOUND
                + "% of a bound after the progress's last move");
        assertTrue(t.isAlive());
    }

    @Test
    void anInterruptDoesNotEndTheWaitAndItsFlagIsKept() {
        CountDownLatch end = new CountDownLatch(1);
        Thread t = parkedUntil(end);
        // an interrupt at each look till the thread is let go: each join of the wait till then throws at once (the
        // thread is alive), clearing the flag, which only the wait can set again
        Looks clock = new Looks(BOUND * 9 / 10, look -> {
            if (look < 50) {
                Thread.currentThread().interrupt();
            } else if (look == 50) {
                end.countDown();
            }
        });
        boolean ended = ProgressWait.join(t, clock::looks, BOUND_MILLIS, clock);
        boolean kept = Thread.interrupted();
        assertTrue(ended, "the wait gave up after " + clock.looks + " looks, interrupted at each");
        assertTrue(clock.looks >= 50, "the thread ended before it was let go");
        assertTrue(kept, "the interrupt flag was not kept");
    }

    /** @return a live thread that ends once {@code end} counts down (and not on an interrupt) */
    private Thread parkedUntil(CountDownLatch end) {
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    end.await();
                    return;
                } catch (InterruptedException e) {
                    // only the latch ends it
                }
            }
        }, "progress-wait-test");
        t.setDaemon(true);
        ends.add(end);
        threads.add(t);
        t.start();
        return t;
    }

    /**
     * The wait's clock, a step later at each look at it (once a look of the wait at the progress); it counts the
     * looks, a progress that moves at each, and runs {@code atLook} at each. Read on the waiting thread only.
     */
    private static final class Looks implements LongSupplier {
        private final long step;
        private final IntConsumer atLook;
        private long now;
        private int looks;

        Looks(long step, IntConsumer atLook) {
            this.step = step;
            this.atLook = atLook;
        }

        @Override
        public long getAsLong() {
            looks++;
            atLook.accept(looks);
            now += step;
            return now;
        }

        long looks() {
            return looks;
        }
    }
}
