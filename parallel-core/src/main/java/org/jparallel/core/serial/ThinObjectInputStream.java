package org.jparallel.core.serial;

import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
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
