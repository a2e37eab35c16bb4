package org.jparallel.core.serial;

import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.io.StreamCorruptedException;

/**
 * Reads what {@link ThinObjectOutputStream} writes: each thin class descriptor is resolved through
 * one class loader (remembered per name) and replaced by the local class's descriptor, after
 * checking that the writer's class has the same serial version UID and field layout.
 */
final class ThinObjectInputStream extends ObjectInputStream {
    private final ReaderClasses classes;
    private byte[] scratch = new byte[512];

    private byte[][] attachments = PayloadFormat.NO_ARRAYS;
    private ShapeBook book;

    ThinObjectInputStream(InputStream in, ReaderClasses classes) throws IOException {
        super(in);
        this.classes = classes;
        enableResolveObject(true);
    }

    /** @param arrays the arrays attached to the payload read next (see {@link AttachedArray}) */
    void attachments(byte[][] arrays) {
        attachments = arrays;
    }

    /** @param shapes the lambda shapes the payload read next may refer to by number, or {@code null} */
    void shapeBook(ShapeBook shapes) {
        book = shapes;
    }

    /** Returns the shape a payload refers to by number, decoded once per reader like one it carries. */
    LambdaShape lambdaShape(long id) throws IOException, ClassNotFoundException {
        return classes.lambdaShape(id, book, getObjectInputFilter());
    }

    /** Puts each attached array in place of its {@link AttachedArray}, checked against the filter as an array read here would be. */
    @Override
    protected Object resolveObject(Object obj) throws IOException {
        if (obj instanceof AttachedArray a) {
            if (a.index < 0 || a.index >= attachments.length) {
                throw new StreamCorruptedException("attached array " + a.index + " of " + attachments.length);
            }
            byte[] array = attachments[a.index];
            ClassCheck.require(getObjectInputFilter(), byte[].class, array.length);
            return array;
        }
        return obj;
    }

    @Override
    protected ObjectStreamClass readClassDescriptor() throws IOException, ClassNotFoundException {
        String name = readUTF();
        long suid = readLong();
        int layout = readInt();
        Class<?> type = classes.resolve(name);
        ObjectStreamClass local = ObjectStreamClass.lookupAny(type);
        if (local.getSerialVersionUID() != suid || ClassLayout.of(type) != layout) {
            throw new InvalidClassException(name, "the class differs between the sender and this JVM (serialVersionUID "
                    + suid + " there, " + local.getSerialVersionUID() + " here"
                    + (ClassLayout.of(type) != layout ? ", and its serializable fields differ" : "")
                    + "): run the manager and the workers with the same jars and Java version");
        }
        return local;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
        Class<?> type = desc.forClass();
        return type != null ? type : classes.resolve(desc.getName());
    }

    /**
     * Reads a lambda description of {@code n} bytes and returns its shape, decoded once per reader:
     * found by the writer's hash of the bytes, and used only if the bytes are the same.
     */
    LambdaShape lambdaShape(int hash, int n) throws IOException, ClassNotFoundException {
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, scratch.length * 2)];
        }
        readFully(scratch, 0, n);
        return classes.lambdaShape(hash, scratch, n, getObjectInputFilter());
    }

    /** @return {@code value}, once its class passed this stream's filter (it came without a descriptor) */
    Object allowedValue(Object value) throws InvalidClassException {
        ReaderClasses.allowed(value.getClass(), getObjectInputFilter());
        return value;
    }
}
