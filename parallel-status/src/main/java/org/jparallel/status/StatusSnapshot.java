package org.jparallel.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jparallel.AllocationDecision;
import org.jparallel.ManagerStats;
import org.jparallel.WorkerInfo;

/**
 * What the status page shows at one moment, and its JSON form ({@code GET /status.json}).
 *
 * @param time when it was taken, in milliseconds since the epoch
 * @param uptimeSeconds how long the status server has run
 * @param workers every worker added so far, in id order
 * @param tasks the task counters
 * @param throughput tasks finished per second over the last few seconds
 * @param failures recent task and worker failures, newest first
 * @param allocations the last decisions of automatic allocation, newest first (empty without it)
 */
public record StatusSnapshot(long time, long uptimeSeconds, List<Worker> workers, Tasks tasks,
                             double throughput, List<Failure> failures, List<Allocation> allocations) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One worker.
     *
     * @param id the manager-wide id
     * @param description what started it, e.g. {@code local worker 3}
     * @param host the host it reported, or {@code null} before it connected
     * @param pid its process id, or -1 before it connected
     * @param state STARTING, CONNECTED, FAILED, LOST or STOPPED
     * @param tasksDone tasks it returned a result or an exception for
     * @param detail why it ended, for FAILED and LOST; otherwise empty
     * @param remainingSeconds how long until its allocation ends (its walltime or configured lifetime),
     *     at least 0; -1 when its life has no set end
     * @param draining whether it takes no more tasks because its end is near (it finishes what it holds, then exits)
     * @param slots how many tasks it runs at once
     * @param busySlots how many of its slots run a task now
     * @param freeSlots how many of its slots could take a task now (0 unless it is connected and not draining)
     */
    public record Worker(int id, String description, String host, long pid, String state, long tasksDone,
                         String detail, long remainingSeconds, boolean draining, int slots, int busySlots,
                         int freeSlots) {
    }

    /**
     * The task counters.
     *
     * @param submitted tasks added
     * @param waiting tasks waiting for a worker
     * @param running tasks sent to a worker and not finished (cancelled tasks may count here)
     * @param done tasks that returned a value
     * @param failed tasks that failed for good
     * @param fromJournal keyed tasks whose result came from the journal of an earlier run, not run (in {@code
     *     submitted}, not in {@code done})
     */
    public record Tasks(long submitted, long waiting, long running, long done, long failed, long fromJournal) {
    }

    /**
     * One failure.
     *
     * @param time when it was heard, in milliseconds since the epoch
     * @param kind {@code task} or {@code worker}
     * @param id the task or worker id
     * @param message one line
     * @param detail the whole message, or the worker's reason with the end of its log
     */
    public record Failure(long time, String kind, long id, String message, String detail) {
    }

    /**
     * One decision of automatic allocation.
     *
     * @param time when it was made, in milliseconds since the epoch
     * @param group the worker group
     * @param kind SUBMIT, RELEASE or STOP
     * @param workers how many workers it submitted, or 1
     * @param workerId the worker released, or -1
     * @param reason why
     */
    public record Allocation(long time, String group, String kind, int workers, int workerId, String reason) {
    }

    /**
     * @param now the time, in milliseconds since the epoch
     * @param uptimeSeconds how long the server has run
     * @param workers the manager's workers
     * @param stats the manager's counters
     * @param recorder the throughput and failures
     * @return the snapshot
     */
    public static StatusSnapshot of(long now, long uptimeSeconds, List<WorkerInfo> workers, ManagerStats stats,
                                    StatusRecorder recorder) {
        return of(now, uptimeSeconds, workers, stats, recorder, List.of());
    }

    /**
     * @param now the time, in milliseconds since the epoch
     * @param uptimeSeconds how long the server has run
     * @param workers the manager's workers
     * @param stats the manager's counters
     * @param recorder the throughput and failures
     * @param decisions the manager's allocation decisions, oldest first
     * @return the snapshot
     */
    public static StatusSnapshot of(long now, long uptimeSeconds, List<WorkerInfo> workers, ManagerStats stats,
                                    StatusRecorder recorder, List<AllocationDecision> decisions) {
        List<Worker> ws = workers.stream()
                .map(w -> new Worker(w.id(), w.description(), w.host(), w.pid(), w.state().name(),
                        w.tasksCompleted(), w.detail() == null ? "" : w.detail(),
                        w.endOfLife() == null ? -1 : Math.max(0, (w.endOfLife().toEpochMilli() - now) / 1000),
                        w.draining(), w.slots(), w.busySlots(), w.freeSlots()))
                .toList();
        long running = Math.max(0, stats.tasksSubmitted() - stats.tasksFromJournal() - stats.tasksSucceeded()
                - stats.tasksFailed() - stats.tasksWaiting());
        Tasks tasks = new Tasks(stats.tasksSubmitted(), stats.tasksWaiting(), running, stats.tasksSucceeded(),
                stats.tasksFailed(), stats.tasksFromJournal());
        double rate = Math.round(recorder.throughput() * 100) / 100.0;
        List<Allocation> allocations = new ArrayList<>();
        for (int i = decisions.size() - 1; i >= 0; i--) {
            AllocationDecision d = decisions.get(i);
            allocations.add(new Allocation(d.time().toEpochMilli(), d.group(), d.kind().name(), d.workers(),
                    d.workerId(), d.reason()));
        }
        return new StatusSnapshot(now, uptimeSeconds, ws, tasks, rate, recorder.failures(), allocations);
    }

    /** @return this snapshot as UTF-8 JSON */
    public byte[] toJson() {
        try {
            return JSON.writeValueAsString(this).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("status snapshot is not serializable to JSON: " + e.getMessage(), e);
        }
    }
}
