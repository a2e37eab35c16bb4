package org.jparallel.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The host slot table of an SSH group, without SSH: taking, giving back, waiting for a slot. */
class SshSlotsTest {

    private static List<SshHost> hostsOf(List<SshSlots.Lease> leases) {
        return leases.stream().map(SshSlots.Lease::host).toList();
    }

    private static List<SshSlots.Lease> takeAll(SshSlots slots, int n) {
        List<SshSlots.Lease> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SshSlots.Lease l = slots.tryTake();
            assertNotNull(l, "slot " + (i + 1) + " of " + n);
            out.add(l);
        }
        return out;
    }

    @Test
    void freeHostsFillRoundRobinLikeThePlacementOfAFixedGroup() {
        List<SshHost> hosts = SshHostList.parse("node1:4,node2:8,node3");
        SshSlots slots = new SshSlots(hosts);
        assertEquals(13, slots.capacity());
        assertEquals(SshHostList.place(hosts, 13), hostsOf(takeAll(slots, 13)));
        assertEquals(13, slots.inUse());
    }

    @Test
    void noSlotIsTakenBeyondTheHostsSlots() {
        SshSlots slots = new SshSlots(SshHostList.parse("a:2,b:1"));
        takeAll(slots, 3);
        assertNull(slots.tryTake());
        assertEquals(3, slots.inUse());
        assertEquals(2, slots.inUse("a"));
        assertEquals(1, slots.inUse("b"));
    }

    @Test
    void aReleasedSlotIsTakenAgainOnItsHost() {
        SshSlots slots = new SshSlots(SshHostList.parse("a:2,b:1"));
        List<SshSlots.Lease> all = takeAll(slots, 3);
        SshSlots.Lease onB = all.stream().filter(l -> l.host().host().equals("b")).findFirst().orElseThrow();
        onB.release();
        assertEquals(0, slots.inUse("b"));
        SshSlots.Lease again = slots.tryTake();
        assertEquals("b", again.host().host());
        assertNull(slots.tryTake());
    }

    @Test
    void aGrowingGroupGoesToTheHostWithTheFewestSlotsInUse() {
        SshSlots slots = new SshSlots(SshHostList.parse("a:3,b:3"));
        List<SshSlots.Lease> first = takeAll(slots, 4); // a, b, a, b
        first.get(0).release();
        first.get(2).release(); // a has none in use now, b two
        // a until it has as many as b (a tie goes to the first host), then a is full and b takes the last
        assertEquals(List.of("a", "a", "a", "b"), takeAll(slots, 4).stream().map(l -> l.host().host()).toList());
    }

    @Test
    void releasingTwiceGivesTheSlotBackOnce() {
        SshSlots slots = new SshSlots(SshHostList.parse("a:2"));
        SshSlots.Lease one = slots.tryTake();
        slots.tryTake();
        one.release();
        one.release();
        assertEquals(1, slots.inUse());
        assertNotNull(slots.tryTake());
        assertNull(slots.tryTake(), "the second release must not have freed a slot in use");
    }

    @Test
    void takeWithoutWaitingOnFullHostsAnswersNull() throws Exception {
        SshSlots slots = new SshSlots(SshHostList.parse("a:1"));
        slots.tryTake();
        assertNull(slots.take(Duration.ZERO));
    }

    @Test
    void aWaitingTakeGetsTheSlotOfAWorkerThatEnds() throws Exception {
        SshSlots slots = new SshSlots(SshHostList.parse("a:1"));
        SshSlots.Lease held = slots.tryTake();
        CompletableFuture<SshSlots.Lease> waiting = new CompletableFuture<>();
        Thread taker = new Thread(() -> {
            try {
                waiting.complete(slots.take(Duration.ofMinutes(1)));
            } catch (Throwable e) {
                waiting.completeExceptionally(e);
            }
        });
        taker.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (taker.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // until the taker waits on the full table
        }
        assertEquals(Thread.State.TIMED_WAITING, taker.getState(), "the taker waits for a slot");
        assertFalse(waiting.isDone(), "no slot while the first worker holds it");
        held.release();
        SshSlots.Lease got = waiting.get(30, TimeUnit.SECONDS);
        assertEquals("a", got.host().host());
        assertEquals(1, slots.inUse());
        assertNull(slots.tryTake());
    }

    @Test
    void theNoFreeSlotMessageNamesTheHostsTheirSlotsAndWhatToDo() {
        SshSlots slots = new SshSlots(SshHostList.parse("a:2,b:1"));
        assertEquals("no free slot on the SSH hosts [a:2, b:1]: all 3 are in use by running workers (waited 30 s"
                + " for one to end); add hosts or slots to jparallel.ssh.hosts, or start fewer workers (automatic"
                + " allocation's max at most 3)", slots.noFreeSlot(Duration.ofSeconds(30)));
    }
}
