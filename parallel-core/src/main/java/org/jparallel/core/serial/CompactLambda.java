package org.jparallel.core.serial;

import java.io.Externalizable;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.ObjectStreamException;
import java.io.StreamCorruptedException;
import java.lang.invoke.SerializedLambda;

/**
 * How a serializable lambda travels in a payload: the lambda's constant description (its capturing
 * class, interface and implementation method, the same for every lambda made at one place in the
 * code) as one block of bytes that is encoded once per writer and decoded once per reader, then its
 * captured values. Java's own form writes those nine fields as strings and a class every time, and
 * reading them was most of the cost of a small task. Written by {@link ThinObjectOutputStream} in
 * place of a {@link SerializedLambda}, read back by {@link ThinObjectInputStream} into the lambda.
 */
public final class CompactLambda implements Externalizable {
    private static final long serialVersionUID = 1L;
    private static final int MAX_SHAPE_BYTES = 64 * 1024;

    private byte[] shapeBytes;
    private Object[] captured;
    private transient LambdaShape shape;

    /** For deserialization only. */
    public CompactLambda() {
    }

    CompactLambda(byte[] shapeBytes, Object[] captured) {
        this.shapeBytes = shapeBytes;
        this.captured = captured;
    }

    @Override
    public void writeExternal(ObjectOutput out) throws IOException {
        out.writeInt(shapeBytes.length);
        out.write(shapeBytes);
        out.writeShort(captured.length);
        for (Object o : captured) {
            out.writeObject(o);
        }
    }

    @Override
    public void readExternal(ObjectInput in) throws IOException, ClassNotFoundException {
        if (!(in instanceof ThinObjectInputStream stream)) {
            throw new InvalidObjectException("a compact lambda outside a jparallel payload");
        }
        int n = in.readInt();
        if (n < 0 || n > MAX_SHAPE_BYTES) {
            throw new StreamCorruptedException("a lambda description of " + n + " bytes");
        }
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        shape = stream.lambdaShape(bytes);
        captured = new Object[in.readUnsignedShort()];
        for (int i = 0; i < captured.length; i++) {
            captured[i] = in.readObject();
        }
    }

    private Object readResolve() throws ObjectStreamException {
        if (shape == null) {
            throw new InvalidObjectException("a compact lambda that was not read from a payload");
        }
        return shape.create(captured);
    }
}
