package org.jparallel.core.serial;

import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.StreamCorruptedException;
import java.lang.invoke.SerializedLambda;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What one payload reader resolves once and keeps: classes by name, through one class loader, and
 * lambda shapes by hash (or by number, from a {@link ShapeBook}), each checked against the filter of
 * the read that first needs it. Shared by the serialization stream ({@link ThinObjectInputStream})
 * and the stream-less lambda format ({@link DirectLambda}), which needs no stream at all: making an
 * {@code ObjectInputStream} initialises the JDK's serial filter configuration, and that sets up
 * {@code System.Logger} (a search of every jar of the classpath) on a fresh worker's start.
 */
final class ReaderClasses {
    private final ClassLoader loader;
    private final Map<String, Class<?>> resolved = new HashMap<>();
    private final Map<Integer, LambdaShape> lambdaShapes = new HashMap<>();
    /** The shape-book entry read last and its shape: the next task of a run most often has the same. */
    private LambdaShape.Encoded lastEntry;
    private LambdaShape lastEntryShape;
    /** A steady filter (see {@link #allowedBy}) and the classes it allowed. */
    private ObjectInputFilter steadyFilter;
    private final Class<?>[] steadyAllowed = new Class<?>[8];
    private int steadyCount;

    ReaderClasses(ClassLoader loader) {
        this.loader = loader;
    }

    ClassLoader loader() {
        return loader;
    }

    /** Returns the shape a payload refers to by number in {@code book}, decoded once like one it carries. */
    LambdaShape lambdaShape(long id, ShapeBook book, ObjectInputFilter filter) throws IOException, ClassNotFoundException {
        if (book == null || id > Integer.MAX_VALUE) {
            throw new StreamCorruptedException("a lambda shape referred to by number " + id + " where none was sent");
        }
        LambdaShape.Encoded e = book.get((int) id);
        if (e == lastEntry) { // the same entry, so the same bytes (an entry and its array are never changed)
            allowed(SerializedLambda.class, filter);
            allowed(lastEntryShape.capturingClass(), filter);
            return lastEntryShape;
        }
        LambdaShape shape = lambdaShape(e.hash(), e.bytes(), e.bytes().length, filter);
        lastEntry = e;
        lastEntryShape = shape;
        return shape;
    }

    /**
     * As {@link #lambdaShape(long, ShapeBook, ObjectInputFilter)} with a steady filter (see {@link
     * #allowedBy}), whose verdicts on the shape's classes are remembered: a fresh worker's interpreter
     * paid for two filter checks a task.
     */
    LambdaShape lambdaShapeSteadily(long id, ShapeBook book, ObjectInputFilter filter)
            throws IOException, ClassNotFoundException {
        if (book != null && id <= Integer.MAX_VALUE && book.get((int) id) == lastEntry && lastEntry != null) {
            allowedBy(SerializedLambda.class, filter);
            allowedBy(lastEntryShape.capturingClass(), filter);
            return lastEntryShape;
        }
        return lambdaShape(id, book, filter);
    }

    /**
     * Returns the shape described by the first {@code n} bytes of {@code bytes}, decoded once per reader:
     * found by the writer's hash of the bytes, and used only if the bytes are the same.
     */
    LambdaShape lambdaShape(int hash, byte[] bytes, int n, ObjectInputFilter filter)
            throws IOException, ClassNotFoundException {
        return lambdaShape(hash, bytes, 0, n, filter);
    }

    /** As {@link #lambdaShape(int, byte[], int, ObjectInputFilter)}, for {@code n} bytes from {@code from}. */
    LambdaShape lambdaShape(int hash, byte[] bytes, int from, int n, ObjectInputFilter filter)
            throws IOException, ClassNotFoundException {
        LambdaShape shape = lambdaShapes.get(hash);
        if (shape == null || !shape.encodedAs(bytes, from, n)) {
            allowed(SerializedLambda.class, filter);
            // a class, not a lambda: the first task's read, on a fresh worker's path to its first result
            shape = LambdaShape.decode(Arrays.copyOfRange(bytes, from, from + n), new LambdaShape.ClassResolver() {
                @Override
                public Class<?> resolve(String name) throws IOException, ClassNotFoundException {
                    return allowed(ReaderClasses.this.resolve(name), filter);
                }
            });
            lambdaShapes.put(hash, shape);
        } else {
            // decoded under an earlier read's filter: this read's filter judges it too (a thread may read
            // for two managers with different filters)
            allowed(SerializedLambda.class, filter);
            allowed(shape.capturingClass(), filter);
        }
        return shape;
    }

    /** Checks a class read by other means than a class descriptor against the filter. */
    static Class<?> allowed(Class<?> type, ObjectInputFilter filter) throws InvalidClassException {
        ClassCheck.require(filter, type, -1);
        return type;
    }

    /**
     * Checks a class against a steady filter: one that judges a class the same way every time (a
     * {@link SerialFilter}'s shared check, a pattern filter; not a stream's, whose check changes from
     * one payload to the next). The classes it allowed are remembered, for the last such filter only.
     */
    void allowedBy(Class<?> type, ObjectInputFilter filter) throws InvalidClassException {
        if (filter != steadyFilter) {
            Arrays.fill(steadyAllowed, null);
            steadyCount = 0;
            steadyFilter = filter;
        }
        for (int i = 0; i < steadyCount; i++) {
            if (steadyAllowed[i] == type) {
                return;
            }
        }
        allowed(type, filter); // a refusal is not remembered: it throws, and is judged again next time
        if (steadyCount < steadyAllowed.length) {
            steadyAllowed[steadyCount++] = type;
        }
    }

    /** @return the class of that name, through the reader's loader (else jparallel's own), remembered */
    Class<?> resolve(String name) throws ClassNotFoundException {
        Class<?> type = resolved.get(name);
        if (type == null) {
            type = load(name);
            resolved.put(name, type);
        }
        return type;
    }

    private Class<?> load(String name) throws ClassNotFoundException {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            try {
                return Class.forName(name, false, ReaderClasses.class.getClassLoader());
            } catch (ClassNotFoundException e2) {
                throw new ClassNotFoundException(name + " is not on the classpath of this JVM", e);
            }
        }
    }
}
