package org.jparallel.core.serial;

import java.io.StreamCorruptedException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lambda shapes a worker's manager has defined on this connection (a SHAPE message each), which
 * its task payloads refer to by number instead of carrying them: the constant part of a lambda is
 * about three quarters of a small task's payload, the same for every task made at one place in the
 * code. The manager sends a shape to a worker before the first task that needs it, and again to any
 * other worker a task moves to. Used on the task thread only.
 */
public final class ShapeBook {
    private static final int MAX_SHAPES = 100_000;
    private final Map<Integer, LambdaShape.Encoded> shapes = new ConcurrentHashMap<>(); // read by the slot threads of a worker

    /**
     * @param id the shape's number on this connection
     * @param description its encoded constant part
     * @throws StreamCorruptedException when the description is too long or there are too many shapes
     */
    public void define(int id, byte[] description) throws StreamCorruptedException {
        if (description.length > CompactLambda.MAX_SHAPE_BYTES) {
            throw new StreamCorruptedException("a lambda shape of " + description.length + " bytes");
        }
        if (shapes.size() >= MAX_SHAPES && !shapes.containsKey(id)) {
            throw new StreamCorruptedException("more than " + MAX_SHAPES + " lambda shapes");
        }
        shapes.put(id, new LambdaShape.Encoded(description, Arrays.hashCode(description), id));
    }

    /** @return the shape numbered {@code id} */
    LambdaShape.Encoded get(int id) throws StreamCorruptedException {
        LambdaShape.Encoded e = shapes.get(id);
        if (e == null) {
            throw new StreamCorruptedException("a task refers to lambda shape " + id + ", which the manager did not send");
        }
        return e;
    }

    /** @return the description of the shape this JVM numbered {@code id}, for a SHAPE message; {@code null} if none */
    public static byte[] describe(int id) {
        LambdaShape.Encoded e = LambdaShape.byId(id);
        return e == null ? null : e.bytes();
    }
}
