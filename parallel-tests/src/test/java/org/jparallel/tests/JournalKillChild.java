package org.jparallel.tests;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.ManagerStats;
import org.jparallel.ProgressListener;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;

/**
 * The manager process of {@link JournalKillTest}: runs {@code N} keyed tasks with a journal, in a JVM of its own
 * so the test can kill it with kill -9 and start it again. Each task appends its key to an executions file (on
 * its worker), sleeps about a millisecond and returns {@code "r<key>"}; the program writes {@code "<key> <result>"}
 * to a delivered file for each result it reads, flushed per result (so the file holds, at a kill, every result the
 * program received, the last one included). At its start it reads that file back (a torn last line cut off) and
 * tells its context the keys it already has ({@link Context#markDelivered}), as a program whose output takes part
 * in exactly-once delivery does. It writes the pid of each worker that joins to {@code
 * joined-<its own pid>.txt}. At the end it prints {@code DONE <fromJournal> <succeeded> <workersStarted>}.
 *
 * <p>Arguments: the run directory (worker output, executions and delivered files, the journal), N, the port to
 * listen on (0 for one of the moment; a fixed port lets the workers of a killed run return to the next: both runs
 * add the same local workers, and the second holds them for the grace period while the first run's workers come
 * back), the number of local workers, and optionally {@code holdAt}: after writing its {@code holdAt}-th result
 * the program writes that result to a holding file and waits to be killed, holding it (no {@code hasNext()}), and
 * optionally the workers' lifetime in milliseconds (0: none), after which each drains and is replaced.
 */
public final class JournalKillChild {
    static final String JOURNAL = "run.journal";
    static final String EXECUTIONS = "executions.txt";
    static final String DELIVERED = "delivered.txt";
    static final String HOLDING = "holding.txt";
    /**
     * How long a killed manager's workers seek it: long enough for the restart to come up on a busy machine (a
     * restarted manager stops waiting as soon as its workers are back, so it costs nothing when they come).
     */
    static final Duration DEATH_TIMEOUT = Duration.ofSeconds(20);
    /**
     * The JVM options of the manager and its workers: short-lived JVMs, ten a round, spend more CPU compiling with
     * C2 than running the tasks; C1 alone and the serial collector halve their CPU time.
     */
    static final String[] QUICK_JVM = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"};

    private JournalKillChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        String executions = dir.resolve(EXECUTIONS).toString();
        int port = Integer.parseInt(args[2]);
        int workers = Integer.parseInt(args[3]);
        long holdAt = args.length > 4 ? Long.parseLong(args[4]) : 0;
        long lifetimeMs = args.length > 5 ? Long.parseLong(args[5]) : 0;
        Path joined = dir.resolve("joined-" + ProcessHandle.current().pid() + ".txt");
        Set<String> had = keysDelivered(dir.resolve(DELIVERED)); // before the writer below appends to the file
        try (Manager manager = Manager.builder()
                .port(port)
                .outputPattern(dir.resolve("worker%d-" + ProcessHandle.current().pid() + ".output").toString())
                .workerDeathTimeout(DEATH_TIMEOUT)
                .journal(dir.resolve(JOURNAL))
                .journalIdentity("JournalKillChild")
                .workerLifetime(lifetimeMs > 0 ? Duration.ofMillis(lifetimeMs) : null)
                .build();
             BufferedWriter delivered = Files.newBufferedWriter(dir.resolve(DELIVERED), StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
            manager.addListener(new ProgressListener() {
                @Override
                public void workerJoined(WorkerInfo worker) {
                    try {
                        WorkerSide.appendLine(joined.toString(), Long.toString(worker.pid()));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            manager.addWorker(new LocalWorker(workers).jvmOptions(QUICK_JVM));
            Context<String, String> ctx = manager.getContext("keys", () -> "setup");
            ctx.markDelivered(had);
            long received = 0;
            Iterable<Integer> inputs = () -> IntStream.range(0, n).iterator();
            for (String result : ctx.mapUnordered(inputs, String::valueOf, i -> s -> run(executions, i))) {
                delivered.write(result.substring(1) + " " + result + "\n");
                delivered.flush(); // in the operating system's hands: survives a kill -9 of this JVM
                if (++received == holdAt) { // the program holds this result (no hasNext() since) until killed
                    Files.writeString(dir.resolve(HOLDING), result);
                    Thread.sleep(Long.MAX_VALUE);
                }
            }
            ManagerStats stats = manager.stats();
            System.out.println("DONE " + stats.tasksFromJournal() + " " + stats.tasksSucceeded() + " "
                    + stats.workersStarted());
        }
    }

    /**
     * The keys of the results an earlier run of the program wrote to its delivered file. A last line without its
     * newline (the JVM killed in the middle of a write) is cut off the file: its result was not had.
     */
    static Set<String> keysDelivered(Path file) throws IOException {
        Set<String> keys = new HashSet<>();
        if (!Files.exists(file)) {
            return keys;
        }
        byte[] bytes = Files.readAllBytes(file);
        int whole = bytes.length;
        while (whole > 0 && bytes[whole - 1] != '\n') {
            whole--;
        }
        if (whole < bytes.length) {
            try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
                c.truncate(whole);
            }
        }
        for (String line : new String(bytes, 0, whole, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                keys.add(line.substring(0, line.indexOf(' ')));
            }
        }
        return keys;
    }

    /**
     * The task, on a worker: records its execution, takes about a millisecond, returns its key encoded. It sleeps
     * rather than spins, so that the test's pace depends on the workers' number more than on the machine's load.
     */
    static String run(String executions, int key) throws IOException, InterruptedException {
        WorkerSide.appendLine(executions, Integer.toString(key));
        Thread.sleep(1);
        return "r" + key;
    }
}
