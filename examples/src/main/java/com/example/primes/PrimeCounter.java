package com.example.primes;

import java.util.ArrayList;
import java.util.List;
import org.jparallel.Context;
import org.jparallel.Manager;

/**
 * The program's core: counts the primes below a limit in blocks, one task per block, on the manager's workers.
 * Each worker builds a {@link PrimeTable} once (the context's setup) and answers every block it is sent from it.
 */
public final class PrimeCounter {

    private PrimeCounter() {
    }

    /**
     * @param manager the manager whose workers run the tasks
     * @param limit the largest number counted
     * @param blocks how many tasks the range {@code [0, limit]} is cut into
     * @return each block's count, in any order (as the workers finish them)
     */
    public static List<BlockCount> countInBlocks(Manager manager, int limit, int blocks) {
        List<BlockCount> counts = new ArrayList<>();
        // The setup is a Serializable lambda: it travels to each worker and runs there once.
        try (Context<PrimeTable, BlockCount> ctx = manager.getContext(() -> new PrimeTable(limit))) {
            long size = limit + 1L;
            for (int b = 0; b < blocks; b++) {
                int from = (int) (size * b / blocks);
                int to = (int) (size * (b + 1) / blocks);
                // A task captures only numbers, so it serializes in a few bytes.
                ctx.addTask(table -> new BlockCount(from, to, table.countPrimes(from, to),
                        ProcessHandle.current().pid()));
            }
            for (BlockCount count : ctx.getResultsUnordered()) {
                counts.add(count);
            }
        }
        return counts;
    }
}
