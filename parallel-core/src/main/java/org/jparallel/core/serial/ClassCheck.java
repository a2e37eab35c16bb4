package org.jparallel.core.serial;

import java.io.ObjectInputFilter;

/**
 * One class put to a filter on its own: a class read without a class descriptor (a value written
 * directly, a lambda's capturing class), or a class whose verdict is cached.
 *
 * @param serialClass the class
 * @param arrayLength the array's length, or -1 when it is not an array
 */
record ClassCheck(Class<?> serialClass, long arrayLength) implements ObjectInputFilter.FilterInfo {
    /** A class that is not an array. */
    ClassCheck(Class<?> serialClass) {
        this(serialClass, -1);
    }

    @Override
    public long depth() {
        return 1;
    }

    @Override
    public long references() {
        return 1;
    }

    @Override
    public long streamBytes() {
        return 0;
    }
}
