package org.jparallel.core.worker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.ProcessTrees;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.WorkerStatus;

/**
 * The worker of {@link ClassSharingTrainer}: one real worker process ({@link WorkerMain}) started as the local
 * backend starts one (the manager's command line, the secret as the first line of its standard input, then
 * closed), with the JVM options and classpath given, so that the classes it lists hold what a worker
 * loads. Its output goes where the trainer says (the trainer's own output). It is never stopped by a
 * signal while it may end by itself: {@link WorkerHandle#stop} waits for it, so that it exits with its own code
 * (0 after the manager told it to shut down); {@link #destroy} kills it.
 */
final class TrainingWorker implements WorkerGroup {
    private final List<String> jvmOptions;
    private final String classpath;
    private final String slots;
    private final ProcessBuilder.Redirect output;
    private final long stopWaitMillis;
    private final IntConsumer onExit;
    /** Guards {@link #process} and {@link #destroyed}. */
    private final Object lock = new Object();
    private Process process;
    /** Set by {@link #destroy}: no process starts after it. */
    private boolean destroyed;

    /**
     * @param jvmOptions the worker JVM's options
     * @param classpath its classpath
     * @param slots its task slots ({@code --slots}): a number or {@code auto}
     * @param output where its standard output and error go
     * @param stopWaitMillis how long {@link WorkerHandle#stop} waits for it to end by itself before killing it
     * @param onExit told the worker's exit code once it has ended, or {@code null}
     */
    TrainingWorker(List<String> jvmOptions, String classpath, String slots, ProcessBuilder.Redirect output,
                   long stopWaitMillis, IntConsumer onExit) {
        this.jvmOptions = List.copyOf(jvmOptions);
        this.classpath = classpath;
        this.slots = slots;
        this.output = output;
        this.stopWaitMillis = stopWaitMillis;
        this.onExit = onExit;
    }

    @Override
    public int size() {
        return 1;
    }

    @Override
    public String backendName() {
        return "training";
    }

    @Override
    public boolean runsOnManagerHost() {
        return true;
    }

    @Override
    public boolean workersOutliveTheManager() {
        return false;
    }

    @Override
    public String slots() {
        return slots;
    }

    @Override
    public List<WorkerHandle> start(LaunchSpec spec) throws IOException {
        if (spec.workerIds().size() != 1) {
            throw new IOException("the trainer starts one worker, not " + spec.workerIds().size());
        }
        int id = spec.workerIds().get(0);
        List<String> command = spec.withJvmOptions(jvmOptions).withClasspath(classpath).withSlots(slots)
                .commandLine(id, true, WorkerOptions.SECRET_STDIN_ONCE);
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(output).redirectErrorStream(true);
        Process p;
        synchronized (lock) {
            if (destroyed || process != null) {
                throw new IOException(destroyed ? "the trainer is exiting" : "the trainer's worker started already");
            }
            p = pb.start();
            process = p;
        }
        if (onExit != null) {
            p.onExit().thenRun(() -> onExit.accept(p.exitValue()));
        }
        System.err.println("jparallel trainer: started its worker (pid " + p.pid() + "): " + String.join(" ", command));
        try (OutputStream in = p.getOutputStream()) {
            in.write((spec.secretText() + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // a process that has ended already: its exit code and output tell why
        }
        return List.of(new Handle(id, p));
    }

    /** @return the worker's process, or {@code null} before it started */
    Process process() {
        synchronized (lock) {
            return process;
        }
    }

    /**
     * Waits for the worker to end, and kills it when it has not within {@code millis}.
     *
     * @return its exit code; -1 when it never started, or had to be killed
     */
    int awaitExit(long millis) throws InterruptedException {
        Process p = process();
        if (p == null) {
            return -1;
        }
        if (p.waitFor(millis, TimeUnit.MILLISECONDS)) {
            return p.exitValue();
        }
        System.err.println("jparallel trainer: its worker did not end within " + millis + " ms; killing it");
        destroy();
        return -1;
    }

    /** Kills the worker if it runs, waits a little for it to be gone, and starts none after. Never throws. */
    void destroy() {
        Process p;
        synchronized (lock) {
            destroyed = true;
            p = process;
        }
        if (p == null || !p.isAlive()) {
            return;
        }
        ProcessTrees.kill(p.toHandle(), 0, 2_000);
    }

    /** The manager's handle on the worker process. */
    private final class Handle implements WorkerHandle {
        private final int id;
        private final Process p;

        Handle(int id, Process p) {
            this.id = id;
            this.p = p;
        }

        @Override
        public int workerId() {
            return id;
        }

        @Override
        public String description() {
            return "the trainer's worker " + id + " (pid " + p.pid() + ")";
        }

        @Override
        public WorkerStatus status() {
            return p.isAlive() ? WorkerStatus.running() : WorkerStatus.exited(p.exitValue());
        }

        @Override
        public String outputTail(int maxLines) {
            return "";
        }

        @Override
        public String logLocation() {
            return null;
        }

        /** Gives the worker, told to shut down, time to end by itself; then kills it. */
        @Override
        public void stop() {
            try {
                if (!p.waitFor(stopWaitMillis, TimeUnit.MILLISECONDS)) {
                    destroy();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                destroy();
            }
        }
    }
}
