package org.jparallel.core.worker;

import io.netty.util.internal.logging.InternalLogger;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.core.worker.startup.ProcessId;
import org.jparallel.core.worker.startup.WorkerLogs;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.WorkerStatus;

/**
 * The workers of {@link ClassSharingTrainer}: each the real worker client ({@link WorkerClient}, its options
 * parsed by {@link WorkerOptions#parse} from a local worker's command line, its secret from standard input) on a
 * thread of the trainer's JVM, connecting to the trainer's manager over loopback, so that the JVM loads what a
 * worker process loads. One worker per entry of the slots given: one slot (the default of every worker) and more
 * (task slots, {@link TaskSlots}).
 */
final class TrainingWorkers implements WorkerGroup {
    /** How long {@link WorkerHandle#stop} waits for a worker told to shut down to end by itself. */
    private static final long STOP_GRACE_MILLIS = 3_000;

    private final List<String> slots;
    private final List<Worker> started = new ArrayList<>();

    /** @param slots each worker's task slots ({@code --slots}), one entry per worker */
    TrainingWorkers(List<String> slots) {
        this.slots = List.copyOf(slots);
    }

    @Override
    public int size() {
        return slots.size();
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
    public List<WorkerHandle> start(LaunchSpec spec) {
        List<WorkerHandle> handles = new ArrayList<>();
        List<Integer> ids = spec.workerIds();
        for (int i = 0; i < ids.size(); i++) {
            int id = ids.get(i);
            String slotsOfThis = slots.get(i % slots.size());
            String[] args = {"--connect", String.join(",", spec.managerAddresses(true)), "--id", Integer.toString(id),
                    WorkerOptions.SLOTS, slotsOfThis, WorkerOptions.SECRET_STDIN_ONCE};
            WorkerOptions options = parse(args, spec.secretText());
            Worker w = new Worker(id, options);
            synchronized (started) {
                started.add(w);
            }
            w.thread.start();
            handles.add(w);
        }
        return handles;
    }

    /**
     * Parses a worker's options as {@link WorkerMain} does, with the secret read from standard input as a local
     * worker reads it ({@code --secret-stdin-once}): standard input is the secret's line while they are parsed.
     * Callers must not read {@link System#in} meanwhile (the trainer's watch of its input holds the real one).
     */
    private static WorkerOptions parse(String[] args, String secretText) {
        synchronized (TrainingWorkers.class) {
            InputStream input = System.in;
            try {
                System.setIn(new ByteArrayInputStream((secretText + "\n").getBytes(StandardCharsets.US_ASCII)));
                return WorkerOptions.parse(args, System.getenv());
            } finally {
                System.setIn(input);
            }
        }
    }

    /**
     * Waits for every worker started to end (each ends once its manager told it to shut down).
     *
     * @return whether all ended within {@code millis}
     */
    boolean awaitEnd(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        List<Worker> all;
        synchronized (started) {
            all = new ArrayList<>(started);
        }
        for (Worker w : all) {
            w.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (w.thread.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** @return the exit codes of the workers that ended (as {@link WorkerClient#run} returned them), in start order */
    List<Integer> exitCodes() {
        List<Integer> codes = new ArrayList<>();
        synchronized (started) {
            for (Worker w : started) {
                if (w.exitCode >= 0) {
                    codes.add(w.exitCode);
                }
            }
        }
        return codes;
    }

    /** One worker client on a thread of its own, and the manager's handle on it. */
    private static final class Worker implements WorkerHandle, Runnable {
        private static final InternalLogger LOG = WorkerLogs.logger(TrainingWorkers.class);
        private final int id;
        private final WorkerOptions options;
        private final Thread thread;
        private volatile int exitCode = -1;
        private volatile Throwable failure;

        Worker(int id, WorkerOptions options) {
            this.id = id;
            this.options = options;
            this.thread = new Thread(this, "jparallel-training-worker-" + id);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                // as WorkerMain says it (ProcessId too)
                LOG.info("jparallel worker {} (pid {}) connecting to {}", id, ProcessId.get(), options.addresses());
                exitCode = new WorkerClient(options).run();
                LOG.info("worker {} exiting with code {}", id, exitCode);
            } catch (Throwable e) {
                failure = e;
                LOG.warn("training worker {} failed", id, e);
            }
        }

        @Override
        public int workerId() {
            return id;
        }

        @Override
        public String description() {
            return "training worker " + id + " (in the trainer's JVM)";
        }

        @Override
        public WorkerStatus status() {
            Throwable f = failure;
            if (f != null) {
                return WorkerStatus.failed(f.toString());
            }
            int code = exitCode;
            return code >= 0 ? WorkerStatus.exited(code) : WorkerStatus.running();
        }

        @Override
        public String outputTail(int maxLines) {
            return "";
        }

        @Override
        public String logLocation() {
            return null;
        }

        /** Lets a worker told to shut down end by itself; interrupts one that has not after a grace. */
        @Override
        public void stop() {
            try {
                thread.join(STOP_GRACE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                thread.interrupt();
            }
        }
    }
}
