package org.jparallel.core.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import org.jparallel.Task;
import org.jparallel.core.leaks.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A task's lambda shape goes to a worker once, and its payloads refer to it by number. */
@ExtendWith(NoLeaks.class)
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
    @SuppressWarnings("unchecked")
    void aFilterThatRefusesTheTaskClassRefusesItAfterOtherFiltersAllowedItOnTheSameThread() throws Exception {
        SendablePayload sent = Payloads.serializeForSending(task(5), Integer.MAX_VALUE);
        ShapeBook book = new ShapeBook();
        book.define(sent.shapes()[0], ShapeBook.describe(sent.shapes()[0]));
        ClassLoader loader = getClass().getClassLoader();
        for (int i = 0; i < 3; i++) { // the reader remembers the verdicts of the filter it read with
            assertEquals(10, ((Task<Void, Integer>) Payloads.deserialize(bytes(sent), new byte[0][], book, loader,
                    SerialFilter.defaults())).run(null));
        }
        SerialFilter noTasksOfThisClass = SerialFilter.of("!" + ShapeBookTest.class.getName());
        RejectedClassException e = assertThrows(RejectedClassException.class,
                () -> Payloads.deserialize(bytes(sent), new byte[0][], book, loader, noTasksOfThisClass));
        assertTrue(e.getMessage().contains(ShapeBookTest.class.getName()), e.getMessage());
        SerialFilter noIntegers = SerialFilter.of("!java.lang.Integer");
        assertThrows(RejectedClassException.class,
                () -> Payloads.deserialize(bytes(sent), new byte[0][], book, loader, noIntegers));
        assertThrows(RejectedClassException.class, // refused again: a refusal is not remembered as allowed
                () -> Payloads.deserialize(bytes(sent), new byte[0][], book, loader, noIntegers));
        assertEquals(10, ((Task<Void, Integer>) Payloads.deserialize(bytes(sent), new byte[0][], book, loader,
                SerialFilter.defaults())).run(null));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aShapeNumberRedefinedWithAnotherShapeReadsAsTheNewShape() throws Exception {
        SendablePayload doubling = Payloads.serializeForSending(task(4), Integer.MAX_VALUE);
        Task<Void, Integer> plusOne = s -> 4 + 1;
        int other = Payloads.serializeForSending(plusOne, Integer.MAX_VALUE).shapes()[0];
        ShapeBook book = new ShapeBook();
        int id = doubling.shapes()[0];
        ClassLoader loader = getClass().getClassLoader();
        book.define(id, ShapeBook.describe(id));
        assertEquals(8, ((Task<Void, Integer>) Payloads.deserialize(bytes(doubling), new byte[0][], book, loader,
                SerialFilter.defaults())).run(null));
        book.define(id, ShapeBook.describe(other)); // a new connection's numbering, say: the book is the truth
        assertEquals(5, ((Task<Void, Integer>) Payloads.deserialize(bytes(doubling), new byte[0][], book, loader,
                SerialFilter.defaults())).run(null), "the shape the number names now (its captured value unused)");
    }

    @Test
    void anOverlongShapeIsRefused() {
        assertThrows(StreamCorruptedException.class,
                () -> new ShapeBook().define(1, new byte[CompactLambda.MAX_SHAPE_BYTES + 1]));
    }
}
