package org.jparallel.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pairing arithmetic of {@link PairedRatio}: no timing, made-up measurements. */
class PairedRatioTest {
    @Test
    void theLimitAndTheFigureAreTakenInTurnLimitFirst() throws Exception {
        List<String> order = new ArrayList<>();
        double[] next = {0};
        PairedRatio.Pairs p = PairedRatio.measure(3, () -> {
            order.add("hello");
            return 100 + ++next[0];
        }, () -> {
            order.add("cold");
            return 200 + ++next[0];
        });
        assertEquals(List.of("hello", "cold", "hello", "cold", "hello", "cold"), order);
        assertArrayEquals(new double[] {101, 103, 105}, p.limit());
        assertArrayEquals(new double[] {202, 204, 206}, p.figure());
    }

    @Test
    void aFloorThatMovesWithTheMachineDoesNotMoveTheRatio() {
        // the machine slowed down half-way: both members of the later pairs took 1.5x as long
        PairedRatio.Pairs p = new PairedRatio.Pairs(new double[] {100, 100, 150, 150, 150},
                new double[] {140, 140, 210, 210, 210});
        assertArrayEquals(new double[] {1.4, 1.4, 1.4, 1.4, 1.4}, p.ratios(), 1e-12);
        assertEquals(1.4, p.medianRatio(), 1e-12);
        // the old reading, the median cold start over a floor taken at another moment (the fast one), says 2.1
        assertEquals(2.1, Stats.median(p.figure()) / 100, 1e-12);
    }

    @Test
    void theRatioIsTheMedianOfThePairsNotTheRatioOfTheMedians() {
        PairedRatio.Pairs p = new PairedRatio.Pairs(new double[] {100, 200, 120}, new double[] {150, 300, 150});
        assertArrayEquals(new double[] {1.5, 1.5, 1.25}, p.ratios(), 1e-12);
        assertEquals("(100, 150, 1.50), (200, 300, 1.50), (120, 150, 1.25)", p.describe());
        assertEquals(1.5, p.medianRatio(), 1e-12);
        assertEquals(1.25, Stats.median(p.figure()) / Stats.median(p.limit()), 1e-12);
    }

    @Test
    void anEvenNumberOfPairsTakesTheMeanOfTheMiddleTwo() {
        PairedRatio.Pairs p = new PairedRatio.Pairs(new double[] {100, 100, 100, 100}, new double[] {110, 190, 130, 170});
        assertEquals(1.5, p.medianRatio(), 1e-12);
    }

    @Test
    void pairsNeedOneLimitPerFigureAndLimitsThatGiveARatio() {
        assertThrows(IllegalArgumentException.class, () -> new PairedRatio.Pairs(new double[] {1, 2}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new PairedRatio.Pairs(new double[0], new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new PairedRatio.Pairs(new double[] {0}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> new PairedRatio.Pairs(new double[] {Double.NaN}, new double[] {1}));
    }

    @Test
    void aPairedFigureShowsItsPairedRatioInTheTableAndTheJson() {
        Figure paired = new Figure("cold", 210, 140, 210, "ms", "floor", 150, null, 1.4);
        Figure plain = new Figure("warm", 300, 200, 400, "tasks/s", "limit", 600, null);
        assertEquals(1.4, paired.ratio(), 1e-12);
        assertEquals(0.5, plain.ratio(), 1e-12);
        String json = BenchJson.of("test", 0, List.of(paired, plain));
        assertTrue(json.contains("\"limit\" : 150.0, \"ratio\" : 1.4, \"ratioOfPairs\" : true"), json);
        assertTrue(json.contains("\"limit\" : 600.0, \"ratio\" : 0.5, \"ratioOfPairs\" : false"), json);
    }
}
