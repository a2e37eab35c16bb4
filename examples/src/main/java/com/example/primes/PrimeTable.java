package com.example.primes;

import java.util.BitSet;

/**
 * Which numbers up to a limit are prime: the expensive per-worker setup of this example. A worker builds it
 * once (a sieve of Eratosthenes) and every task it runs reads it; it never travels over the network.
 */
public final class PrimeTable {

    private final int limit;
    private final BitSet composite;

    /** @param limit the largest number the table answers for */
    public PrimeTable(int limit) {
        this.limit = limit;
        this.composite = new BitSet(limit + 1);
        composite.set(0);
        composite.set(1);
        for (long p = 2; p * p <= limit; p++) {
            if (!composite.get((int) p)) {
                for (long m = p * p; m <= limit; m += p) {
                    composite.set((int) m);
                }
            }
        }
    }

    /**
     * @param from the first number counted (at least 0)
     * @param to one past the last number counted (at most {@code limit + 1})
     * @return how many primes lie in {@code [from, to)}
     */
    public int countPrimes(int from, int to) {
        if (from < 0 || to > limit + 1 || from > to) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") is outside [0, " + (limit + 1) + ")");
        }
        return (to - from) - composite.get(from, to).cardinality();
    }
}
