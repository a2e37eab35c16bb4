package org.jparallel.core.protocol;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A serializable class whose {@code readObject} runs code: it counts its detonations. A payload
 * holding one proves, by a count of zero, that it was never deserialized.
 */
public final class Bomb implements Serializable {
    private static final long serialVersionUID = 1L;
    /** How many times any Bomb was deserialized. */
    public static final AtomicInteger DETONATIONS = new AtomicInteger();

    /** Some state, so the stream has a field to read. */
    final String note;

    /** @param note anything */
    public Bomb(String note) {
        this.note = note;
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        DETONATIONS.incrementAndGet();
        in.defaultReadObject();
    }
}
