package org.jparallel.tests;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.local.LocalWorker;

/**
 * The manager process of {@link ManagerKillTest}, run in a JVM of its own so the test can kill it
 * with kill -9: starts two local workers with a 5 s death timeout, gives each a 120 s task, prints
 * {@code WORKER_PIDS <pid> <pid>} on standard output once both tasks run, then waits for results
 * until it is killed. Exits with code 1 (saying why on standard output) if it gets nowhere within 60 s.
 *
 * <p>Arguments: the directory for the worker output files and the task start file; optionally the workers' death
 * timeout in seconds (default {@link #DEATH_TIMEOUT}), and {@code tls} for a manager with TLS (its workers on
 * Netty's transport rather than the blocking one).
 */
public final class ManagerKillChild {
    static final String PIDS_LINE = "WORKER_PIDS";
    static final Duration DEATH_TIMEOUT = Duration.ofSeconds(5);

    private ManagerKillChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Manager manager = Manager.builder()
                .outputPattern(dir.resolve("worker%d.output").toString())
                .workerDeathTimeout(args.length > 1 ? Duration.ofSeconds(Long.parseLong(args[1])) : DEATH_TIMEOUT)
                .tls(args.length > 2 && args[2].equals("tls"))
                .build();
        try {
            manager.addWorker(new LocalWorker(2));
            Context<Void, Long> ctx = manager.<Long>getContext();
            String started = dir.resolve("started.txt").toString();
            for (int i = 0; i < 2; i++) {
                ctx.addTask(s -> {
                    WorkerSide.appendLine(started, Long.toString(WorkerSide.pid()));
                    return WorkerSide.sleepThenReturn(120_000, WorkerSide.pid());
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (TestSupport.lines(Path.of(started)).size() < 2) {
                if (System.nanoTime() - deadline > 0) {
                    System.out.println("ERROR the two tasks did not start: " + TestSupport.describe(manager.workers()));
                    System.exit(1);
                }
                Thread.sleep(20);
            }
            List<Long> pids = TestSupport.connectedPids(manager);
            System.out.println(PIDS_LINE + " " + pids.stream().map(String::valueOf).collect(Collectors.joining(" ")));
            System.out.flush();
            for (Long r : ctx.getResultsUnordered()) {
                System.out.println("RESULT " + r); // not expected: the test kills this JVM first
            }
        } finally {
            manager.close();
        }
    }
}
