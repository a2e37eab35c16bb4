package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SequenceWindowTest {
    @Test
    void theLowWaterMarkMovesOnlyPastDeliveredNumbers() {
        SequenceWindow<String> w = new SequenceWindow<>();
        w.put(1, "b");
        w.put(0, "a");
        assertEquals("a", w.get(0));
        w.delivered(1);
        assertNull(w.get(1), "delivered ahead");
        assertEquals(0, w.lowWater());
        w.delivered(0);
        assertEquals(2, w.lowWater());
        assertNull(w.get(0));
    }

    @Test
    void itGrowsAcrossTheRingsEdgeAndKeepsEveryEntry() {
        SequenceWindow<Long> w = new SequenceWindow<>();
        for (long s = 0; s < 50; s++) {
            w.put(s, s);
            w.delivered(s);
        }
        assertEquals(50, w.lowWater());
        // 50 stays undelivered while 1,000 more arrive: the ring grows past its wrapped start
        for (long s = 50; s < 1_050; s++) {
            w.put(s, s);
        }
        for (long s = 51; s < 1_050; s++) {
            assertEquals(s, w.get(s));
            w.delivered(s);
        }
        assertEquals(50, w.lowWater());
        assertEquals(50L, w.get(50));
        w.delivered(50);
        assertEquals(1_050, w.lowWater());
    }

    @Test
    void deliveringAShuffledRangeEndsWithTheMarkPastIt() {
        SequenceWindow<Integer> w = new SequenceWindow<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            order.add(i);
            w.put(i, i);
        }
        Collections.shuffle(order, new Random(7));
        for (int s : order) {
            assertEquals(s, w.get(s));
            w.delivered(s);
        }
        assertEquals(10_000, w.lowWater());
    }
}
