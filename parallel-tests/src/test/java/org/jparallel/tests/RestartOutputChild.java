package org.jparallel.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.ProgressListener;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;

/**
 * The manager process of {@link RestartOutputFilesTest}: a journaled manager on a fixed port whose workers write to
 * output files named as by default ({@code worker%d-port%p.output}), each task printing a line naming its run and
 * its worker's pid to the worker's standard output (its output file).
 *
 * <p>Arguments: the run directory, the port, the number of local workers, and the run's name. The run named
 * {@code first} runs its tasks, writes {@code ready}, then waits to be killed (kill -9: its workers seek it again).
 * Any other run waits until its workers are all connected (the first run's that came back and those it started),
 * runs its tasks, prints {@code WORKERS id=pid ...} and closes. Each run writes {@code joined-<name>.txt}, one
 * {@code id pid} line per worker that joined.
 */
public final class RestartOutputChild {
    static final String READY = "ready";
    /** How long the killed run's workers seek it, and how long the restart holds its group for them. */
    static final Duration DEATH_TIMEOUT = Duration.ofSeconds(8);
    private static final int TASKS = 12;

    private RestartOutputChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        int workers = Integer.parseInt(args[2]);
        String run = args[3];
        Path joined = dir.resolve("joined-" + run + ".txt");
        try (Manager manager = Manager.builder()
                .port(port)
                .outputPattern(dir.resolve("worker%d-port%p.output").toString())
                .workerDeathTimeout(DEATH_TIMEOUT)
                .journal(dir.resolve("run.journal"))
                .journalIdentity("RestartOutputChild")
                .build()) {
            manager.addListener(new ProgressListener() {
                @Override
                public void workerJoined(WorkerInfo worker) {
                    try {
                        WorkerSide.appendLine(joined.toString(), worker.id() + " " + worker.pid());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            manager.addWorker(new LocalWorker(workers).jvmOptions(JournalKillChild.QUICK_JVM));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (connected(manager) < workers) { // a bounded poll: the manager has no event to wait on
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("workers did not connect: " + manager.workers());
                }
                Thread.sleep(20);
            }
            Context<String, String> ctx = manager.getContext(run, () -> run);
            Iterable<Integer> inputs = () -> IntStream.range(0, TASKS).iterator();
            for (String ignored : ctx.mapUnordered(inputs, i -> run + i, i -> s -> print(s, i))) {
                // each task printed its line on its worker
            }
            if (run.equals("first")) {
                Files.writeString(dir.resolve(READY), "ready");
                Thread.sleep(Long.MAX_VALUE); // killed here
            }
            System.out.println("WORKERS " + manager.workers().stream().map(w -> w.id() + "=" + w.pid())
                    .collect(Collectors.joining(" ")));
        }
    }

    private static long connected(Manager manager) {
        List<WorkerInfo> ws = manager.workers();
        return ws.stream().filter(w -> w.state() == WorkerInfo.State.CONNECTED).count();
    }

    /** The task, on a worker: prints a line naming the run and this worker's pid, and takes a moment. */
    static String print(String run, int i) throws InterruptedException {
        System.out.println("task " + run + "-" + i + " pid " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(100);
        return run + i;
    }
}
