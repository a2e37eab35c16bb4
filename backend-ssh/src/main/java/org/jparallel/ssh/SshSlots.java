package org.jparallel.ssh;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The host slots of one {@link SshWorker} group and which of them are in use. Each worker takes a free
 * slot before it starts and gives it back when it ends (it exited, was stopped, released by automatic
 * allocation, or its session dropped), so a group that grows after it started, or replaces lost
 * workers, never runs more workers on a host than its slots. A slot goes to the host with the fewest
 * slots in use, the first in the list on a tie: on free hosts that is {@link SshHostList#place}'s
 * round-robin, so every host gets work early. Thread-safe.
 */
final class SshSlots {
    private final List<SshHost> hosts;
    private final int[] used;
    private final int capacity;
    private int inUse;

    /** @param hosts the group's host list, every slot free */
    SshSlots(List<SshHost> hosts) {
        this.hosts = List.copyOf(hosts);
        this.used = new int[hosts.size()];
        this.capacity = SshHostList.totalSlots(hosts);
    }

    /** One slot taken by one worker; {@link #release()} gives it back. */
    final class Lease {
        private final int hostIndex;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(int hostIndex) {
            this.hostIndex = hostIndex;
        }

        /** @return the host of this slot */
        SshHost host() {
            return hosts.get(hostIndex);
        }

        /** Gives the slot back, waking a start waiting for one. Idempotent: a second call does nothing. */
        void release() {
            if (released.compareAndSet(false, true)) {
                giveBack(hostIndex);
            }
        }
    }

    /** @return how many workers the hosts take at once: the sum of their slots */
    int capacity() {
        return capacity;
    }

    /** @return how many slots are in use */
    synchronized int inUse() {
        return inUse;
    }

    /** @return how many slots of the host named {@code host} are in use (all its entries in the list) */
    synchronized int inUse(String host) {
        int n = 0;
        for (int i = 0; i < hosts.size(); i++) {
            n += hosts.get(i).host().equals(host) ? used[i] : 0;
        }
        return n;
    }

    /** @return a free slot, or {@code null} when every slot is in use */
    synchronized Lease tryTake() {
        int best = -1;
        for (int i = 0; i < hosts.size(); i++) {
            if (used[i] < hosts.get(i).slots() && (best < 0 || used[i] < used[best])) {
                best = i;
            }
        }
        if (best < 0) {
            return null;
        }
        used[best]++;
        inUse++;
        return new Lease(best);
    }

    /**
     * Takes a free slot, waiting up to {@code wait} for one to be given back when none is (a worker
     * released or stopped a moment ago may still be ending).
     *
     * @return the slot, or {@code null} when none was free within {@code wait}
     * @throws InterruptedException when interrupted while waiting
     */
    synchronized Lease take(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Lease lease = tryTake();
        while (lease == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
            lease = tryTake();
        }
        return lease;
    }

    private synchronized void giveBack(int hostIndex) {
        used[hostIndex]--;
        inUse--;
        notifyAll();
    }

    /**
     * @param waited how long the start waited for a slot
     * @return why a worker could not start for want of a slot, and what to do
     */
    synchronized String noFreeSlot(Duration waited) {
        return "no free slot on the SSH hosts " + hosts + ": all " + capacity + " are in use by running workers"
                + " (waited " + waited.toSeconds() + " s for one to end); add hosts or slots to"
                + " jparallel.ssh.hosts, or start fewer workers (automatic allocation's max at most " + capacity + ")";
    }
}
