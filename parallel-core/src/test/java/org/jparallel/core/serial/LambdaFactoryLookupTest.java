package org.jparallel.core.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.Base64;
import java.util.function.IntSupplier;
import org.jparallel.testjvm.FreshJvm;
import org.junit.jupiter.api.Test;

/**
 * Reading a lambda finds its capturing class's {@code $deserializeLambda$} without loading the classes that the
 * class's other methods name (on a fresh worker's path to its first result, each such class, and each jar it is
 * the first of, costs; see docs/benchmarks/2026-12-07-cold9.md). Checked in a fresh JVM.
 */
class LambdaFactoryLookupTest {
    /** Named only in {@link #unused}'s signature: loaded by nothing but a look at every method of this class. */
    static final class OnlyInASignature {
    }

    static OnlyInASignature unused(OnlyInASignature x) {
        return x;
    }

    static IntSupplier lambda(int k) {
        return (IntSupplier & Serializable) () -> k + 1;
    }

    /** Reads the payload given in Base64, runs the lambda and prints its value. */
    public static void main(String[] args) throws Exception {
        Object copy = Payloads.deserialize(Base64.getDecoder().decode(args[0]), LambdaFactoryLookupTest.class.getClassLoader());
        System.out.println("value " + ((IntSupplier) copy).getAsInt());
    }

    @Test
    void readingALambdaLoadsNoClassItsCapturingClassOnlyNamesInASignature() throws Exception {
        String payload = Base64.getEncoder().encodeToString(Payloads.serialize(lambda(41)));
        FreshJvm.Output out = FreshJvm.run(LambdaFactoryLookupTest.class, payload);
        assertTrue(out.printed("value 42"), out.text());
        assertFalse(out.loaded(OnlyInASignature.class.getName()), "the read looked at every method of the"
                + " capturing class: " + out.linesWith("OnlyInASignature"));
    }

    @Test
    void aLambdaWhoseDescriptionDoesNotMatchIsRefusedAsBefore() throws Exception {
        // the same bytes with the implementation's name changed: the class's factory refuses it
        byte[] bytes = Payloads.serialize(lambda(1));
        String s = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = s.indexOf("lambda$lambda$");
        assertTrue(at > 0, "no implementation name in the payload");
        bytes[at + "lambda$lambda$".length()] ^= 1;
        java.io.InvalidObjectException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.io.InvalidObjectException.class,
                () -> Payloads.deserialize(bytes, LambdaFactoryLookupTest.class.getClassLoader()));
        assertTrue(e.getMessage().startsWith("cannot make lambda "), e.getMessage());
        assertEquals(IllegalArgumentException.class, e.getCause().getClass(), String.valueOf(e.getCause()));
    }
}
