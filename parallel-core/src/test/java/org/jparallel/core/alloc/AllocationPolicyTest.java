package org.jparallel.core.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jparallel.Allocation;
import org.jparallel.AllocationDecision.Kind;
import org.junit.jupiter.api.Test;

/** The allocation rule on made-up snapshots: no clock, no sleeps. */
class AllocationPolicyTest {
    private static final long S = 1_000_000_000L;
    private static final Allocation UP_TO_4 = Allocation.upTo(4).idleTimeout(Duration.ofSeconds(30))
            .minInterval(Duration.ofSeconds(5));

    private static GroupSnapshot snap(long now, long waiting, List<GroupSnapshot.Worker> connected, int pending,
                                      long lastSubmit, long lastRelease) {
        return new GroupSnapshot(now, waiting, connected, pending, lastSubmit, lastRelease, 0, !connected.isEmpty());
    }

    private static List<GroupSnapshot.Worker> busy(int n) {
        List<GroupSnapshot.Worker> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new GroupSnapshot.Worker(i + 1, true, 0));
        }
        return out;
    }

    private static List<GroupSnapshot.Worker> idleSince(long since, int n) {
        List<GroupSnapshot.Worker> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new GroupSnapshot.Worker(i + 1, false, since));
        }
        return out;
    }

    private static int submitted(List<Decision> ds) {
        return ds.stream().filter(d -> d.kind() == Kind.SUBMIT).mapToInt(Decision::workers).sum();
    }

    private static long released(List<Decision> ds) {
        return ds.stream().filter(d -> d.kind() == Kind.RELEASE).count();
    }

    @Test
    void scalesUpFromZeroForTheWholeBacklogAtOnce() {
        List<Decision> ds = AllocationPolicy.decide(UP_TO_4, snap(0, 2000, List.of(), 0, GroupSnapshot.NEVER,
                GroupSnapshot.NEVER));
        assertEquals(1, ds.size());
        assertEquals(4, submitted(ds), "one submission for the backlog, up to max: " + ds);
        assertTrue(ds.get(0).reason().contains("2000 task(s) waiting"), ds.get(0).reason());
    }

    @Test
    void submitsOneWorkerPerWaitingTaskWhenTheBacklogIsSmall() {
        assertEquals(2, submitted(AllocationPolicy.decide(UP_TO_4, snap(0, 2, List.of(), 0, GroupSnapshot.NEVER,
                GroupSnapshot.NEVER))));
    }

    @Test
    void neverAboveMax() {
        for (int connected = 0; connected <= 4; connected++) {
            for (int pending = 0; connected + pending <= 4; pending++) {
                List<Decision> ds = AllocationPolicy.decide(UP_TO_4, snap(100 * S, 1_000_000, busy(connected),
                        pending, GroupSnapshot.NEVER, GroupSnapshot.NEVER));
                assertTrue(connected + pending + submitted(ds) <= 4, connected + "+" + pending + ": " + ds);
            }
        }
    }

    @Test
    void neverMorePendingThanMaxPending() {
        Allocation a = Allocation.upTo(10).maxPending(3).minInterval(Duration.ZERO);
        for (int pending = 0; pending <= 3; pending++) {
            List<Decision> ds = AllocationPolicy.decide(a, snap(0, 1000, busy(2), pending, GroupSnapshot.NEVER,
                    GroupSnapshot.NEVER));
            assertEquals(3 - pending, submitted(ds), "pending " + pending + ": " + ds);
        }
    }

    @Test
    void waitsTheMinimumIntervalBetweenSubmissions() {
        assertEquals(0, submitted(AllocationPolicy.decide(UP_TO_4, snap(10 * S, 50, busy(1), 0, 6 * S,
                GroupSnapshot.NEVER))), "4 s after the last submission");
        assertEquals(3, submitted(AllocationPolicy.decide(UP_TO_4, snap(11 * S, 50, busy(1), 0, 6 * S,
                GroupSnapshot.NEVER))), "5 s after it");
    }

    @Test
    void releasesAWorkerIdleForTheTimeoutWhenNothingWaits() {
        List<Decision> before = AllocationPolicy.decide(UP_TO_4, snap(29 * S, 0, idleSince(0, 2), 0,
                GroupSnapshot.NEVER, GroupSnapshot.NEVER));
        assertEquals(0, released(before), "29 s idle: " + before);
        List<Decision> after = AllocationPolicy.decide(UP_TO_4, snap(30 * S, 0, idleSince(0, 2), 0,
                GroupSnapshot.NEVER, GroupSnapshot.NEVER));
        assertEquals(2, released(after), "30 s idle: " + after);
        assertTrue(after.get(0).reason().startsWith("idle for 30 s (idle-timeout 30 s)"), after.get(0).reason());
    }

    @Test
    void neverReleasesBelowMin() {
        Allocation a = UP_TO_4.min(2);
        List<Decision> ds = AllocationPolicy.decide(a, snap(100 * S, 0, idleSince(0, 3), 0, GroupSnapshot.NEVER,
                GroupSnapshot.NEVER));
        assertEquals(1, released(ds), ds.toString());
        assertEquals(0, submitted(ds));
    }

    @Test
    void releasesTheLongestIdleFirst() {
        List<GroupSnapshot.Worker> ws = List.of(new GroupSnapshot.Worker(1, false, 20 * S),
                new GroupSnapshot.Worker(2, false, 5 * S), new GroupSnapshot.Worker(3, false, 10 * S));
        List<Decision> ds = AllocationPolicy.decide(UP_TO_4.min(1), snap(100 * S, 0, ws, 0, GroupSnapshot.NEVER,
                GroupSnapshot.NEVER));
        assertEquals(List.of(2, 3), ds.stream().map(Decision::workerId).toList());
    }

    @Test
    void keepsIdleWorkersWhileTasksWaitAndBusyWorkersAlways() {
        assertEquals(0, released(AllocationPolicy.decide(UP_TO_4, snap(100 * S, 1, idleSince(0, 4), 0,
                GroupSnapshot.NEVER, GroupSnapshot.NEVER))));
        assertEquals(0, released(AllocationPolicy.decide(UP_TO_4, snap(100 * S, 0, busy(4), 0,
                GroupSnapshot.NEVER, GroupSnapshot.NEVER))));
    }

    @Test
    void startsMinWorkersWithoutABacklog() {
        List<Decision> ds = AllocationPolicy.decide(UP_TO_4.min(2), snap(0, 0, List.of(), 0, GroupSnapshot.NEVER,
                GroupSnapshot.NEVER));
        assertEquals(2, submitted(ds));
        assertTrue(ds.get(0).reason().startsWith("below min 2"), ds.get(0).reason());
    }

    @Test
    void doesNotResubmitWithinTheIntervalAfterARelease() {
        // released at 40 s; a task arrives at 41 s: no submission until 45 s
        assertEquals(0, submitted(AllocationPolicy.decide(UP_TO_4, snap(41 * S, 1, List.of(), 0, 2 * S, 40 * S))));
        assertEquals(1, submitted(AllocationPolicy.decide(UP_TO_4, snap(45 * S, 1, List.of(), 0, 2 * S, 40 * S))));
    }

    @Test
    void aBusyWorkerEndingSoonIsReplacedBeforeItGoesAndAnIdleOneIsNot() {
        List<GroupSnapshot.Worker> ws = List.of(new GroupSnapshot.Worker(1, true, 0, true),
                new GroupSnapshot.Worker(2, true, 0, false), new GroupSnapshot.Worker(3, false, 0, true));
        List<Decision> ds = AllocationPolicy.decide(UP_TO_4, snap(10 * S, 0, ws, 0, GroupSnapshot.NEVER,
                GroupSnapshot.NEVER));
        assertEquals(1, submitted(ds), ds.toString());
        assertTrue(ds.get(0).reason().startsWith("2 worker(s) ending soon; 3 connected (2 busy, 2 ending soon), 0 pending"), ds.get(0).reason());
        assertEquals(0, submitted(AllocationPolicy.decide(UP_TO_4, snap(10 * S, 0, ws, 1, GroupSnapshot.NEVER,
                GroupSnapshot.NEVER))), "its replacement is pending already");
    }

    @Test
    void backsOffAfterFailedStartsAndStopsWhenNoneEverConnected() {
        GroupSnapshot failedTwice = new GroupSnapshot(15 * S, 10, busy(1), 0, 0, GroupSnapshot.NEVER, 2, true);
        assertEquals(0, submitted(AllocationPolicy.decide(UP_TO_4, failedTwice)), "5 s << 2 = 20 s between submissions");
        GroupSnapshot later = new GroupSnapshot(20 * S, 10, busy(1), 0, 0, GroupSnapshot.NEVER, 2, true);
        assertEquals(3, submitted(AllocationPolicy.decide(UP_TO_4, later)));
        GroupSnapshot neverStarted = new GroupSnapshot(100 * S, 10, List.of(), 0, 0, GroupSnapshot.NEVER,
                AllocationPolicy.FAILED_STARTS_TO_STOP, false);
        List<Decision> ds = AllocationPolicy.decide(UP_TO_4, neverStarted);
        assertEquals(Kind.STOP, ds.get(0).kind());
        assertEquals(1, ds.size());
    }
    private static GroupSnapshot longWait(long now, long waiting, long waitingLong, List<GroupSnapshot.Worker> connected,
                                          int pending, long lastRelease) {
        return new GroupSnapshot(now, waiting, waitingLong, connected, pending, GroupSnapshot.NEVER, lastRelease, 0,
                true);
    }

    @Test
    void tasksWaitingForALongerLifeAreServedByFreshWorkersNotByIdleOnesThatCannotFitThem() {
        // 2 connected idle workers (too close to their end for the 2 waiting tasks), 2 tasks wait for a longer life
        List<Decision> ds = AllocationPolicy.decide(UP_TO_4, longWait(10 * S, 2, 2, idleSince(9 * S, 2), 0,
                GroupSnapshot.NEVER));
        assertEquals(2, submitted(ds), "fresh workers live their whole walltime: " + ds);
        assertTrue(ds.stream().anyMatch(d -> d.reason().contains("2 waiting for a longer-lived worker")), ds.toString());
        // one fresh worker already pending covers one of them
        assertEquals(1, submitted(AllocationPolicy.decide(UP_TO_4, longWait(10 * S, 2, 2, idleSince(9 * S, 2), 1,
                GroupSnapshot.NEVER))));
    }

    @Test
    void atMaxIdleWorkersThatCannotFitTheOnlyWaitingTasksAreReleasedWithoutTheIdleTimeout() {
        List<Decision> ds = AllocationPolicy.decide(UP_TO_4, longWait(10 * S, 1, 1, idleSince(9 * S, 4), 0,
                GroupSnapshot.NEVER));
        assertEquals(0, submitted(ds), "no room under max yet: " + ds);
        assertEquals(1, released(ds), "one idle worker makes room for the task that waits for a longer life: " + ds);
        // a short task waiting too: idle workers serve it, none is released
        assertEquals(0, released(AllocationPolicy.decide(UP_TO_4, longWait(10 * S, 2, 1, idleSince(9 * S, 4), 0,
                GroupSnapshot.NEVER))));
    }

    @Test
    void aWorkerEndingSoonIsNeitherReleasedNorCountedAboveMin() {
        List<GroupSnapshot.Worker> ws = List.of(new GroupSnapshot.Worker(1, false, 0, true),
                new GroupSnapshot.Worker(2, false, 0));
        List<Decision> ds = AllocationPolicy.decide(UP_TO_4.min(1), snap(100 * S, 0, ws, 0, GroupSnapshot.NEVER,
                GroupSnapshot.NEVER));
        assertEquals(0, released(ds), "worker 2 is the one kept for min 1; worker 1 drains by itself: " + ds);
    }
}
