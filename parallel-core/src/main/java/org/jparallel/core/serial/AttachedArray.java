package org.jparallel.core.serial;

import java.io.Serializable;

/**
 * Stands in a task's serialization stream for a big {@code byte[]} the task refers to; the array
 * itself travels in the payload's attached-arrays part (see {@link PayloadFormat#WITH_ARRAYS}).
 * Java serialization would copy such an array twice on the way in (through its 1 KB block buffer)
 * and twice on the way out; attached, it is copied once into the payload and read by the worker's
 * decoder straight into the array the task gets. Written by {@link ThinObjectOutputStream} in place
 * of the array, read back by {@link ThinObjectInputStream} as the attached array.
 */
final class AttachedArray implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Arrays from this length on are attached rather than serialized. */
    static final int FROM_BYTES = 16 * 1024;

    final int index;

    AttachedArray(int index) {
        this.index = index;
    }
}
