package org.jparallel.core.serial;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.lang.invoke.SerializedLambda;

/**
 * Java serialization with thin class descriptors: a class is written as its name, serial version
 * UID and {@link ClassLayout} fingerprint instead of its whole field list, which the reader takes
 * from its own copy of the class ({@link ThinObjectInputStream}). Manager and workers run the same
 * classes, so the field list is redundant, and reading it was most of the cost of a small task.
 * Lambdas are written in the compact form of {@link CompactLambda}.
 */
final class ThinObjectOutputStream extends ObjectOutputStream {
    ThinObjectOutputStream(OutputStream out) throws IOException {
        super(out);
        enableReplaceObject(true);
    }

    /** Writes a lambda as a {@link CompactLambda} instead of Java's {@link SerializedLambda}. */
    @Override
    protected Object replaceObject(Object obj) {
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
