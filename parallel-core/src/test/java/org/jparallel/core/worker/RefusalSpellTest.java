package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The spell of refused rounds after which a manager without a journal is presumed gone. */
class RefusalSpellTest {
    private static final long MS = 1_000_000;
    private final RefusalSpell spell = new RefusalSpell();

    @Test
    void oneRefusedRoundIsNotEnoughNorRefusalsSpanningLessThanTwoSeconds() {
        assertFalse(spell.round(true, 0));
        assertFalse(spell.round(true, 1000 * MS));
        assertFalse(spell.round(true, 1999 * MS));
        assertTrue(spell.round(true, 2000 * MS));
    }

    @Test
    void aRoundThatIsNotAllRefusedStartsTheSpellAgain() {
        assertFalse(spell.round(true, 0));
        assertFalse(spell.round(false, 1000 * MS), "a connect, or a timeout: the manager may live");
        assertFalse(spell.round(true, 2500 * MS), "the spell starts again here");
        assertFalse(spell.round(true, 4000 * MS));
        assertTrue(spell.round(true, 4500 * MS));
    }

    @Test
    void aSessionBetweenStartsTheSpellAgain() {
        assertFalse(spell.round(true, 0));
        spell.reset();
        assertFalse(spell.round(true, 3000 * MS));
        assertTrue(spell.round(true, 5000 * MS));
    }

    @Test
    void theClockMayStartNegativeAsNanoTimeMay() {
        assertFalse(spell.round(true, Long.MIN_VALUE + 5));
        assertTrue(spell.round(true, Long.MIN_VALUE + 5 + RefusalSpell.SPAN_NANOS));
    }
}
