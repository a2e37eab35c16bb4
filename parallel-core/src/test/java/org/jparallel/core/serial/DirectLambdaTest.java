package org.jparallel.core.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.jparallel.Task;
import org.jparallel.core.leaks.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A lambda that captures only ints, longs, doubles and short strings travels without a serialization
 * stream ({@link PayloadFormat#LAMBDA}), is read back with the same filter checks as one in a stream,
 * and any other lambda still goes through the stream.
 */
@ExtendWith(NoLeaks.class)
class DirectLambdaTest {
    private final ClassLoader loader = getClass().getClassLoader();

    private static Task<Void, String> mixed(int i, long l, double d, String s) {
        return setup -> i + "/" + l + "/" + d + "/" + s;
    }

    private static byte[] bytes(SendablePayload p) {
        ByteBuffer b = p.bytes().duplicate();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    @SuppressWarnings("unchecked")
    private static <R> R run(Object task) throws Exception {
        return ((Task<Void, R>) task).run(null);
    }

    @Test
    void aLambdaCapturingIntsLongsDoublesAndStringsIsWrittenWithoutAStreamAndRunsTheSame() throws Exception {
        byte[] data = Payloads.serialize(mixed(7, -3L, 2.5, "héllo"));
        assertEquals(PayloadFormat.LAMBDA, data[0]);
        assertEquals("7/-3/2.5/héllo", run(Payloads.deserialize(data, loader)));
    }

    @Test
    void aTaskRefersToItsShapeByNumberAndReadsBackWithTheBook() throws Exception {
        SendablePayload sent = Payloads.serializeForSending(mixed(1, 2, 3, "x"), Integer.MAX_VALUE);
        byte[] data = bytes(sent);
        assertEquals(PayloadFormat.LAMBDA, data[0]);
        assertEquals(1, sent.shapes().length);
        assertEquals(1 + 4 + 4 + 2 + 5 + 9 + 9 + 6, data.length,
                "format, hash, shape number, count, then each value tagged: an int, a long, a double, a 1-byte string");
        ShapeBook book = new ShapeBook();
        book.define(sent.shapes()[0], ShapeBook.describe(sent.shapes()[0]));
        Object back = Payloads.deserialize(data, new byte[0][], book, loader, SerialFilter.defaults());
        assertEquals("1/2/3.0/x", run(back));
    }

    @Test
    void aLambdaCapturingAnyOtherValueGoesThroughTheStream() throws Exception {
        List<Integer> list = List.of(1, 2);
        Task<Void, Integer> sum = s -> list.get(0) + list.get(1);
        byte[] data = Payloads.serialize(sum);
        assertEquals(PayloadFormat.OBJECT, data[0]);
        assertEquals(3, (Integer) run(Payloads.deserialize(data, loader)));

        char[] chars = new char[DirectLambda.MAX_STRING_CHARS + 1];
        Arrays.fill(chars, 'a');
        String longString = new String(chars);
        byte[] withLong = Payloads.serialize(mixed(1, 1, 1, longString));
        assertEquals(PayloadFormat.OBJECT, withLong[0], "a string over the limit goes through the stream");
        assertEquals("1/1/1.0/" + longString, run(Payloads.deserialize(withLong, loader)));
    }

    @Test
    void aStringWithAnUnpairedSurrogateGoesThroughTheStreamAndComesBackTheSame() throws Exception {
        String lone = "a\uD800b";
        byte[] data = Payloads.serialize(mixed(1, 1, 1, lone));
        assertEquals(PayloadFormat.OBJECT, data[0], "UTF-8 cannot carry it");
        assertEquals("1/1/1.0/" + lone, run(Payloads.deserialize(data, loader)));
        assertEquals(PayloadFormat.LAMBDA, Payloads.serialize(mixed(1, 1, 1, "\uD83D\uDE00"))[0], "a pair is fine");
    }

    @Test
    void aCapturedStringThatIsNotUtf8IsAnIOException() {
        byte[] data = Payloads.serialize(mixed(1, 2, 3, "x"));
        data[data.length - 1] = (byte) 0xff; // the string's one byte
        assertThrows(java.io.StreamCorruptedException.class, () -> Payloads.deserialize(data, loader));
    }

    @Test
    void theFilterStillJudgesTheCapturedValuesAndTheCapturingClass() {
        byte[] data = Payloads.serialize(mixed(1, 2, 3, "x"));
        RejectedClassException noStrings = assertThrows(RejectedClassException.class,
                () -> Payloads.deserialize(data, loader, SerialFilter.of("!java.lang.String")));
        assertTrue(noStrings.getMessage().contains("java.lang.String"), noStrings.getMessage());
        RejectedClassException noTests = assertThrows(RejectedClassException.class,
                () -> Payloads.deserialize(data, loader, SerialFilter.of("!org.jparallel.core.serial.*")));
        assertTrue(noTests.getMessage().contains(DirectLambdaTest.class.getName()), noTests.getMessage());
    }

    @Test
    void aShapeReadBeforeUnderAnotherFilterIsJudgedAgainByThisOne() throws Exception {
        byte[] data = Payloads.serialize(mixed(1, 2, 3, "x"));
        assertEquals("1/2/3.0/x", run(Payloads.deserialize(data, loader))); // the shape is now known to this thread
        assertThrows(RejectedClassException.class,
                () -> Payloads.deserialize(data, loader, SerialFilter.of("!" + DirectLambdaTest.class.getName())));
    }

    @Test
    void everyTruncatedOrExtendedPayloadIsAnIOException() {
        byte[] data = Payloads.serialize(mixed(1, 2, 3, "x"));
        for (int n = 1; n < data.length; n++) {
            byte[] cut = Arrays.copyOf(data, n);
            assertThrows(IOException.class, () -> Payloads.deserialize(cut, loader), "cut to " + n + " bytes");
        }
        byte[] longer = Arrays.copyOf(data, data.length + 1);
        assertThrows(IOException.class, () -> Payloads.deserialize(longer, loader));
    }

    @Test
    void aCorruptedKindOrLengthIsAnIOExceptionNeverAnotherError() {
        byte[] data = Payloads.serialize(mixed(1, 2, 3, "x"));
        for (int at = 1; at < data.length; at++) {
            for (int v : new int[] {0x00, 0x7f, 0x80, 0xff}) {
                byte[] bad = data.clone();
                bad[at] = (byte) v;
                try {
                    Payloads.deserialize(bad, loader);
                } catch (IOException | ClassNotFoundException e) {
                    // refused with a reason: what a peer's corrupted payload must give
                } catch (RuntimeException e) {
                    fail("byte " + at + " set to " + v + ": " + e, e);
                }
            }
        }
    }

    private static Task<Void, String> boxedAndPrimitive(Integer boxed, Object any, int i, double d, long l) {
        return setup -> boxed + "/" + any + "/" + i + "/" + d + "/" + l;
    }

    @Test
    void theCapturedValuesAreReadFromTheLambdasOwnFieldsAndWriteTheSameBytesAsWriteReplace() throws Exception {
        for (Object lambda : List.of(mixed(7, -3L, 2.5, "héllo"), boxedAndPrimitive(-1, 5L, 3, -0.0, 9L),
                boxedAndPrimitive(2, "two", Integer.MIN_VALUE, Double.NaN, Long.MAX_VALUE))) {
            DirectLambda.write(lambda, null, true);
            DirectLambda.write(lambda, null, true); // the class's fields are opened on its second write
            byte[] viaWriteReplace = DirectLambda.write(lambda, null, false);
            byte[] fromFields = DirectLambda.write(lambda, null, true);
            assertTrue(Arrays.equals(viaWriteReplace, fromFields), lambda + " is written the same both ways");
            assertTrue(CapturedValues.of(lambda, (java.lang.invoke.SerializedLambda) writeReplace(lambda))
                    != CapturedValues.VIA_WRITE_REPLACE, "the fields of " + lambda + " are read");
        }
        assertEquals("2/two/-2147483648/NaN/9223372036854775807",
                run(Payloads.deserialize(DirectLambda.write(boxedAndPrimitive(2, "two", Integer.MIN_VALUE,
                        Double.NaN, Long.MAX_VALUE), null, true), loader)));
    }

    @Test
    void aLambdaWhoseFieldHoldsAValueOfAnotherKindStillGoesThroughTheStream() throws Exception {
        Task<Void, String> boxedList = boxedAndPrimitive(1, List.of(1), 2, 3, 4);
        DirectLambda.write(boxedAndPrimitive(1, 2, 3, 4, 5), null, true); // the class's fields are now trusted
        assertEquals(null, DirectLambda.write(boxedList, null, true), "a List is not a value written directly");
        byte[] data = Payloads.serialize(boxedList);
        assertEquals(PayloadFormat.OBJECT, data[0]);
        assertEquals("1/[1]/2/3.0/4", run(Payloads.deserialize(data, loader)));
    }

    private static Object writeReplace(Object lambda) throws Exception {
        java.lang.reflect.Method m = lambda.getClass().getDeclaredMethod("writeReplace");
        m.setAccessible(true);
        return m.invoke(lambda);
    }
}
