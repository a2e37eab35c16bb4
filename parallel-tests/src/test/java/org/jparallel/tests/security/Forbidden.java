package org.jparallel.tests.security;

import java.io.Serializable;

/** A serializable class that the serial filter of {@link SerialFilterTest} refuses. */
public final class Forbidden implements Serializable {
    private static final long serialVersionUID = 1L;
    final int value;

    Forbidden(int value) {
        this.value = value;
    }
}
