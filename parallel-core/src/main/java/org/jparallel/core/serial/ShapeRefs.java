package org.jparallel.core.serial;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The distinct lambda shape numbers one payload refers to; usually one. Reused by its writer. The
 * arrays it hands out are never written to.
 */
final class ShapeRefs {
    private static final AtomicReferenceArray<int[]> SINGLES = new AtomicReferenceArray<>(4096);
    private int[] ids = new int[2];
    private int n;

    void add(int id) {
        for (int i = 0; i < n; i++) {
            if (ids[i] == id) {
                return;
            }
        }
        if (n == ids.length) {
            ids = Arrays.copyOf(ids, n * 2);
        }
        ids[n++] = id;
    }

    /**
     * @return the numbers; a single number as an array shared by every payload with that one shape
     *     (a queued task then keeps no array of its own: a million queued tasks are 24 MB less for the
     *     garbage collector to copy)
     */
    int[] toArray() {
        if (n == 1 && ids[0] < SINGLES.length()) {
            int[] one = SINGLES.get(ids[0]);
            if (one == null) {
                one = new int[] {ids[0]};
                SINGLES.set(ids[0], one); // a race makes two equal arrays, which is harmless
            }
            return one;
        }
        return n == 0 ? SendablePayload.NO_SHAPES : Arrays.copyOf(ids, n);
    }

    void clear() {
        n = 0;
    }
}
