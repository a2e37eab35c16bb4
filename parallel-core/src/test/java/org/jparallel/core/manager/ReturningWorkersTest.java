package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.List;
import org.jparallel.core.journal.WorkerIdRecord;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jparallel.spi.WorkerGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReturningWorkersTest {
    private final EventLoop loop = new DefaultEventLoop();
    private final AvailableWorkers available = new AvailableWorkers();
    private final List<String> started = new CopyOnWriteArrayList<>();
    private final List<String> cameBack = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> firstStart = new CompletableFuture<>();
    private String backend = "local";
    private final WorkerGroup group = new WorkerGroup() {
        @Override
        public int size() {
            return 2;
        }

        @Override
        public String backendName() {
            return backend;
        }

        @Override
        public List<WorkerHandle> start(LaunchSpec spec) {
            throw new AssertionError("not started here");
        }
    };

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private ReturningWorkers returning(boolean mayReturn, Duration grace) {
        return new ReturningWorkers(mayReturn, grace, loop, (g, n) -> {
            started.add(n + " of " + g.backendName());
            firstStart.complete(null);
        }, available, g -> cameBack.add(g.backendName()));
    }

    /** Runs on the loop and waits for it: the loop's earlier work is done. */
    private void onLoop(Runnable r) throws Exception {
        loop.submit(r).get(10, TimeUnit.SECONDS);
    }

    @Test
    void withoutAPreviousRunsWorkersNothingIsHeld() {
        assertFalse(returning(false, Duration.ofHours(1)).hold(group, 2));
    }

    @Test
    void aGroupWhoseWorkersCannotReturnIsNotHeld() {
        ReturningWorkers r = returning(true, Duration.ofHours(1));
        WorkerGroup ssh = new WorkerGroup() {
            @Override
            public int size() {
                return 3;
            }

            @Override
            public String backendName() {
                return "ssh";
            }

            @Override
            public boolean workersOutliveTheManager() {
                return false;
            }

            @Override
            public List<WorkerHandle> start(LaunchSpec spec) {
                throw new AssertionError("not started here");
            }
        };
        assertFalse(r.hold(ssh, 3), "its workers ended with the dead manager: none can come back");
        assertTrue(r.hold(group, 2), "a group whose workers can return is held still");
    }

    @Test
    void aGroupWhoseWorkersAllCameBackStartsNone() throws Exception {
        ReturningWorkers r = returning(true, Duration.ofHours(1));
        onLoop(() -> r.joinedByHand(1)); // returned before the group was added
        assertTrue(r.hold(group, 2));
        onLoop(() -> { });
        assertEquals(List.of(), started);
        assertEquals(null, available.noneLeftReason(), "readers wait for the held group");
        onLoop(() -> r.joinedByHand(2));
        assertEquals(List.of(), started, "both came back: nothing to start");
        assertEquals(List.of("local"), cameBack, "the group is told its workers came back");
        assertFalse(r.hold(group, 1), "settled: the grace period is over, later groups start at once");
        assertSame(group, r.standingInFor(1), "the returned workers are the group's for replacement");
        assertSame(group, r.standingInFor(2));
        assertNull(r.standingInFor(3), "a worker that did not stand in for the group");
    }

    @Test
    void aReturnedWorkerLostInTheGracePeriodNoLongerStandsIn() throws Exception {
        ReturningWorkers r = returning(true, Duration.ofMillis(300));
        assertTrue(r.hold(group, 2));
        onLoop(() -> r.joinedByHand(1));
        onLoop(() -> r.left(1)); // e.g. a task that calls System.exit ended it
        onLoop(() -> r.joinedByHand(2));
        assertEquals(List.of(), started, "one returned worker is there, the group asked for two: still held");
        firstStart.get(10, TimeUnit.SECONDS); // the grace period's end
        assertEquals(List.of("1 of local"), started, "the lost one is started anew");
        assertNull(r.standingInFor(1));
        assertSame(group, r.standingInFor(2));
    }

    @Test
    void aReturnedWorkerThatBeginsDrainingInTheGracePeriodNoLongerStandsIn() throws Exception {
        ReturningWorkers r = returning(true, Duration.ofMillis(300));
        org.jparallel.ManagerSettings settings = org.jparallel.Manager.builder().settings();
        WorkerEvents events = new WorkerEvents(new WorkerStarts(settings, new RunCredentials(settings), WorkerIdRecord.beside(null), () -> 0,
                available), new WorkerReplacements(org.jparallel.ManagerBuilder.UNLIMITED, 3), available, List.of(),
                () -> false);
        events.wire(null, null, r); // a returned worker draining in the grace period reaches neither
        assertTrue(r.hold(group, 2));
        onLoop(() -> r.joinedByHand(1));
        onLoop(() -> events.workerDraining(1, true)); // its walltime is near: it will go
        onLoop(() -> r.joinedByHand(2));
        assertEquals(List.of(), started, "one returned worker stays, the group asked for two: still held");
        firstStart.get(10, TimeUnit.SECONDS); // the grace period's end
        assertEquals(List.of("1 of local"), started, "the draining one is started anew");
        assertNull(r.standingInFor(1));
        assertSame(group, r.standingInFor(2));
    }

    @Test
    void aWorkerThatReturnsAfterTheGracePeriodStandsInForNoGroup() throws Exception {
        ReturningWorkers r = returning(true, Duration.ofMillis(100));
        assertTrue(r.hold(group, 2));
        firstStart.get(10, TimeUnit.SECONDS);
        onLoop(() -> r.joinedByHand(5));
        assertNull(r.standingInFor(5), "the group started its own two");
    }

    @Test
    void whenTheGracePeriodEndsOnlyTheShortfallIsStarted() throws Exception {
        backend = "sge";
        ReturningWorkers r = returning(true, Duration.ofMillis(200));
        assertTrue(r.hold(group, 3));
        onLoop(() -> r.joinedByHand(1));
        firstStart.get(10, TimeUnit.SECONDS); // the grace period's end
        assertEquals(List.of("2 of sge"), started);
    }
}
