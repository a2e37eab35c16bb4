package org.jparallel.core.serial;

import java.io.InvalidClassException;
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

    /**
     * Puts one class to a filter, as a stream would for a class it read with a descriptor.
     *
     * @param filter the filter, or {@code null} for none
     * @param type the class
     * @param arrayLength the array's length, or -1 when it is not an array
     * @throws InvalidClassException when the filter rejects it
     */
    static void require(ObjectInputFilter filter, Class<?> type, long arrayLength) throws InvalidClassException {
        if (filter != null && filter.checkInput(new ClassCheck(type, arrayLength)) == ObjectInputFilter.Status.REJECTED) {
            throw new InvalidClassException(type.getName(), "filter status: REJECTED");
        }
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
