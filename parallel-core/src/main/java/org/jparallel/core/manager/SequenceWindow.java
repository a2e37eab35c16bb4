package org.jparallel.core.manager;

import java.util.Arrays;

/**
 * The tasks of a context between the oldest one not yet delivered (the low-water mark) and the
 * newest one that arrived, by sequence number: arrived, delivered ahead of older ones, or neither.
 * A ring indexed by the sequence number, so a lookup is an array access, with no boxing or hashing
 * per result; it grows with the spread between the oldest undelivered task and the newest arrival.
 *
 * @param <T> what is kept for an arrived task
 */
final class SequenceWindow<T> {
    private static final Object DELIVERED = new Object();
    private Object[] ring = new Object[64];
    private long base;

    /** @return the lowest sequence number not yet delivered */
    long lowWater() {
        return base;
    }

    /** @return what arrived for {@code seq} and is not yet delivered, or {@code null} */
    @SuppressWarnings("unchecked")
    T get(long seq) {
        if (seq < base || seq - base >= ring.length) {
            return null;
        }
        Object o = ring[index(seq)];
        return o == DELIVERED ? null : (T) o;
    }

    /** Records what arrived for {@code seq} (at or above the low-water mark). */
    void put(long seq, T value) {
        if (seq < base) {
            return;
        }
        ensureRoom(seq);
        ring[index(seq)] = value;
    }

    /** Marks {@code seq} delivered, and moves the low-water mark past every delivered number. */
    void delivered(long seq) {
        if (seq < base) {
            return;
        }
        ensureRoom(seq);
        ring[index(seq)] = DELIVERED;
        while (ring[index(base)] == DELIVERED) {
            ring[index(base)] = null;
            base++;
        }
    }

    private int index(long seq) {
        return (int) (seq & (ring.length - 1));
    }

    private void ensureRoom(long seq) {
        long span = seq - base + 1;
        if (span <= ring.length) {
            return;
        }
        int size = ring.length;
        while (size < span) {
            if (size >= 1 << 30) {
                throw new IllegalStateException("more than 2^30 results between the oldest and newest undelivered");
            }
            size <<= 1;
        }
        Object[] bigger = new Object[size];
        for (long s = base; s < base + ring.length; s++) {
            bigger[(int) (s & (size - 1))] = ring[index(s)];
        }
        ring = bigger;
    }

    @Override
    public String toString() {
        return "SequenceWindow[base=" + base + ", size=" + ring.length + ", " + Arrays.stream(ring)
                .filter(o -> o != null).count() + " held]";
    }
}
