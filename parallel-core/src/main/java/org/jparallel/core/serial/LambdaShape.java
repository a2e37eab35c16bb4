package org.jparallel.core.serial;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The constant part of a serializable lambda (everything in its {@link SerializedLambda} but the
 * captured values), encoded once per place in the code on the writing side, and on the reading side
 * resolved once: its capturing class and that class's lambda factory, {@code $deserializeLambda$},
 * which checks the description against the lambdas the class really has, as Java's own lambda
 * deserialization does.
 */
final class LambdaShape {
    private static final int MAX_CACHED = 10_000;
    private static final Map<Key, Encoded> ENCODED = new ConcurrentHashMap<>();

    private final byte[] encoded;
    private final Class<?> capturingClass;
    private final String[] fields;
    private final int implMethodKind;
    /**
     * The capturing class's {@code static Object $deserializeLambda$(SerializedLambda)}, found by its name and type
     * through a private lookup (see {@link #decode}); or {@code null} when the class's package is not open to
     * this one's lookup.
     */
    private final MethodHandle handleFactory;
    /**
     * The same found by reflection (and checked to be static and to return {@code Object}) when the lookup was
     * refused, opened; or {@code null}: found by the lookup, or not openable here (a module that does not open the
     * package: Java's own route, {@link #javaRoute}, makes the lambda).
     */
    private final Method factory;
    /** Set once {@link #capturingClass} is known initialised (see {@link #create}). */
    private volatile boolean initialised;

    private LambdaShape(byte[] encoded, Class<?> capturingClass, String[] fields, int implMethodKind,
            MethodHandle handleFactory, Method factory) {
        this.encoded = encoded;
        this.capturingClass = capturingClass;
        this.fields = fields;
        this.implMethodKind = implMethodKind;
        this.handleFactory = handleFactory;
        this.factory = factory;
    }

    /**
     * The fields that identify a lambda's place in the code. A class, not a record: a record's first
     * {@code equals} or {@code hashCode} bootstraps {@code ObjectMethods}, which spins method-handle
     * classes for milliseconds of a fresh worker's start (its warm-up writes a lambda).
     */
    private static final class Key {
        private final int implMethodKind;
        /** The capturing class, then the interface's class, method name and signature, then the implementation's
         * class, method name and signature, then the instantiated method type. */
        private final String[] names;

        private Key(int implMethodKind, String[] names) {
            this.implMethodKind = implMethodKind;
            this.names = names;
        }

        static Key of(SerializedLambda l) {
            return new Key(l.getImplMethodKind(), new String[] {l.getCapturingClass(), l.getFunctionalInterfaceClass(),
                l.getFunctionalInterfaceMethodName(), l.getFunctionalInterfaceMethodSignature(), l.getImplClass(),
                l.getImplMethodName(), l.getImplMethodSignature(), l.getInstantiatedMethodType()});
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.implMethodKind == implMethodKind && Arrays.equals(k.names, names);
        }

        @Override
        public int hashCode() {
            return 31 * implMethodKind + Arrays.hashCode(names);
        }
    }

    /**
     * A lambda's encoded constant part and the hash the reader finds it by, computed once; and its
     * number in this JVM ({@link #id}), by which a task payload may refer to it instead of carrying it
     * (see {@link ShapeBook}), or -1 when this JVM numbered too many shapes already.
     */
    record Encoded(byte[] bytes, int hash, int id) {
    }

    private static final int MAX_IDS = 100_000;
    private static final AtomicInteger NEXT_ID = new AtomicInteger();
    private static final Map<Integer, Encoded> BY_ID = new ConcurrentHashMap<>();

    /** @return the encoded shape numbered {@code id} in this JVM, or {@code null} */
    static Encoded byId(int id) {
        return BY_ID.get(id);
    }

    /** @return the encoded constant part of {@code l}, from the cache after its first time */
    static Encoded encode(SerializedLambda l) {
        Key key = Key.of(l);
        Encoded e = ENCODED.get(key);
        if (e == null) {
            byte[] bytes = encode(key);
            int id = BY_ID.size() < MAX_IDS ? NEXT_ID.getAndIncrement() : -1;
            e = new Encoded(bytes, Arrays.hashCode(bytes), id);
            if (id >= 0) {
                BY_ID.put(id, e);
            }
            if (ENCODED.size() >= MAX_CACHED) {
                ENCODED.clear();
            }
            Encoded raced = ENCODED.putIfAbsent(key, e);
            if (raced != null) {
                e = raced; // another thread encoded it first; its number is the one in use
            }
        }
        return e;
    }

    private static byte[] encode(Key k) {
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(buf);
            out.writeByte(k.implMethodKind);
            for (String s : k.names) {
                out.writeUTF(s);
            }
            out.flush();
            return buf.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decodes a lambda's constant part and finds its factory.
     *
     * @param bytes what {@link #encode(SerializedLambda)} wrote
     * @param resolver resolves (and checks against the stream's filter) the capturing class
     */
    static LambdaShape decode(byte[] bytes, ClassResolver resolver) throws IOException, ClassNotFoundException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        int kind = in.readUnsignedByte();
        String[] fields = new String[8];
        for (int i = 0; i < fields.length; i++) {
            // interned: the class's $deserializeLambda$ compares them with its own string constants,
            // which are interned, so each equals is then one identity test instead of a loop over the
            // characters (a few microseconds a task in a fresh worker's interpreter); at most
            // MAX_SHAPE_BYTES per shape, from an authenticated manager
            fields[i] = in.readUTF().intern();
        }
        if (in.available() != 0) {
            throw new InvalidObjectException("a lambda description with " + in.available() + " bytes too many");
        }
        Class<?> capturing = resolver.resolve(fields[0].replace('/', '.'));
        MethodHandle handle = null;
        Method factory = null;
        try {
            handle = MethodHandles.privateLookupIn(capturing, MethodHandles.lookup())
                    .findStatic(capturing, "$deserializeLambda$", FACTORY_TYPE);
        } catch (NoSuchMethodException e) {
            // none, or not static Object(SerializedLambda): not a lambda factory, whatever the payload says
            throw noLambdas(capturing);
        } catch (IllegalAccessException | RuntimeException e) {
            factory = reflectiveFactory(capturing);
        }
        return new LambdaShape(bytes, capturing, fields, kind, handle, factory);
    }

    private static final MethodType FACTORY_TYPE = MethodType.methodType(Object.class, SerializedLambda.class);

    private static InvalidObjectException noLambdas(Class<?> capturing) {
        return new InvalidObjectException(capturing.getName() + " has no serializable lambdas");
    }

    /**
     * Finds a class's lambda factory by reflection, for a class whose package is not open to this one's lookup.
     * Only here: {@code Class.getDeclaredMethod} makes every declared method's {@code Method} first, loading
     * every class their signatures name (classes of the user's program a task never touches, from jars the worker
     * had not opened yet: each jar's first class costs a fresh worker most of a millisecond), whereas the lookup
     * above finds the factory by its name and type alone, on the path to a fresh worker's first result.
     *
     * @return the factory, opened, or {@code null} when it cannot be opened (a class in a module that does not
     *     open its package: Java's own route still works)
     * @throws InvalidObjectException when the class has no {@code static Object $deserializeLambda$(SerializedLambda)}
     */
    private static Method reflectiveFactory(Class<?> capturing) throws InvalidObjectException {
        Method m;
        try {
            m = capturing.getDeclaredMethod("$deserializeLambda$", SerializedLambda.class);
        } catch (NoSuchMethodException e) {
            throw noLambdas(capturing);
        }
        if (!Modifier.isStatic(m.getModifiers()) || m.getReturnType() != Object.class) {
            throw noLambdas(capturing);
        }
        try {
            m.setAccessible(true);
            return m;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** @return the class whose code made the lambda */
    Class<?> capturingClass() {
        return capturingClass;
    }

    /** @return true when this shape was decoded from the first {@code n} bytes of {@code bytes} */
    boolean encodedAs(byte[] bytes, int n) {
        return encodedAs(bytes, 0, n);
    }

    /** @return true when this shape was decoded from the {@code n} bytes of {@code bytes} from {@code from} */
    boolean encodedAs(byte[] bytes, int from, int n) {
        return Arrays.equals(encoded, 0, encoded.length, bytes, from, from + n);
    }

    /** Resolves a class for a lambda, checked against the reader's filter. */
    interface ClassResolver {
        Class<?> resolve(String name) throws IOException, ClassNotFoundException;
    }

    /** @return a new lambda of this shape with these captured values */
    Object create(Object[] captured) throws ObjectStreamException {
        if (handleFactory != null && !initialised) {
            ensureInitialised();
        }
        SerializedLambda l = new SerializedLambda(capturingClass, fields[1], fields[2], fields[3], implMethodKind,
                fields[4], fields[5], fields[6], fields[7], captured);
        try {
            if (handleFactory != null) {
                return invokeFactory(l);
            }
            if (factory != null) {
                return factory.invoke(null, l);
            }
            return javaRoute(l);
        } catch (InvocationTargetException e) {
            InvalidObjectException x = new InvalidObjectException("cannot make lambda " + fields[5] + " of "
                    + capturingClass.getName() + ": " + e.getCause());
            x.initCause(e.getCause());
            throw x;
        } catch (ReflectiveOperationException | IOException | ClassCastException e) {
            InvalidObjectException x = new InvalidObjectException("cannot make lambda " + fields[5] + " of "
                    + capturingClass.getName() + ": " + e);
            x.initCause(e);
            throw x;
        }
    }

    /**
     * Initialises the capturing class before its factory's handle is called, outside any wrapping: a static
     * initialiser's failure then reaches the reader as the {@code ExceptionInInitializerError} with the user's own
     * exception in it (and a later read as a {@code NoClassDefFoundError}), as through reflection; wrapped into an
     * {@code IOException} it made {@code Payloads.deserialize} read again, and the user saw only the latter.
     */
    private void ensureInitialised() throws InvalidObjectException {
        try {
            MethodHandles.privateLookupIn(capturingClass, MethodHandles.lookup()).ensureInitialized(capturingClass);
        } catch (IllegalAccessException e) {
            // found through such a lookup when the shape was decoded: not expected
            InvalidObjectException x = new InvalidObjectException("cannot initialise " + capturingClass.getName() + ": " + e);
            x.initCause(e);
            throw x;
        }
        initialised = true;
    }

    /** @return what the handle's factory makes of {@code l}; what it throws wrapped as reflection would */
    private Object invokeFactory(SerializedLambda l) throws InvocationTargetException {
        try {
            return (Object) handleFactory.invokeExact(l);
        } catch (Throwable e) {
            throw new InvocationTargetException(e);
        }
    }

    /** Java's own lambda deserialization, for capturing classes whose factory is not accessible here. */
    private Object javaRoute(SerializedLambda l) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(buf)) {
            out.writeObject(l);
        }
        ClassLoader loader = capturingClass.getClassLoader();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(buf.toByteArray())) {
            @Override
            protected Class<?> resolveClass(java.io.ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    return super.resolveClass(desc);
                }
            }
        }) {
            return in.readObject();
        }
    }
}
