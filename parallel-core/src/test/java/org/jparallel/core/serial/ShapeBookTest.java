package org.jparallel.core.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import org.jparallel.Task;
import org.junit.jupiter.api.Test;

/** A task's lambda shape goes to a worker once, and its payloads refer to it by number. */
class ShapeBookTest {
    private static byte[] bytes(SendablePayload p) {
        ByteBuffer b = p.bytes().duplicate();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    private static Task<Void, Integer> task(int k) {
        return s -> k * 2;
    }

    @Test
    @SuppressWarnings("unchecked")
    void aLambdaTaskRefersToItsShapeByNumberAndReadsBackWithTheBook() throws Exception {
        SendablePayload sent = Payloads.serializeForSending(task(21), Integer.MAX_VALUE);
        assertEquals(1, sent.shapes().length);
        byte[] carried = Payloads.serialize(task(21));
        assertTrue(bytes(sent).length + 100 < carried.length,
                "by number: " + bytes(sent).length + " bytes, carried: " + carried.length);
        ShapeBook book = new ShapeBook();
        book.define(sent.shapes()[0], ShapeBook.describe(sent.shapes()[0]));
        Object back = Payloads.deserialize(bytes(sent), new byte[0][], book, getClass().getClassLoader(),
                SerialFilter.defaults());
        assertEquals(42, ((Task<Void, Integer>) back).run(null));
    }

    @Test
    void everyTaskFromOnePlaceInTheCodeRefersToTheSameShape() {
        assertEquals(Payloads.serializeForSending(task(1), Integer.MAX_VALUE).shapes()[0],
                Payloads.serializeForSending(task(2), Integer.MAX_VALUE).shapes()[0]);
    }

    @Test
    void aShapeTheManagerDidNotSendIsAClearError() {
        SendablePayload sent = Payloads.serializeForSending(task(1), Integer.MAX_VALUE);
        StreamCorruptedException e = assertThrows(StreamCorruptedException.class, () -> Payloads.deserialize(
                bytes(sent), new byte[0][], new ShapeBook(), getClass().getClassLoader(), SerialFilter.defaults()));
        assertTrue(e.getMessage().contains("did not send"), e.getMessage());
    }

    @Test
    void aResultOrSetupCarriesItsShape() throws Exception {
        byte[] carried = Payloads.serialize(task(3));
        assertNotNull(Payloads.deserialize(carried, getClass().getClassLoader()), "read without any book");
    }

    @Test
    void anOverlongShapeIsRefused() {
        assertThrows(StreamCorruptedException.class,
                () -> new ShapeBook().define(1, new byte[CompactLambda.MAX_SHAPE_BYTES + 1]));
    }
}
