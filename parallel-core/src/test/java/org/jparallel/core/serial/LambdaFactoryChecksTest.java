package org.jparallel.core.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.Serializable;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * What reading a lambda does when its capturing class's {@code $deserializeLambda$} cannot make it: the
 * user's own failure reaches the user as it did through reflection.
 */
class LambdaFactoryChecksTest {
    /** Whose static initialiser throws where this system property is "true". */
    static final String FAIL_INIT = "LambdaFactoryChecksTest.failInit";

    /** Fails its static initialisation where {@link #FAIL_INIT} is set (in a fresh class loader, in the test). */
    static final class FailsToInitialise {
        static {
            if (Boolean.getBoolean(FAIL_INIT)) {
                throw new IllegalStateException("the user's own failure");
            }
        }

        static IntSupplier lambda() {
            return (IntSupplier & Serializable) () -> 7;
        }

        static IntSupplier lambda(List<String> list) {
            return (IntSupplier & Serializable) () -> list.size();
        }
    }

    /** A loader of its own for this module's test classes: their static initialisers run again in it. */
    private static URLClassLoader freshLoader() {
        URL classes = LambdaFactoryChecksTest.class.getProtectionDomain().getCodeSource().getLocation();
        return new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader());
    }

    private static void assertInitialiserFailure(byte[] payload) throws Exception {
        System.setProperty(FAIL_INIT, "true");
        try (URLClassLoader loader = freshLoader()) {
            ExceptionInInitializerError e = assertThrows(ExceptionInInitializerError.class,
                    () -> Payloads.deserialize(payload, loader));
            assertEquals(IllegalStateException.class, e.getCause().getClass(), String.valueOf(e.getCause()));
            assertEquals("the user's own failure", e.getCause().getMessage());
            // a second read meets the class in its failed state, as with any class whose initialiser failed
            assertThrows(NoClassDefFoundError.class, () -> Payloads.deserialize(payload, loader));
        } finally {
            System.clearProperty(FAIL_INIT);
        }
    }

    @Test
    void aCapturingClassWhoseInitialiserFailsGivesTheUsersOwnException() throws Exception {
        assertInitialiserFailure(Payloads.serialize(FailsToInitialise.lambda()));
    }

    @Test
    void soInAStream() throws Exception {
        assertInitialiserFailure(Payloads.serialize(FailsToInitialise.lambda(new java.util.ArrayList<>(List.of("a")))));
    }
}
