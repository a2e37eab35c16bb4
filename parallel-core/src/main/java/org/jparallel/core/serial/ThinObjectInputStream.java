package org.jparallel.core.serial;

import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.lang.invoke.SerializedLambda;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads what {@link ThinObjectOutputStream} writes: each thin class descriptor is resolved through
 * one class loader (remembered per name) and replaced by the local class's descriptor, after
 * checking that the writer's class has the same serial version UID and field layout.
 */
final class ThinObjectInputStream extends ObjectInputStream {
    private final ClassLoader loader;
    private final Map<String, Class<?>> resolved = new HashMap<>();
    private final Map<ShapeBytes, LambdaShape> lambdaShapes = new HashMap<>();

    ThinObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
        super(in);
        this.loader = loader;
    }

    @Override
    protected ObjectStreamClass readClassDescriptor() throws IOException, ClassNotFoundException {
        String name = readUTF();
        long suid = readLong();
        int layout = readInt();
        Class<?> type = resolve(name);
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
        return type != null ? type : resolve(desc.getName());
    }

    /** @return the lambda shape these bytes describe, decoded once per reader */
    LambdaShape lambdaShape(byte[] bytes) throws IOException, ClassNotFoundException {
        ShapeBytes key = new ShapeBytes(bytes);
        LambdaShape shape = lambdaShapes.get(key);
        if (shape == null) {
            allowed(SerializedLambda.class);
            shape = LambdaShape.decode(bytes, name -> allowed(resolve(name)));
            lambdaShapes.put(key, shape);
        }
        return shape;
    }

    /** Checks a class this stream reads by other means than a class descriptor against its filter. */
    private Class<?> allowed(Class<?> type) throws InvalidClassException {
        ObjectInputFilter filter = getObjectInputFilter();
        if (filter != null && filter.checkInput(new ClassCheck(type)) == ObjectInputFilter.Status.REJECTED) {
            throw new InvalidClassException(type.getName(), "filter status: REJECTED");
        }
        return type;
    }

    /** A lambda description's bytes, compared by content. */
    private record ShapeBytes(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ShapeBytes other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }


    private Class<?> resolve(String name) throws ClassNotFoundException {
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
                return Class.forName(name, false, ThinObjectInputStream.class.getClassLoader());
            } catch (ClassNotFoundException e2) {
                throw new ClassNotFoundException(name + " is not on the classpath of this JVM", e);
            }
        }
    }
}
