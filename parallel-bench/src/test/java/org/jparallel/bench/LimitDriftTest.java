package org.jparallel.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LimitDriftTest {
    @Test
    void aLimitWithinTwentyPercentDoesNotFlagTheRun() {
        assertFalse(LimitDrift.flagged(100, 119, 0.20));
        assertFalse(LimitDrift.flagged(100, 100, 0.20));
        assertFalse(LimitDrift.flagged(125, 100, 0.25)); // exactly the tolerance (exact in binary): not more than it
    }

    @Test
    void aLimitThatRoseOrFellByMoreThanTwentyPercentFlagsTheRun() {
        assertTrue(LimitDrift.flagged(100, 121, 0.20));
        assertTrue(LimitDrift.flagged(121, 100, 0.20));
    }

    @Test
    void aRiseAndAFallByTheSameFactorMoveTheSame() {
        assertEquals(LimitDrift.moved(100, 150), LimitDrift.moved(150, 100), 1e-12);
        assertEquals(0.5, LimitDrift.moved(100, 150), 1e-12);
    }

    @Test
    void aLimitThatCouldNotBeMeasuredFlagsTheRun() {
        assertTrue(LimitDrift.flagged(0, 100, 0.20));
        assertTrue(LimitDrift.flagged(100, Double.NaN, 0.20));
    }

    @Test
    void theRunIsNoisyWhenAnyLimitMeasuredAtBothEndsMoved() {
        LimitDrift d = new LimitDrift();
        d.atStart("floor", 100);
        d.atStart("ping-pong", 25_000);
        d.atStart("only at the start", 1);
        d.atEnd("floor", 110);
        d.atEnd("ping-pong", 25_500);
        assertFalse(d.noisy());
        assertEquals(2, d.lines().size());
        d.atEnd("ping-pong", 35_000);
        assertTrue(d.noisy());
        assertTrue(d.lines().get(1).contains("MORE THAN 20%"), d.lines().get(1));
    }
}
