package org.jparallel.core.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InvalidObjectException;
import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * What reading a lambda does when its capturing class's {@code $deserializeLambda$} cannot make it: the
 * user's own failure reaches the user as it did through reflection; and a payload naming a class whose
 * {@code $deserializeLambda$} is missing or not a lambda factory (not {@code static Object}) is refused, never run.
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

    /** Has a {@code $deserializeLambda$} of the wrong return type. */
    static final class ReturnsText {
        static String $deserializeLambda$(SerializedLambda l) {
            return "x";
        }
    }

    /** Has an instance method of the factory's name. */
    static final class InstanceFactory {
        Object $deserializeLambda$(SerializedLambda l) {
            return "x";
        }
    }

    /** Has no serializable lambdas. */
    static final class NoFactory {
    }

    /** @return a lambda payload ({@link PayloadFormat#LAMBDA}, capturing nothing) that names {@code capturing} */
    private static byte[] payloadNaming(Class<?> capturing) {
        String name = capturing.getName().replace('.', '/');
        LambdaShape.Encoded shape = LambdaShape.encode(new SerializedLambda(capturing, "java/util/function/IntSupplier",
                "getAsInt", "()I", MethodHandleInfo.REF_invokeStatic, name, "lambda$lambda$0", "()I", "()I",
                new Object[0]));
        return ByteBuffer.allocate(1 + 4 + 4 + shape.bytes().length + 2).put(PayloadFormat.LAMBDA).putInt(shape.hash())
                .putInt(shape.bytes().length).put(shape.bytes()).putShort((short) 0).array();
    }

    private static void assertRefused(Class<?> capturing) {
        InvalidObjectException e = assertThrows(InvalidObjectException.class,
                () -> Payloads.deserialize(payloadNaming(capturing), LambdaFactoryChecksTest.class.getClassLoader()));
        assertTrue(e.getMessage().contains(capturing.getName()), e.getMessage());
    }

    @Test
    void aFactoryOfTheWrongReturnTypeIsNotRun() {
        assertRefused(ReturnsText.class);
    }

    @Test
    void anInstanceMethodIsNoFactory() {
        assertRefused(InstanceFactory.class);
    }

    @Test
    void aClassWithoutFactoryIsRefused() {
        assertRefused(NoFactory.class);
    }

    @Test
    void aLambdaOfTheJdksStillRoundTrips() throws Exception {
        // its capturing class, Comparator, is in a package java.base does not open: Java's own route
        Comparator<String> byLength = Comparator.comparing((Function<String, Integer> & Serializable) String::length);
        Object back = Payloads.deserialize(Payloads.serialize(byLength), LambdaFactoryChecksTest.class.getClassLoader());
        @SuppressWarnings("unchecked")
        Comparator<String> copy = (Comparator<String>) back;
        assertTrue(copy.compare("ab", "abc") < 0 && copy.compare("abc", "ab") > 0);
        assertTrue(byLength.getClass().getName().startsWith(Comparator.class.getName() + "$$Lambda"),
                byLength.getClass().getName());
    }
}
