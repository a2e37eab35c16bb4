package com.example.primes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.List;
import org.jparallel.Manager;
import org.junit.jupiter.api.Test;

/**
 * Runs the program's core on the real worker JVMs that the project's {@code jparallel.properties} configures (two
 * local workers) and checks its answers against a count made in this JVM.
 */
class PrimeCounterTest {

    @Test
    void countsThePrimesUpToAMillionOnLocalWorkers() {
        int limit = 1_000_000;
        List<BlockCount> counts;
        long setups;
        try (Manager manager = Manager.fromProperties()) {
            counts = PrimeCounter.countInBlocks(manager, limit, 10);
            setups = manager.stats().setupsSent();
        }

        assertEquals(10, counts.size());
        assertEquals(78_498, counts.stream().mapToInt(BlockCount::primes).sum(), "the primes up to a million");
        counts.sort(Comparator.comparingInt(BlockCount::from));
        PrimeTable here = new PrimeTable(limit);
        int next = 0;
        for (BlockCount c : counts) {
            assertEquals(next, c.from(), "the blocks cover [0, limit] without gaps");
            assertEquals(here.countPrimes(c.from(), c.to()), c.primes(), "block " + c);
            assertNotEquals(ProcessHandle.current().pid(), c.workerPid(), "counted by a worker JVM, not this one");
            next = c.to();
        }
        assertEquals(limit + 1, next);
        assertTrue(setups >= 1 && setups <= 2, "the table is built once per worker, not per task: " + setups);
    }

    @Test
    void primeTableCountsSmallRanges() {
        PrimeTable table = new PrimeTable(100);
        assertEquals(25, table.countPrimes(0, 101));
        assertEquals(4, table.countPrimes(0, 10));
        assertEquals(0, table.countPrimes(24, 29));
    }
}
