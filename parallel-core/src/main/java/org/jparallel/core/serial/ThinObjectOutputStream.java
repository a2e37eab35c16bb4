package org.jparallel.core.serial;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.lang.invoke.SerializedLambda;
import java.util.List;

/**
 * Java serialization with thin class descriptors: a class is written as its name, serial version
 * UID and {@link ClassLayout} fingerprint instead of its whole field list, which the reader takes
 * from its own copy of the class ({@link ThinObjectInputStream}). Manager and workers run the same
 * classes, so the field list is redundant, and reading it was most of the cost of a small task.
 * Lambdas are written in the compact form of {@link CompactLambda}.
 */
final class ThinObjectOutputStream extends ObjectOutputStream {
    /** The arrays attached so far in this object, or {@code null} when arrays are not attached. */
    private List<byte[]> attached;
    /** The lambda shapes referred to by number so far, or {@code null} when shapes are written out. */
    private ShapeRefs shapes;

    ThinObjectOutputStream(OutputStream out) throws IOException {
        super(out);
        enableReplaceObject(true);
    }

    /**
     * @param arrays where big {@code byte[]}s of the next object go instead of into the stream (see
     *     {@link AttachedArray}), or {@code null} to serialize them as usual
     */
    void attachArraysTo(List<byte[]> arrays) {
        attached = arrays;
    }

    /**
     * @param refs where the numbers of lambda shapes referred to go (the shapes themselves are then not
     *     written, see {@link ShapeBook}), or {@code null} to write shapes out
     */
    void referToShapesIn(ShapeRefs refs) {
        shapes = refs;
    }

    boolean refersToShapes() {
        return shapes != null;
    }

    void referredTo(int shapeId) {
        shapes.add(shapeId);
    }

    /**
     * Writes a lambda as a {@link CompactLambda} instead of Java's {@link SerializedLambda}, and, when
     * attaching, a big {@code byte[]} as an {@link AttachedArray}. The stream replaces an object once:
     * later references to the same array refer back to the same stand-in.
     */
    @Override
    protected Object replaceObject(Object obj) {
        if (attached != null && obj instanceof byte[] b && b.length >= AttachedArray.FROM_BYTES) {
            attached.add(b);
            return new AttachedArray(attached.size() - 1);
        }
        if (obj instanceof SerializedLambda l) {
            Object[] captured = new Object[l.getCapturedArgCount()];
            for (int i = 0; i < captured.length; i++) {
                captured[i] = l.getCapturedArg(i);
            }
            return new CompactLambda(LambdaShape.encode(l), captured);
        }
        return obj;
    }

    @Override
    protected void writeClassDescriptor(ObjectStreamClass desc) throws IOException {
        Class<?> type = desc.forClass();
        writeUTF(desc.getName());
        writeLong(desc.getSerialVersionUID());
        writeInt(type == null ? 0 : ClassLayout.of(type));
    }
}
