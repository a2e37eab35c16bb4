package org.jparallel.core.journal;

import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;

/**
 * Names a context's setup stably across runs of a program, for the journal's check that a resumed context has
 * the setup it had: a class's name, or for a lambda the class and method that implement it (a lambda's own class
 * name changes from run to run).
 */
public final class SetupIdentity {
    private SetupIdentity() {
    }

    /** @return the setup's stable name; {@code "none"} for {@code null} */
    public static String of(Object setup) {
        if (setup == null) {
            return "none";
        }
        Class<?> c = setup.getClass();
        if (c.isSynthetic() || c.getName().contains("$$Lambda")) {
            try {
                Method writeReplace = c.getDeclaredMethod("writeReplace");
                writeReplace.setAccessible(true);
                if (writeReplace.invoke(setup) instanceof SerializedLambda l) {
                    return l.getImplClass().replace('/', '.') + "::" + l.getImplMethodName();
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not a serializable lambda: fall through to its class
            }
            String name = c.getName();
            int lambda = name.indexOf("$$Lambda");
            return lambda < 0 ? name : name.substring(0, lambda) + "$$Lambda";
        }
        return c.getName();
    }
}
