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
    static final int MAX_SHAPE_BYTES = 64 * 1024;
    private static final int SHORT_STRING = 8 * 1024;
    private static final int OBJECT = 0;
    private static final int INT = 1;
    private static final int LONG = 2;
    private static final int DOUBLE = 3;
    private static final int STRING = 4;

    private transient LambdaShape.Encoded description;
    private Object[] captured;
    private transient LambdaShape shape;

    /** For deserialization only. */
    public CompactLambda() {
    }

    CompactLambda(LambdaShape.Encoded description, Object[] captured) {
        this.description = description;
        this.captured = captured;
    }

    @Override
    public void writeExternal(ObjectOutput out) throws IOException {
        out.writeInt(description.hash());
        if (out instanceof ThinObjectOutputStream s && description.id() >= 0 && s.refersToShapes()) {
            out.writeInt(-1 - description.id()); // by number: the worker was sent the shape (ShapeBook)
            s.referredTo(description.id());
        } else {
            out.writeInt(description.bytes().length);
            out.write(description.bytes());
        }
        out.writeShort(captured.length);
        for (Object o : captured) {
            writeCaptured(out, o);
        }
    }

    /** A captured box or string is written as its value: it then needs no class descriptor. */
    private static void writeCaptured(ObjectOutput out, Object o) throws IOException {
        Class<?> c = o == null ? null : o.getClass();
        if (c == Integer.class) {
            out.writeByte(INT);
            out.writeInt((Integer) o);
        } else if (c == Long.class) {
            out.writeByte(LONG);
            out.writeLong((Long) o);
        } else if (c == Double.class) {
            out.writeByte(DOUBLE);
            out.writeDouble((Double) o);
        } else if (c == String.class && ((String) o).length() <= SHORT_STRING) {
            out.writeByte(STRING);
            out.writeUTF((String) o);
        } else {
            out.writeByte(OBJECT);
            out.writeObject(o);
        }
    }

    private static Object readCaptured(ObjectInput in, ThinObjectInputStream stream)
            throws IOException, ClassNotFoundException {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case INT -> stream.allowedValue(in.readInt());
            case LONG -> stream.allowedValue(in.readLong());
            case DOUBLE -> stream.allowedValue(in.readDouble());
            case STRING -> stream.allowedValue(in.readUTF());
            case OBJECT -> in.readObject();
            default -> throw new StreamCorruptedException("a captured value of unknown kind " + tag);
        };
    }

    @Override
    public void readExternal(ObjectInput in) throws IOException, ClassNotFoundException {
        if (!(in instanceof ThinObjectInputStream stream)) {
            throw new InvalidObjectException("a compact lambda outside a jparallel payload");
        }
        int hash = in.readInt();
        int n = in.readInt();
        if (n < 0) {
            shape = stream.lambdaShape(-1 - (long) n);
        } else if (n > MAX_SHAPE_BYTES) {
            throw new StreamCorruptedException("a lambda description of " + n + " bytes");
        } else {
            shape = stream.lambdaShape(hash, n);
        }
        captured = new Object[in.readUnsignedShort()];
        for (int i = 0; i < captured.length; i++) {
            captured[i] = readCaptured(in, stream);
        }
    }

    private Object readResolve() throws ObjectStreamException {
        if (shape == null) {
            throw new InvalidObjectException("a compact lambda that was not read from a payload");
        }
        return shape.create(captured);
    }
}
