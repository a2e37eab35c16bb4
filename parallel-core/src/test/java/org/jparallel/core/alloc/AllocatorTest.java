package org.jparallel.core.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jparallel.Allocation;
import org.jparallel.AllocationDecision;
import org.jparallel.WorkerInfo;
import org.junit.jupiter.api.Test;

/**
 * The allocator over simulated time: a fake pool of workers that connect when told, tasks that
 * arrive in bursts; every tick checks the limits. No sleeps: the clock is a field.
 */
class AllocatorTest {
    private static final long S = 1_000_000_000L;

    private long now;
    private int nextId = 1;
    private final Map<Integer, WorkerInfo.State> states = new HashMap<>();
    private final Map<Integer, Integer> holding = new HashMap<>();
    private final Map<Integer, Long> completed = new HashMap<>();
    private final List<Integer> released = new ArrayList<>();
    private final Map<Integer, Instant> endOfLife = new HashMap<>();
    private final java.util.Set<Integer> draining = new java.util.HashSet<>();
    private int submissions;

    private final Allocator allocator = new Allocator(() -> now, () -> Instant.ofEpochSecond(0, now),
            new Allocator.Actions() {
                @Override
                public List<Integer> submit(Object group, int n) {
                    submissions++;
                    List<Integer> ids = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        int id = nextId++;
                        states.put(id, WorkerInfo.State.STARTING);
                        ids.add(id);
                    }
                    return ids;
                }

                @Override
                public boolean release(int workerId, String reason) {
                    if (states.get(workerId) != WorkerInfo.State.CONNECTED || holding.getOrDefault(workerId, 0) > 0) {
                        return false;
                    }
                    states.put(workerId, WorkerInfo.State.STOPPED);
                    released.add(workerId);
                    return true;
                }
            });

    private void tick(long waiting) {
        List<WorkerInfo> ws = new ArrayList<>();
        tick(waiting, 0);
    }

    private void tick(long waiting, long waitingForLongerLife) {
        List<WorkerInfo> ws = new ArrayList<>();
        states.forEach((id, st) -> ws.add(new WorkerInfo(id, "w", st, null, -1, completed.getOrDefault(id, 0L), "",
                endOfLife.get(id), draining.contains(id))));
        allocator.tick(ws, id -> holding.getOrDefault(id, 0), waiting, waitingForLongerLife);
    }

    private long count(WorkerInfo.State s) {
        return states.values().stream().filter(s::equals).count();
    }

    private void connectAll() {
        states.replaceAll((id, s) -> s == WorkerInfo.State.STARTING ? WorkerInfo.State.CONNECTED : s);
    }

    @Test
    void growsUnderABacklogThenReleasesEveryWorkerAfterTheIdleTimeout() {
        allocator.add("g", "g", Allocation.upTo(3).idleTimeout(Duration.ofSeconds(10)).minInterval(Duration.ofSeconds(2)));
        tick(100);
        assertEquals(3, count(WorkerInfo.State.STARTING));
        connectAll();
        states.keySet().forEach(id -> holding.put(id, 1));
        for (int t = 1; t <= 20; t++) { // the backlog is worked off
            now = t * S;
            tick(100 - 5L * t);
            assertEquals(3, states.size(), "never above max");
        }
        holding.clear();
        states.keySet().forEach(id -> completed.put(id, 30L));
        for (int t = 21; t <= 40; t++) {
            now = t * S;
            tick(0);
        }
        assertEquals(3, released.size(), "idle workers released: " + allocator.decisions());
        assertEquals(1, submissions);
        assertFalse(allocator.decisions().isEmpty());
        assertTrue(allocator.decisions().stream().allMatch(d -> d.group().equals("g")));
    }

    @Test
    void aBurstyQueueNeverHasMorePendingThanTheLimitNorThrashes() {
        allocator.add("g", "g", new Allocation(0, 8, 2, Duration.ofSeconds(6), Duration.ofSeconds(3)));
        long lastRelease = Long.MIN_VALUE;
        for (int t = 0; t < 300; t++) {
            now = t * S;
            boolean burst = t % 10 < 3; // 3 s of tasks every 10 s
            if (t % 4 == 0) {
                connectAll(); // the scheduler starts what is pending every 4 s
            }
            states.forEach((id, s) -> holding.put(id, burst && s == WorkerInfo.State.CONNECTED ? 1 : 0));
            int releasedBefore = released.size();
            int submissionsBefore = submissions;
            tick(burst ? 20 : 0);
            assertTrue(count(WorkerInfo.State.STARTING) <= 2, "at " + t + " s: " + states);
            assertTrue(states.values().stream().filter(s -> s == WorkerInfo.State.STARTING
                    || s == WorkerInfo.State.CONNECTED).count() <= 8);
            if (released.size() > releasedBefore) {
                lastRelease = now;
            }
            if (submissions > submissionsBefore && lastRelease != Long.MIN_VALUE) {
                assertTrue(now - lastRelease >= 3 * S, "a submission " + (now - lastRelease) / S
                        + " s after a release, within the 3 s interval");
            }
        }
        assertTrue(submissions > 1);
        List<AllocationDecision> kept = allocator.decisions();
        assertTrue(kept.size() <= Allocator.KEPT);
    }

    @Test
    void aBusyWorkerEndingSoonIsReplacedBeforeItGoes() {
        allocator.add("g", "g", Allocation.upTo(2).minInterval(Duration.ZERO));
        tick(1);
        connectAll();
        holding.put(1, 1);
        now = S;
        allocator.tick(List.of(new WorkerInfo(1, "w", WorkerInfo.State.CONNECTED, null, -1, 0, "")),
                id -> holding.getOrDefault(id, 0), id -> id == 1, 0);
        assertEquals(2, submissions, allocator.decisions().toString());
        assertEquals(WorkerInfo.State.STARTING, states.get(2));
    }

    @Test
    void stopsAGroupWhoseWorkersNeverStart() {
        allocator.add("g", "g", Allocation.upTo(4).minInterval(Duration.ZERO));
        tick(10);
        states.replaceAll((id, s) -> WorkerInfo.State.FAILED);
        now = S;
        tick(10);
        assertFalse(allocator.allocating());
        AllocationDecision last = allocator.decisions().get(allocator.decisions().size() - 1);
        assertEquals(AllocationDecision.Kind.STOP, last.kind());
        int before = submissions;
        now = 100 * S;
        tick(10);
        assertEquals(before, submissions);
    }

    @Test
    void aBusyWorkerWhoseEndIsWithinTheLeadIsReplacedBeforeItDrains() {
        allocator.add("g", "g", Allocation.upTo(2).minInterval(Duration.ZERO), Duration.ofSeconds(5));
        tick(1);
        connectAll();
        holding.put(1, 1);
        endOfLife.put(1, Instant.ofEpochSecond(30));
        now = 2 * S;
        tick(0);
        assertEquals(1, submissions, "28 s left, more than two margins and the 2 s start: not ending soon yet");
        now = 19 * S;
        tick(0);
        assertEquals(2, submissions, "11 s left: replaced while it still works, to connect a margin before its drain");
        assertEquals(WorkerInfo.State.STARTING, states.get(2));
    }

    @Test
    void theLeadGrowsWithHowLongTheGroupsWorkersTookToStart() {
        allocator.add("g", "g", Allocation.upTo(2).minInterval(Duration.ZERO), Duration.ofSeconds(5));
        tick(1);
        now = 20 * S; // a slow queue: the worker connects 20 s after its submission
        connectAll();
        holding.put(1, 1);
        endOfLife.put(1, Instant.ofEpochSecond(60));
        tick(0);
        assertEquals(1, submissions, "40 s left, more than two 5 s margins plus the 20 s start");
        now = 31 * S;
        tick(0);
        assertEquals(2, submissions, "29 s left: a replacement submitted now connects, like the last, before the drain");
    }

    @Test
    void aPendingWorkerThatTheRecentStartsPredictToEndSoonAfterItConnectsIsReplacedBeforeItConnects() {
        // a queue nearly as slow as the lifetime: 21 s to start workers that live 20 s with a 5 s margin
        allocator.add("g", "g", new Allocation(0, 1, 3, Duration.ofMinutes(5), Duration.ZERO), Duration.ofSeconds(5),
                Duration.ofSeconds(20));
        tick(5);
        assertEquals(1, submissions);
        now = 21 * S;
        connectAll();
        holding.put(1, 1);
        endOfLife.put(1, Instant.ofEpochSecond(41));
        tick(5);
        assertEquals(2, submissions, "20 s left, within two margins and the 21 s start: replaced at once");
        now = 30 * S;
        tick(5);
        assertEquals(2, submissions, "the replacement, due at 42 s, then has 32 s of life left: more than the 31 s lead");
        now = 32 * S;
        tick(5);
        assertEquals(3, submissions, "due at 42 s with 30 s left by then, within the lead: its own replacement is"
                + " submitted before it connects, or it would connect too late: " + allocator.decisions());
        String reason = allocator.decisions().get(allocator.decisions().size() - 1).reason();
        assertTrue(reason.contains("1 to end soon after they connect"), reason);
    }

    @Test
    void aDrainingWorkerIsReplacedWhateverItsEnd() {
        allocator.add("g", "g", Allocation.upTo(2).minInterval(Duration.ZERO), null);
        tick(1);
        connectAll();
        holding.put(1, 1);
        now = S;
        tick(0);
        assertEquals(1, submissions);
        draining.add(1);
        now = 2 * S;
        tick(0);
        assertEquals(2, submissions, "a draining worker holding a task is replaced: " + allocator.decisions());
    }

    @Test
    void tasksWaitingForALongerLifeMakeTheAllocatorSubmitDespiteIdleWorkers() {
        allocator.add("g", "g", Allocation.upTo(3).minInterval(Duration.ZERO), null);
        tick(1);
        connectAll();
        now = S;
        tick(1, 1);
        assertEquals(2, submissions, "the idle worker cannot take the task: a fresh one is submitted");
    }
}
