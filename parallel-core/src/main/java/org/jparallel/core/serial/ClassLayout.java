package org.jparallel.core.serial;

import java.io.ObjectStreamClass;
import java.io.ObjectStreamField;

/**
 * A fingerprint of how a class is laid out in a serialization stream (its serializable fields, their
 * types, and whether it writes its own data), computed once per class. Thin class descriptors carry
 * it instead of the field list, so a reader whose class differs from the writer's (another jar or
 * Java version) fails with a clear error instead of misreading the bytes.
 */
final class ClassLayout {
    private static final ClassValue<Integer> FINGERPRINTS = new ClassValue<>() {
        @Override
        protected Integer computeValue(Class<?> type) {
            return compute(ObjectStreamClass.lookupAny(type));
        }
    };

    private ClassLayout() {
    }

    /** @return the fingerprint of the local class {@code type} */
    static int of(Class<?> type) {
        return FINGERPRINTS.get(type);
    }

    private static int compute(ObjectStreamClass desc) {
        int h = desc.getName().hashCode();
        for (ObjectStreamField f : desc.getFields()) {
            h = 31 * h + f.getName().hashCode();
            h = 31 * h + (f.getTypeString() == null ? f.getTypeCode() : f.getTypeString().hashCode());
            h = 31 * h + (f.isUnshared() ? 1 : 0);
        }
        return h;
    }
}
