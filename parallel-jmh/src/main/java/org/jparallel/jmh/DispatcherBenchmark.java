package org.jparallel.jmh;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Manager;
import org.jparallel.TaskFailedException;
import org.jparallel.core.dispatch.Dispatcher;
import org.jparallel.core.dispatch.DispatcherListener;
import org.jparallel.core.dispatch.QueuedTask;
import org.jparallel.core.dispatch.TrackedCompletion;
import org.jparallel.core.dispatch.WorkerLink;
import org.jparallel.core.protocol.Message;
import org.jparallel.spi.WorkerHandle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The dispatcher's own cost per task, without sockets or serialization: a batch of tasks submitted,
 * sent to 8 workers whose links only note the task ids, and answered, on one thread. With {@code
 * lifetimes}, the workers report a lifetime (an hour) and every task declares an expected duration
 * (1 ms), so each send is checked against the worker's end of life: the two figures side by side are
 * what time-aware dispatch costs on the hot path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class DispatcherBenchmark {
    private static final int WORKERS = 8;
    private static final int BATCH = 1024;
    private static final byte[] PAYLOAD = {1, 2, 3, 4};
    private static final byte[] RESULT = {5};

    /** Whether workers have lifetimes and tasks expected durations. */
    @Param({"false", "true"})
    public boolean lifetimes;

    private Dispatcher dispatcher;
    private final List<ArrayDeque<Long>> sent = new ArrayList<>();
    private long nextTask = 1;

    /** A task's end, noted nowhere. */
    private static final class Completion extends TrackedCompletion {
        private final long taskId;

        Completion(long taskId) {
            this.taskId = taskId;
        }

        @Override
        public long taskId() {
            return taskId;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void succeeded(byte[] payload) {
        }

        @Override
        public void failed(TaskFailedException failure) {
        }

        @Override
        public void abandoned(String why) {
        }
    }

    /** Makes the dispatcher and connects the workers. */
    @Setup(Level.Trial)
    public void open() {
        dispatcher = new Dispatcher(Manager.builder().settings(), new DispatcherListener() {
            @Override
            public void workerConnected(int workerId) {
            }

            @Override
            public void workerGone(java.util.function.Supplier<String> summary) {
            }

            @Override
            public void stopWorker(WorkerHandle handle) {
            }
        }, () -> 1000, (task, delay) -> { });
        List<Integer> ids = new ArrayList<>();
        for (int id = 1; id <= WORKERS; id++) {
            ids.add(id);
        }
        dispatcher.workersAdded(ids, "bench", lifetimes ? Duration.ofHours(1) : null);
        dispatcher.openContext(1, null);
        for (int id = 1; id <= WORKERS; id++) {
            ArrayDeque<Long> tasks = new ArrayDeque<>();
            sent.add(tasks);
            dispatcher.admit(new Message.Hello(1, id, id, "h", "17", new byte[32], lifetimes ? 3_600_000 : -1));
            dispatcher.attach(id, new WorkerLink() {
                @Override
                public void send(Message message) {
                    if (message instanceof Message.Task t) {
                        tasks.add(t.taskId());
                    }
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            });
        }
    }

    /** Submits a batch and answers every task of it. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int submitSendAndAnswer() {
        List<QueuedTask> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            QueuedTask t = new QueuedTask(new Completion(nextTask++), 1, PAYLOAD);
            if (lifetimes) {
                t.expectDuration(1_000_000);
            }
            batch.add(t);
        }
        dispatcher.submitAll(batch);
        int answered = 0;
        while (answered < BATCH) {
            for (int w = 0; w < WORKERS; w++) {
                Long id = sent.get(w).poll();
                if (id != null) {
                    dispatcher.onResult(w + 1, id, 10, RESULT, false);
                    answered++;
                }
            }
        }
        return answered;
    }
}
