package org.jparallel.status;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.jparallel.ProgressListener;
import org.jparallel.TaskFailedException;
import org.jparallel.WorkerInfo;

/**
 * Hears a manager's events for the status page: counts finished tasks per second, for the
 * throughput over the last few seconds, and keeps the most recent failures with their detail.
 * Events arrive on the manager's progress thread; the status server reads from its own, so every
 * method is synchronized.
 */
public final class StatusRecorder implements ProgressListener {
    /** How many seconds the throughput is averaged over. */
    public static final int WINDOW_SECONDS = 5;
    /** How many failures are kept, newest first. */
    public static final int MAX_FAILURES = 20;
    /** The longest detail kept per failure; longer ones keep their end (the log tail). */
    public static final int MAX_DETAIL_CHARS = 4000;

    private static final int BUCKETS = WINDOW_SECONDS + 2;

    private final LongSupplier clockMillis;
    private final long startSecond;
    private final long[] bucketSecond = new long[BUCKETS];
    private final long[] bucketCount = new long[BUCKETS];
    private final ArrayDeque<StatusSnapshot.Failure> failures = new ArrayDeque<>();

    /** A recorder on the system clock. */
    public StatusRecorder() {
        this(System::currentTimeMillis);
    }

    /** @param clockMillis the clock, in milliseconds since the epoch */
    public StatusRecorder(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
        this.startSecond = clockMillis.getAsLong() / 1000;
        java.util.Arrays.fill(bucketSecond, -1);
    }

    @Override
    public synchronized void taskDone(long taskId, int workerId) {
        finished();
    }

    @Override
    public synchronized void taskFailed(long taskId, TaskFailedException failure) {
        finished();
        String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        int nl = message.indexOf('\n');
        add(new StatusSnapshot.Failure(clockMillis.getAsLong(), "task", taskId,
                nl < 0 ? message : message.substring(0, nl), tail(message)));
    }

    @Override
    public synchronized void workerFailed(WorkerInfo worker) {
        add(new StatusSnapshot.Failure(clockMillis.getAsLong(), "worker", worker.id(),
                "worker " + worker.id() + " (" + worker.description() + ") failed to start", tail(worker.detail())));
    }

    @Override
    public synchronized void workerLost(WorkerInfo worker) {
        add(new StatusSnapshot.Failure(clockMillis.getAsLong(), "worker", worker.id(),
                "worker " + worker.id() + " (" + worker.description() + ") was lost", tail(worker.detail())));
    }

    /** @return tasks finished (done or failed) per second over the last {@value #WINDOW_SECONDS} full seconds */
    public synchronized double throughput() {
        long now = clockMillis.getAsLong() / 1000;
        long sum = 0;
        for (long s = now - WINDOW_SECONDS; s < now; s++) {
            int i = (int) Math.floorMod(s, (long) BUCKETS);
            if (bucketSecond[i] == s) {
                sum += bucketCount[i];
            }
        }
        long seconds = Math.max(1, Math.min(WINDOW_SECONDS, now - startSecond));
        return (double) sum / seconds;
    }

    /** @return the recent failures, newest first */
    public synchronized List<StatusSnapshot.Failure> failures() {
        return new ArrayList<>(failures);
    }

    private void finished() {
        long s = clockMillis.getAsLong() / 1000;
        int i = (int) Math.floorMod(s, (long) BUCKETS);
        if (bucketSecond[i] != s) {
            bucketSecond[i] = s;
            bucketCount[i] = 0;
        }
        bucketCount[i]++;
    }

    private void add(StatusSnapshot.Failure f) {
        failures.addFirst(f);
        while (failures.size() > MAX_FAILURES) {
            failures.removeLast();
        }
    }

    private static String tail(String detail) {
        if (detail == null) {
            return "";
        }
        return detail.length() <= MAX_DETAIL_CHARS ? detail
                : "..." + detail.substring(detail.length() - MAX_DETAIL_CHARS);
    }
}
