package org.jparallel.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jparallel.AllocationDecision;
import org.jparallel.ManagerStats;
import org.jparallel.TaskFailedException;
import org.jparallel.WorkerInfo;
import org.junit.jupiter.api.Test;

/** The JSON the status page reads: field names, counts, throughput and failures. */
class StatusSnapshotTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
    private final StatusRecorder recorder = new StatusRecorder(clock::get);

    @Test
    void jsonHasWorkersTasksThroughputAndFailures() throws Exception {
        for (int i = 0; i < 10; i++) {
            recorder.taskDone(i, 1);
        }
        recorder.taskFailed(42, new TaskFailedException(42, "it threw", List.of()));
        WorkerInfo dead = new WorkerInfo(2, "local worker 2", WorkerInfo.State.FAILED, null, -1, 0,
                "it exited with code 1\n--- end of worker2.output ---\nError: could not find main class");
        recorder.workerFailed(dead);
        clock.addAndGet(1000);

        List<WorkerInfo> workers = List.of(
                new WorkerInfo(1, "local worker 1", WorkerInfo.State.CONNECTED, "node7", 4321, 10, "", null, false, 8, 3),
                dead,
                new WorkerInfo(3, "sge worker 3", WorkerInfo.State.CONNECTED, "node8", 99, 0, "",
                        java.time.Instant.ofEpochMilli(clock.get() + 90_500), true));
        ManagerStats stats = new ManagerStats(24, 10, 1, 1, 2, 1, 6, 4);
        List<AllocationDecision> decisions = List.of(
                new AllocationDecision(Instant.ofEpochMilli(5), "cluster", AllocationDecision.Kind.SUBMIT, 4, -1,
                        "2000 task(s) waiting"),
                new AllocationDecision(Instant.ofEpochMilli(9), "cluster", AllocationDecision.Kind.RELEASE, 1, 3,
                        "idle for 30 s"));
        StatusSnapshot s = StatusSnapshot.of(clock.get(), 1, workers, stats, recorder, decisions);
        JsonNode json = new ObjectMapper().readTree(s.toJson());

        assertEquals(Set.of("time", "uptimeSeconds", "workers", "tasks", "throughput", "failures", "allocations"),
                names(json));
        JsonNode a = json.get("allocations");
        assertEquals(2, a.size());
        assertEquals(Set.of("time", "group", "kind", "workers", "workerId", "reason"), names(a.get(0)));
        assertEquals("RELEASE", a.get(0).get("kind").asText(), "newest first");
        assertEquals(3, a.get(0).get("workerId").asInt());
        assertEquals(9, a.get(0).get("time").asLong());
        assertEquals("SUBMIT", a.get(1).get("kind").asText());
        assertEquals(4, a.get(1).get("workers").asInt());
        assertEquals("2000 task(s) waiting", a.get(1).get("reason").asText());
        JsonNode w = json.get("workers").get(0);
        assertEquals(Set.of("id", "description", "host", "pid", "state", "tasksDone", "detail", "remainingSeconds",
                "draining", "slots", "busySlots", "freeSlots"), names(w));
        assertEquals(8, w.get("slots").asInt());
        assertEquals(3, w.get("busySlots").asInt());
        assertEquals(5, w.get("freeSlots").asInt());
        assertEquals(-1, w.get("remainingSeconds").asLong(), "no set end");
        JsonNode ending = json.get("workers").get(2);
        assertEquals(90, ending.get("remainingSeconds").asLong(), "the time left until its end of life");
        assertTrue(ending.get("draining").asBoolean());
        assertEquals(1, w.get("id").asInt());
        assertEquals("node7", w.get("host").asText());
        assertEquals(4321, w.get("pid").asLong());
        assertEquals("CONNECTED", w.get("state").asText());
        assertEquals(10, w.get("tasksDone").asLong());
        assertTrue(json.get("workers").get(1).get("host").isNull());
        assertEquals("FAILED", json.get("workers").get(1).get("state").asText());

        JsonNode t = json.get("tasks");
        assertEquals(Set.of("submitted", "waiting", "running", "done", "failed", "fromJournal"), names(t));
        assertEquals(24, t.get("submitted").asLong());
        assertEquals(6, t.get("waiting").asLong());
        assertEquals(3, t.get("running").asLong(), "24 submitted - 4 from the journal - 10 done - 1 failed - 6 waiting");
        assertEquals(4, t.get("fromJournal").asLong(), "results taken from the journal, counted apart");
        assertEquals(10, t.get("done").asLong());
        assertEquals(1, t.get("failed").asLong());

        assertEquals(11.0, json.get("throughput").asDouble(), 1e-9, "11 finished in the one second so far");

        JsonNode f = json.get("failures");
        assertEquals(2, f.size());
        assertEquals(Set.of("time", "kind", "id", "message", "detail"), names(f.get(0)));
        assertEquals("worker", f.get(0).get("kind").asText(), "newest first");
        assertTrue(f.get(0).get("detail").asText().contains("could not find main class"), f.toString());
        assertEquals("task", f.get(1).get("kind").asText());
        assertEquals(42, f.get(1).get("id").asLong());
        assertEquals("Task 42 failed: it threw", f.get(1).get("message").asText());
    }

    @Test
    void throughputAveragesTheLastFullSecondsAndForgetsOlderOnes() {
        for (int i = 0; i < 50; i++) {
            recorder.taskDone(i, 1);
        }
        clock.addAndGet(10_000);
        assertEquals(0.0, recorder.throughput(), 1e-9, "everything finished more than the window ago");
        for (int s = 0; s < 5; s++) {
            for (int i = 0; i < 4; i++) {
                recorder.taskDone(i, 1);
            }
            clock.addAndGet(1000);
        }
        assertEquals(4.0, recorder.throughput(), 1e-9);
    }

    @Test
    void keepsOnlyTheNewestFailuresAndTheEndOfLongDetails() {
        for (int i = 0; i < StatusRecorder.MAX_FAILURES + 5; i++) {
            recorder.workerLost(new WorkerInfo(i, "w", WorkerInfo.State.LOST, "h", 1, 0,
                    "x".repeat(StatusRecorder.MAX_DETAIL_CHARS) + "TAIL" + i));
        }
        List<StatusSnapshot.Failure> f = recorder.failures();
        assertEquals(StatusRecorder.MAX_FAILURES, f.size());
        assertEquals(StatusRecorder.MAX_FAILURES + 4, f.get(0).id());
        assertTrue(f.get(0).detail().endsWith("TAIL" + (StatusRecorder.MAX_FAILURES + 4)));
        assertTrue(f.get(0).detail().length() <= StatusRecorder.MAX_DETAIL_CHARS + 3);
    }

    private static Set<String> names(JsonNode n) {
        Set<String> out = new java.util.TreeSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return Set.copyOf(out);
    }
}
