package org.jparallel.core.serial;

import java.util.Arrays;

/** The distinct lambda shape numbers one payload refers to; usually one. Reused by its writer. */
final class ShapeRefs {
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

    int[] toArray() {
        return n == 0 ? SendablePayload.NO_SHAPES : Arrays.copyOf(ids, n);
    }

    void clear() {
        n = 0;
    }
}
