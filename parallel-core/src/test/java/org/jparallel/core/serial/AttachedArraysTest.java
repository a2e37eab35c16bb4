package org.jparallel.core.serial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import org.jparallel.Task;
import org.jparallel.core.leaks.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Big byte arrays of a task travel beside its serialization stream (payload format 17). */
@ExtendWith(NoLeaks.class)
class AttachedArraysTest {
    private static final int BIG = AttachedArray.FROM_BYTES;

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 13 + seed);
        }
        return b;
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    private static Object read(byte[] payload) throws Exception {
        return Payloads.deserialize(payload, AttachedArraysTest.class.getClassLoader(), SerialFilter.defaults());
    }

    /** A task class with two fields that may hold the same array. */
    record Pair(byte[] a, byte[] b) implements Serializable {
    }

    @Test
    @SuppressWarnings("unchecked")
    void aLambdaCapturingABigArrayIsWrittenWithTheArrayAttachedAndReadsBackEqual() throws Exception {
        byte[] data = bytes(BIG + 100, 1);
        Task<Void, byte[]> task = s -> data;
        SendablePayload sent = Payloads.serializeForSending(task, Integer.MAX_VALUE);
        ByteBuffer out = sent.bytes();
        assertFalse(out.isDirect(), "under its direct threshold: on the heap");
        byte[] payload = toArray(out);
        assertEquals(PayloadFormat.WITH_ARRAYS, payload[0]);
        assertEquals(1, ByteBuffer.wrap(payload, 1, 4).getInt(), "one attached array");
        assertEquals(data.length, ByteBuffer.wrap(payload, 5, 4).getInt());
        ShapeBook book = new ShapeBook();
        for (int id : sent.shapes()) {
            book.define(id, ShapeBook.describe(id)); // as the dispatcher's SHAPE messages do
        }
        byte[] back = ((Task<Void, byte[]>) Payloads.deserialize(payload, new byte[0][], book,
                getClass().getClassLoader(), SerialFilter.defaults())).run(null);
        assertArrayEquals(data, back);
    }

    /** Reads a task as a worker does (its arrays split off) and runs it; @return a weak reference to its array. */
    @SuppressWarnings("unchecked")
    private static java.lang.ref.WeakReference<byte[]> readAndRunAsAWorker(SendablePayload sent) throws Exception {
        byte[][][] split = PayloadReader.split(toArray(sent.bytes()));
        ShapeBook book = new ShapeBook();
        for (int id : sent.shapes()) {
            book.define(id, ShapeBook.describe(id));
        }
        Task<Void, byte[]> task = (Task<Void, byte[]>) Payloads.deserialize(split[1][0], split[0], book,
                AttachedArraysTest.class.getClassLoader(), SerialFilter.defaults());
        byte[] array = task.run(null);
        assertSame(split[0][0], array, "the task holds the attached array itself");
        return new java.lang.ref.WeakReference<>(array);
    }

    @Test
    void aReadTasksAttachedArrayIsNotKeptByTheReaderOnceTheTaskIsDropped() throws Exception {
        byte[] data = bytes(4 * BIG, 5);
        Task<Void, byte[]> task = s -> data;
        java.lang.ref.WeakReference<byte[]> read = readAndRunAsAWorker(Payloads.serializeForSending(task, Integer.MAX_VALUE));
        // a worker allocates the next task's array before it reads that task: the last one must be garbage by
        // then (a 16 MB array kept by the stream's handle table took fresh heap for every next one)
        for (int i = 0; i < 10 && read.get() != null; i++) {
            System.gc();
        }
        assertTrue(read.get() == null, "the array of a task read and dropped is unreachable");
    }

    @Test
    void aBigPayloadGoesIntoADirectBufferFromItsThreshold() {
        byte[] data = bytes(BIG, 2);
        Task<Void, byte[]> task = s -> data;
        ByteBuffer out = Payloads.serializeForSending(task, BIG).bytes();
        assertTrue(out.isDirect());
        assertEquals(0, out.position());
        data[0] = 99;
        int firstArrayAt = 1 + 4 + 4; // format, count, length
        assertEquals(bytes(BIG, 2)[0], out.get(firstArrayAt), "the array was copied when the task was written");
    }

    @Test
    void smallArraysStayInTheStream() {
        byte[] small = bytes(BIG - 1, 3);
        Task<Void, byte[]> task = s -> small;
        byte[] payload = toArray(Payloads.serializeForSending(task, Integer.MAX_VALUE).bytes());
        assertEquals(PayloadFormat.OBJECT, payload[0]);
    }

    @Test
    void twoReferencesToOneArrayAttachItOnceAndReadBackAsOneArray() throws Exception {
        byte[] shared = bytes(BIG, 4);
        Pair pair = new Pair(shared, shared);
        byte[] payload = toArray(Payloads.serializeForSending(pair, Integer.MAX_VALUE).bytes());
        assertEquals(1, ByteBuffer.wrap(payload, 1, 4).getInt());
        Pair back = (Pair) read(payload);
        assertSame(back.a(), back.b());
        assertArrayEquals(shared, back.a());
    }

    @Test
    void arraysSplitOffByADecoderAreReadInPlaceWithoutACopy() throws Exception {
        byte[] a = bytes(BIG, 5);
        byte[] b = bytes(BIG * 2, 6);
        byte[] payload = toArray(Payloads.serializeForSending(new Pair(a, b), Integer.MAX_VALUE).bytes());
        byte[][][] split = PayloadReader.split(payload);
        byte[][] arrays = split[0];
        Pair back = (Pair) Payloads.deserialize(split[1][0], arrays, getClass().getClassLoader(), SerialFilter.defaults());
        assertSame(arrays[0], back.a(), "the task holds the decoder's array itself");
        assertSame(arrays[1], back.b());
        assertArrayEquals(b, back.b());
    }

    @Test
    void anAttachedArrayIsCheckedAgainstTheFiltersArrayLimit() throws Exception {
        byte[] payload = toArray(Payloads.serializeForSending(new Pair(bytes(BIG, 7), null), Integer.MAX_VALUE).bytes());
        RejectedClassException e = assertThrows(RejectedClassException.class, () -> Payloads.deserialize(payload,
                getClass().getClassLoader(), SerialFilter.of("maxarray=" + (BIG - 1))));
        assertTrue(e.getMessage().contains("byte[]"), e.getMessage());
    }

    @Test
    void aStandInNamingAnArrayThatIsNotThereIsRefused() throws Exception {
        byte[] payload = toArray(Payloads.serializeForSending(new Pair(bytes(BIG, 8), null), Integer.MAX_VALUE).bytes());
        byte[][][] split = PayloadReader.split(payload);
        assertThrows(StreamCorruptedException.class, () -> Payloads.deserialize(split[1][0], new byte[0][],
                getClass().getClassLoader(), SerialFilter.defaults()));
    }

    @Test
    void aCountLongerThanThePayloadIsRefused() {
        byte[] payload = ByteBuffer.allocate(9).put(PayloadFormat.WITH_ARRAYS).putInt(1000).putInt(0).array();
        assertThrows(StreamCorruptedException.class, () -> read(payload));
    }

    @Test
    void aResultIsNeverWrittenWithAttachedArrays() throws Exception {
        byte[] payload = Payloads.serialize(new Pair(bytes(BIG, 9), null));
        assertEquals(PayloadFormat.OBJECT, payload[0]);
        assertArrayEquals(bytes(BIG, 9), ((Pair) read(payload)).a());
    }
}
