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
        return lambdaShape(e.hash(), e.bytes(), e.bytes().length, filter);
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
            shape = LambdaShape.decode(Arrays.copyOfRange(bytes, from, from + n), name -> allowed(resolve(name), filter));
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
