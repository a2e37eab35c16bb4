package org.jparallel.core.serial;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * How {@link DirectLambda} reads the values one lambda class captured. Calling the lambda's
 * {@code writeReplace} for them makes a {@link SerializedLambda}, an array and a box per value on
 * every task: garbage that decides how often a manager holding a million tasks pays for a young
 * collection.
 * So the values are read from the lambda object's own fields, an {@code int} as an {@code int}; the
 * fields ({@code arg$1}, {@code arg$2}, ... in the JDK's lambda classes) are trusted only after they
 * matched, in number, name and value, what {@code writeReplace} gave for the first lambda of the
 * class. A class that does not match is read through {@code writeReplace} ({@link #VIA_WRITE_REPLACE}).
 */
abstract class CapturedValues {
    /** A value read as an {@code int} (from an {@code int} field). */
    static final int INT = 0;
    /** A value read as a {@code long}. */
    static final int LONG = 1;
    /** A value read as a {@code double}. */
    static final int DOUBLE = 2;
    /** A value read as an object, whose class then decides how it is written. */
    static final int OBJECT = 3;

    /** Reads the values from a {@link SerializedLambda}: every value is an {@link #OBJECT}. */
    static final CapturedValues VIA_WRITE_REPLACE = new CapturedValues() {
        @Override
        int count(Object serialized) {
            return ((SerializedLambda) serialized).getCapturedArgCount();
        }

        @Override
        int kind(int i) {
            return OBJECT;
        }

        @Override
        Object object(Object serialized, int i) {
            return ((SerializedLambda) serialized).getCapturedArg(i);
        }
    };

    /** @return how many values were captured; {@code from} is a lambda, or its serialized form */
    abstract int count(Object from);

    /** @return how value {@code i} is read: {@link #INT}, {@link #LONG}, {@link #DOUBLE} or {@link #OBJECT} */
    abstract int kind(int i);

    /** @return value {@code i}, of kind {@link #OBJECT} */
    abstract Object object(Object from, int i);

    /** @return value {@code i}, of kind {@link #INT} */
    int intValue(Object from, int i) {
        throw new IllegalStateException("value " + i + " is not an int");
    }

    /** @return value {@code i}, of kind {@link #LONG} */
    long longValue(Object from, int i) {
        throw new IllegalStateException("value " + i + " is not a long");
    }

    /** @return value {@code i}, of kind {@link #DOUBLE} */
    double doubleValue(Object from, int i) {
        throw new IllegalStateException("value " + i + " is not a double");
    }

    /**
     * @param lambda an instance of a serializable lambda class
     * @param serialized what its {@code writeReplace} returned
     * @return a reader of the class's fields, or {@link #VIA_WRITE_REPLACE} when its fields are not
     *     exactly its captured values, in order, or cannot be opened
     */
    static CapturedValues of(Object lambda, SerializedLambda serialized) {
        try {
            Field[] fields = Arrays.stream(lambda.getClass().getDeclaredFields())
                    .filter(f -> !Modifier.isStatic(f.getModifiers()))
                    .sorted(Comparator.comparingInt(CapturedValues::argNumber))
                    .toArray(Field[]::new);
            int n = serialized.getCapturedArgCount();
            if (fields.length != n) {
                return VIA_WRITE_REPLACE;
            }
            int[] kinds = new int[n];
            MethodHandle[] getters = new MethodHandle[n];
            for (int i = 0; i < n; i++) {
                Field f = fields[i];
                if (argNumber(f) != i + 1) {
                    return VIA_WRITE_REPLACE;
                }
                f.setAccessible(true);
                Class<?> t = f.getType();
                Object value = f.get(lambda);
                Object captured = serialized.getCapturedArg(i);
                // the same object for a reference (no user equals runs); an equal box for a primitive
                if (t.isPrimitive() ? !Objects.equals(value, captured) : value != captured) {
                    return VIA_WRITE_REPLACE;
                }
                kinds[i] = t == int.class ? INT : t == long.class ? LONG : t == double.class ? DOUBLE : OBJECT;
                Class<?> read = kinds[i] == OBJECT ? Object.class : t;
                getters[i] = MethodHandles.lookup().unreflectGetter(f).asType(MethodType.methodType(read, Object.class));
            }
            return new FromFields(kinds, getters);
        } catch (IllegalAccessException | RuntimeException e) {
            return VIA_WRITE_REPLACE; // a class in a module not open to jparallel
        }
    }

    /** @return N for a field named {@code arg$N}, or -1 */
    private static int argNumber(Field f) {
        String name = f.getName();
        if (!name.startsWith("arg$")) {
            return -1;
        }
        try {
            return Integer.parseInt(name.substring(4));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Reads the values from the lambda's fields. */
    private static final class FromFields extends CapturedValues {
        private final int[] kinds;
        private final MethodHandle[] getters;

        FromFields(int[] kinds, MethodHandle[] getters) {
            this.kinds = kinds;
            this.getters = getters;
        }

        @Override
        int count(Object lambda) {
            return kinds.length;
        }

        @Override
        int kind(int i) {
            return kinds[i];
        }

        @Override
        Object object(Object lambda, int i) {
            try {
                return (Object) getters[i].invokeExact(lambda);
            } catch (Throwable e) {
                throw failed(e);
            }
        }

        @Override
        int intValue(Object lambda, int i) {
            try {
                return (int) getters[i].invokeExact(lambda);
            } catch (Throwable e) {
                throw failed(e);
            }
        }

        @Override
        long longValue(Object lambda, int i) {
            try {
                return (long) getters[i].invokeExact(lambda);
            } catch (Throwable e) {
                throw failed(e);
            }
        }

        @Override
        double doubleValue(Object lambda, int i) {
            try {
                return (double) getters[i].invokeExact(lambda);
            } catch (Throwable e) {
                throw failed(e);
            }
        }

        /** A getter of a field cannot throw; should one, it is a bug to report, not a value to skip. */
        private static IllegalStateException failed(Throwable e) {
            if (e instanceof Error err) {
                throw err;
            }
            return new IllegalStateException("reading a lambda's captured value failed", e);
        }
    }
}
