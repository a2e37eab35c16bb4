package org.jparallel.core.serial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The payload format: simple values written directly, thin descriptors, reused streams that share nothing. */
class PayloadFormatTest {
    private final ClassLoader loader = PayloadFormatTest.class.getClassLoader();

    private Object roundTrip(Object value) throws Exception {
        return Payloads.deserialize(Payloads.serialize(value), loader);
    }

    @Test
    void simpleValuesRoundTripWithoutJavaSerialization() throws Exception {
        for (Object v : List.of(42, -7L, 2.5d, true, false, "grüße ✓", "")) {
            assertEquals(v, roundTrip(v));
            assertTrue(Payloads.serialize(v)[0] != PayloadFormat.OBJECT, "written directly: " + v);
        }
        assertEquals(5, Payloads.serialize(42).length);
        byte[] bytes = "payload".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(bytes, (byte[]) roundTrip(bytes));
        assertArrayEquals(new byte[0], (byte[]) roundTrip(new byte[0]));
    }

    @Test
    void aSimplePayloadOfTheWrongLengthIsRefused() {
        assertThrows(IOException.class, () -> Payloads.deserialize(new byte[] {PayloadFormat.INTEGER, 1, 2}, loader));
        assertThrows(IOException.class, () -> Payloads.deserialize(new byte[] {PayloadFormat.NULL, 0}, loader));
        assertThrows(IOException.class, () -> Payloads.deserialize(new byte[0], loader));
        assertThrows(IOException.class, () -> Payloads.deserialize(new byte[] {99, 1}, loader));
    }

    @Test
    void theFilterStillSeesSimpleValues() {
        SerialFilter noBytes = SerialFilter.of("maxarray=2");
        RejectedClassException e = assertThrows(RejectedClassException.class,
                () -> Payloads.deserialize(Payloads.serialize(new byte[3]), loader, noBytes));
        assertTrue(e.getMessage().contains("byte"), e.getMessage());
    }

    /** A mutable value: the reused writer must snapshot it each time, not refer back to the first write. */
    static final class Box implements Serializable {
        private static final long serialVersionUID = 1L;
        final List<String> items = new ArrayList<>();
    }

    @Test
    void reusedStreamsShareNothingBetweenPayloads() throws Exception {
        Box box = new Box();
        box.items.add("a");
        byte[] first = Payloads.serialize(box);
        box.items.add("b");
        byte[] second = Payloads.serialize(box);
        Box one = (Box) Payloads.deserialize(first, loader);
        Box two = (Box) Payloads.deserialize(second, loader);
        assertEquals(List.of("a"), one.items);
        assertEquals(List.of("a", "b"), two.items);
        assertNotSame(one.items, two.items);
        // the same bytes read twice give two objects
        assertNotSame(Payloads.deserialize(first, loader), Payloads.deserialize(first, loader));
    }

    @Test
    void manyPayloadsInARowOnOneThreadAllReadBack() throws Exception {
        for (int i = 0; i < 25_000; i++) {
            int[] v = {i};
            assertArrayEquals(v, (int[]) roundTrip(v));
        }
    }

    @Test
    void largeValuesRoundTrip() throws Exception {
        int[] big = new int[600_000];
        Arrays.setAll(big, i -> i * 7);
        assertArrayEquals(big, (int[]) roundTrip(big));
        assertEquals(List.of(1, 2), roundTrip(new ArrayList<>(List.of(1, 2))));
    }

    /** Serializes another payload from inside its own writeObject, as a user class may. */
    static final class Nested implements Serializable {
        private static final long serialVersionUID = 1L;
        byte[] inner;

        private void writeObject(ObjectOutputStream out) throws IOException {
            inner = Payloads.serialize(new ArrayList<>(List.of("inner")));
            out.defaultWriteObject();
        }
    }

    @Test
    void aPayloadWrittenInsideAnotherIsIndependent() throws Exception {
        Nested back = (Nested) roundTrip(new Nested());
        assertEquals(List.of("inner"), Payloads.deserialize(back.inner, loader));
    }

    @Test
    void aClassThatDiffersBetweenWriterAndReaderIsAClearError() throws Exception {
        byte[] data = Payloads.serialize(new Box());
        // the thin descriptor of Box: name, serialVersionUID 1, then the layout fingerprint; change the fingerprint
        byte[] name = Box.class.getName().getBytes(StandardCharsets.UTF_8);
        int at = indexOf(data, name) + name.length + 8;
        data[at] ^= 0x55;
        InvalidClassException e = assertThrows(InvalidClassException.class, () -> Payloads.deserialize(data, loader));
        assertTrue(e.getMessage().contains("same jars and Java version"), e.getMessage());
        // the thread's reader was dropped with the failure: the next read works
        assertEquals(List.of(), ((Box) roundTrip(new Box())).items);
    }

    @Test
    @SuppressWarnings("unchecked")
    void lambdasTravelCompactlyEvenInsideEachOther() throws Exception {
        int k = 4;
        org.jparallel.Task<Integer, Integer> inner = s -> s * k;
        org.jparallel.Task<Integer, Integer> outer = s -> inner.run(s) + 1;
        org.jparallel.Task<Integer, Integer> noCapture = s -> -s;
        byte[] data = Payloads.serialize(outer);
        assertEquals(-1, indexOf(data, "SerializedLambda".getBytes(StandardCharsets.UTF_8), true),
                "written in the compact form");
        assertEquals(13, ((org.jparallel.Task<Integer, Integer>) Payloads.deserialize(data, loader)).run(3));
        assertEquals(-3, ((org.jparallel.Task<Integer, Integer>) roundTrip(noCapture)).run(3));
        // read many times on one thread: the description is decoded once and reused
        for (int i = 0; i < 1_000; i++) {
            assertEquals(13, ((org.jparallel.Task<Integer, Integer>) Payloads.deserialize(data, loader)).run(3));
        }
    }

    @Test
    void theFilterSeesALambdasCapturingClass() {
        org.jparallel.Task<Integer, Integer> task = s -> s;
        SerialFilter noTests = SerialFilter.of("!" + PayloadFormatTest.class.getName());
        RejectedClassException e = assertThrows(RejectedClassException.class,
                () -> Payloads.deserialize(Payloads.serialize(task), loader, noTests));
        assertTrue(e.getMessage().contains(PayloadFormatTest.class.getName()), e.getMessage());
    }

    private static int indexOf(byte[] data, byte[] part) {
        int at = indexOf(data, part, true);
        if (at < 0) {
            throw new AssertionError("not found");
        }
        return at;
    }

    private static int indexOf(byte[] data, byte[] part, boolean orMinusOne) {
        for (int i = 0; i + part.length <= data.length; i++) {
            if (Arrays.equals(data, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        return -1;
    }
}
