package org.jparallel.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Array task id lists, read and written. */
class TaskIdRangesTest {
    @Test
    void expandsIdsRangesAndSteps() {
        assertEquals(List.of(1, 2, 3, 7), TaskIdRanges.expand("1-3:1,7"));
        assertEquals(List.of(2, 4, 6), TaskIdRanges.expand("2-6:2"));
        assertEquals(List.of(5), TaskIdRanges.expand(" 5 ,"));
        assertThrows(IllegalArgumentException.class, () -> TaskIdRanges.expand("1-9999999"));
    }

    @Test
    void formatsTheShortestAscendingList() {
        assertEquals("1-4", TaskIdRanges.format(List.of(1, 2, 3, 4)));
        assertEquals("3,5-6,9", TaskIdRanges.format(List.of(9, 6, 5, 3, 5)));
        assertEquals("", TaskIdRanges.format(List.of()));
    }

    @Test
    void runsAreContiguousPieces() {
        List<int[]> runs = TaskIdRanges.runs(List.of(1, 2, 3, 7, 8));
        assertEquals(2, runs.size());
        assertArrayEquals(new int[] {1, 3}, runs.get(0));
        assertArrayEquals(new int[] {7, 8}, runs.get(1));
    }
}
