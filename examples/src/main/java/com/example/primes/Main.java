package com.example.primes;

import java.util.List;
import org.jparallel.ConfigurationException;
import org.jparallel.Manager;
import org.jparallel.NoMoreWorkersException;

/**
 * Counts the primes up to a limit on the workers that {@code jparallel.properties} configures, printing each
 * block's count as it arrives and the total.
 *
 * <p>Run it from the project's directory (where {@code jparallel.properties} is): {@code java -jar
 * target/jparallel-example-1.0-SNAPSHOT.jar [LIMIT [BLOCKS]]}.
 */
public final class Main {

    private Main() {
    }

    /** @param args {@code [LIMIT [BLOCKS]]}, by default 10,000,000 in 20 blocks */
    public static void main(String[] args) {
        int limit;
        int blocks;
        try {
            limit = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
            blocks = args.length > 1 ? Integer.parseInt(args[1]) : 20;
            if (args.length > 2 || limit < 1 || limit == Integer.MAX_VALUE || blocks < 1) {
                throw new IllegalArgumentException(String.join(" ", args));
            }
        } catch (IllegalArgumentException e) {
            System.err.println("bad arguments: " + e.getMessage());
            System.err.println("usage: java -jar jparallel-example.jar [LIMIT [BLOCKS]]  (1 <= LIMIT < 2^31-1, BLOCKS >= 1)");
            System.exit(2);
            return;
        }
        // Reads ./jparallel.properties (or -Djparallel.config=FILE), checks every key, starts its workers.
        try (Manager manager = Manager.fromProperties()) {
            List<BlockCount> counts = PrimeCounter.countInBlocks(manager, limit, blocks);
            long total = 0;
            for (BlockCount c : counts) {
                System.out.printf("[%,d, %,d): %,d primes (worker pid %d)%n", c.from(), c.to(), c.primes(), c.workerPid());
                total += c.primes();
            }
            System.out.printf("%,d primes up to %,d, counted in %d blocks on %d worker(s); setups run: %d%n",
                    total, limit, blocks, manager.stats().workersConnected(), manager.stats().setupsSent());
        } catch (ConfigurationException | NoMoreWorkersException e) {
            // a wrong jparallel.properties, or no worker could start: the message says which and what to do
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }
}
