package org.jparallel.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jparallel.TaskFailedException;
import org.jparallel.core.protocol.Message;
import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.WorkerStatus;

/** Fakes shared by the dispatcher tests: a recording link, completion, listener and handle, and a hand-driven scheduler. */
public final class DispatcherFakes {
    private DispatcherFakes() {
    }

    /** Admits worker {@code id} (as its HELLO would) and attaches a fresh link to it. @return the link */
    static FakeLink connect(Dispatcher dispatcher, int id) {
        Admission a = dispatcher.admit(new Message.Hello(1, id, 1000 + id, "host" + id, "17", new byte[32]));
        assertTrue(a.admitted(), () -> "admitted: " + a.rejection());
        FakeLink link = new FakeLink();
        dispatcher.attach(id, link);
        return link;
    }

    /** @return a task of context 1 whose payload is its id's low byte, with a {@link FakeCompletion} */
    static QueuedTask task(long id, long timeoutMillis) {
        FakeCompletion c = new FakeCompletion(id);
        return new QueuedTask(c, 1, new byte[] {(byte) c.id}, timeoutMillis);
    }

    /** Records what the dispatcher sends; knows what was flushed. */
    static final class FakeLink implements WorkerLink {
        final List<Message> sent = new ArrayList<>();
        int flushedUpTo;
        int readUpTo;
        boolean closed;

        @Override
        public void send(Message message) {
            assertFalse(closed, "send on a closed link");
            sent.add(message);
        }

        @Override
        public void flush() {
            flushedUpTo = sent.size();
        }

        @Override
        public void close() {
            closed = true;
        }

        /** @return what was sent since the last call, checking it was all flushed */
        List<Message> taken() {
            assertEquals(sent.size(), flushedUpTo, "everything sent is flushed: " + sent);
            List<Message> out = new ArrayList<>(sent.subList(readUpTo, sent.size()));
            readUpTo = sent.size();
            return out;
        }

        List<Long> tasksSent() {
            return sent.stream().filter(m -> m instanceof Message.Task).map(m -> ((Message.Task) m).taskId()).toList();
        }
    }

    /** Mirrors TaskRecord: abandoning a task makes it cancelled; counts every call. */
    public static final class FakeCompletion extends TrackedCompletion {
        final long id;
        private final String key;
        boolean cancelled;
        /** How many times the task ended (succeeded, failed or abandoned): once at most. */
        public int calls;
        public byte[] result;
        public TaskFailedException failure;
        public String abandoned;
        int sends;

        public FakeCompletion(long id) {
            this(id, null);
        }

        public FakeCompletion(long id, String key) {
            this.id = id;
            this.key = key;
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        protected void onSent() {
            sends++;
        }

        @Override
        public long taskId() {
            return id;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public void succeeded(byte[] payload) {
            calls++;
            result = payload;
        }

        @Override
        public void failed(TaskFailedException f) {
            calls++;
            failure = f;
        }

        @Override
        public void abandoned(String why) {
            calls++;
            abandoned = why;
            cancelled = true;
        }
    }

    /** Records every call of the dispatcher's listener (also used by the manager's handshake tests). */
    public static final class Listener implements DispatcherListener {
        public final List<Integer> connected = new ArrayList<>();
        public final List<String> gone = new ArrayList<>();
        public final List<WorkerHandle> stopped = new ArrayList<>();
        final List<Integer> lost = new ArrayList<>();
        /** The workers whose answers were told (workerAnswered), in order. */
        final List<Integer> answered = new ArrayList<>();
        /** How each worker in {@link #lost} was lost, in the same order. */
        final List<WorkerLoss> losses = new ArrayList<>();
        final List<Integer> draining = new ArrayList<>();
        /** The {@code answered} flag of each {@link #workerDraining} call, in order. */
        final List<Boolean> drainingAnswered = new ArrayList<>();
        final List<Integer> failedToStart = new ArrayList<>();
        /** How many workerGone calls had come when each workerFailedToStart came. */
        final List<Integer> goneBeforeFailedToStart = new ArrayList<>();
        /** What workerLost answers: why the worker was not replaced, or {@code null}. */
        String lostNotReplaced;
        /** What workerDraining answers: why the worker is not replaced, or {@code null}. */
        String drainNotReplaced;
        /** What replacementsStopped answers. */
        boolean replacementsStopped;
        /** What workerFailedToStart answers: why the worker was not replaced, or {@code null}. */
        String notReplaced;

        @Override
        public void workerConnected(int workerId) {
            connected.add(workerId);
        }

        @Override
        public String workerLost(int workerId, WorkerLoss loss) {
            lost.add(workerId);
            losses.add(loss);
            return lostNotReplaced;
        }

        @Override
        public boolean replacementsStopped(int workerId) {
            return replacementsStopped;
        }

        @Override
        public void workerAnswered(int workerId) {
            answered.add(workerId);
        }

        @Override
        public String workerDraining(int workerId, boolean answered) {
            draining.add(workerId);
            drainingAnswered.add(answered);
            return drainNotReplaced;
        }

        @Override
        public String workerFailedToStart(int workerId) {
            failedToStart.add(workerId);
            goneBeforeFailedToStart.add(gone.size());
            return notReplaced;
        }

        @Override
        public void workerGone(java.util.function.Supplier<String> summary) {
            gone.add(summary.get());
        }

        @Override
        public void stopWorker(WorkerHandle handle) {
            stopped.add(handle);
        }
    }

    /** A worker handle that is always running and whose stop does nothing. */
    public record FakeHandle(int workerId) implements WorkerHandle {
        @Override
        public String description() {
            return "fake worker " + workerId;
        }

        @Override
        public WorkerStatus status() {
            return WorkerStatus.running();
        }

        @Override
        public String outputTail(int maxLines) {
            return "";
        }

        @Override
        public String logLocation() {
            return "/logs/worker" + workerId + ".output";
        }

        @Override
        public void stop() {
        }
    }

    /**
     * A hand-driven clock: records what the dispatcher schedules, with its delay, and runs an entry
     * only when the test says so (on the test thread, as the dispatcher thread would).
     */
    static final class FakeScheduler implements Scheduler {
        /** One scheduled check. */
        static final class Scheduled {
            final Runnable task;
            final long delayMillis;
            boolean ran;

            Scheduled(Runnable task, long delayMillis) {
                this.task = task;
                this.delayMillis = delayMillis;
            }

            /** Runs the check, once. */
            void run() {
                assertFalse(ran, "a scheduled check runs once");
                ran = true;
                task.run();
            }
        }

        final List<Scheduled> all = new ArrayList<>();

        @Override
        public void schedule(Runnable task, long delayMillis) {
            all.add(new Scheduled(task, delayMillis));
        }

        /** @return the checks not run yet, oldest first */
        List<Scheduled> pending() {
            return all.stream().filter(s -> !s.ran).toList();
        }

        /** @return the only check not run yet, checking its delay */
        Scheduled onlyPending(long delayMillis) {
            List<Scheduled> p = pending();
            assertEquals(1, p.size(), "one pending check: " + p.size());
            assertEquals(delayMillis, p.get(0).delayMillis);
            return p.get(0);
        }
    }
}
