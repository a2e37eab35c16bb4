package org.jparallel.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArrayFloorTest {
    @Test
    void aTouchedHeapStartsAtItsMaximumAndIsPreTouched() {
        assertEquals(List.of("-XX:+UseG1GC", "-Xmx2g", "-Xms2g", "-XX:+AlwaysPreTouch"),
                ArrayFloor.touched(List.of("-Xmx2g", "-Xms64m", "-XX:+UseG1GC", "-XX:-AlwaysPreTouch")));
    }

    @Test
    void aTouchedHeapWithoutAMaximumGivenTakesThisJvmsMaximum() {
        List<String> touched = ArrayFloor.touched(List.of());
        String max = (Runtime.getRuntime().maxMemory() >> 20) + "m";
        assertEquals(List.of("-Xmx" + max, "-Xms" + max, "-XX:+AlwaysPreTouch"), touched);
    }

    @Test
    void aForkedFloorReportsEachSizeInTurn() throws Exception {
        List<ArrayFloor.Floor> floors = ArrayFloor.forked(List.of("-Xmx256m"), true, 1, 2);
        assertEquals(List.of(1, 2), floors.stream().map(ArrayFloor.Floor::mb).toList());
        for (ArrayFloor.Floor f : floors) {
            assertTrue(f.minMs() <= f.ms() && f.ms() <= f.maxMs(), f.toString());
            assertTrue(f.copyMs() > 0, f.toString());
        }
    }
}
