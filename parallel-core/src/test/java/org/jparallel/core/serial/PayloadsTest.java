package org.jparallel.core.serial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jparallel.JParallelException;
import org.jparallel.RemoteTaskException;
import org.jparallel.Setup;
import org.jparallel.Task;
import org.junit.jupiter.api.Test;

class PayloadsTest {
    private final ClassLoader loader = PayloadsTest.class.getClassLoader();

    /** Not Serializable: a task that captures it cannot be sent. */
    static final class Model {
        int size() {
            return 3;
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aLambdaTaskRoundTripsAndRuns() throws Exception {
        int k = 5;
        String label = "x";
        Task<Integer, String> task = s -> label + (s * k);
        Object back = Payloads.deserialize(Payloads.serialize(task), loader);
        Task<Integer, String> t = (Task<Integer, String>) assertInstanceOf(Task.class, back);
        assertEquals("x15", t.run(3));
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAllowListOfTheUsersClassesAndJavaBaseAcceptsALambdaTask() throws Exception {
        // the allow-list docs/security.md shows: the user's own classes, java.base, nothing else;
        // the payload's own carrier classes (the compact lambda) must not need a pattern of their own
        SerialFilter allowList = SerialFilter.of(PayloadsTest.class.getName() + "*;java.base/*;!*");
        int k = 6;
        Task<Void, Integer> task = s -> k * 7;
        Object back = Payloads.deserialize(Payloads.serialize(task), getClass().getClassLoader(), allowList);
        assertEquals(42, ((Task<Void, Integer>) back).run(null));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aLambdaSetupRoundTripsAndRuns() throws Exception {
        List<String> captured = new ArrayList<>(List.of("a", "b"));
        Setup<Integer> setup = captured::size;
        Setup<Integer> back = (Setup<Integer>) Payloads.deserialize(Payloads.serialize(setup), loader);
        assertEquals(2, back.setup());
    }

    @Test
    void valuesRoundTrip() throws Exception {
        Map<String, int[]> m = new HashMap<>();
        m.put("k", new int[] {1, 2, 3});
        @SuppressWarnings("unchecked")
        Map<String, int[]> back = (Map<String, int[]>) Payloads.deserialize(Payloads.serialize(m), loader);
        assertArrayEquals(new int[] {1, 2, 3}, back.get("k"));
        assertNull(Payloads.deserialize(Payloads.serialize(null), loader));
    }

    @Test
    void aNonSerializableCaptureGivesAJParallelExceptionNamingTheClass() {
        Model model = new Model();
        Task<Void, Integer> task = s -> model.size();
        JParallelException e = assertThrows(JParallelException.class, () -> Payloads.serialize(task));
        assertTrue(e.getMessage().contains(Model.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("is not Serializable"), e.getMessage());
    }

    @Test
    void aNonSerializableValueGivesAJParallelExceptionNamingTheClass() {
        JParallelException e = assertThrows(JParallelException.class, () -> Payloads.serialize(new Object()));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    }

    @Test
    void garbageBytesGiveAnIOException() {
        assertThrows(IOException.class, () -> Payloads.deserialize(new byte[] {1, 2, 3, 4}, loader));
    }

    private static RemoteFailure nestedFailure() {
        IllegalStateException outer = new IllegalStateException("outer", new UncheckedIOException(
                new IOException("inner")));
        return RemoteFailure.of(outer);
    }

    @Test
    void deserializeFailureAcceptsARemoteFailureWithItsCauseChain() throws IOException {
        RemoteFailure f = nestedFailure();
        RemoteFailure back = Payloads.deserializeFailure(Payloads.serialize(f));
        assertEquals("java.lang.IllegalStateException", back.className());
        assertEquals("outer", back.message());
        assertArrayEquals(f.stackTrace(), back.stackTrace());
        assertTrue(back.stackTrace().length > 0);
        assertEquals("java.io.UncheckedIOException", back.cause().className());
        assertEquals("java.io.IOException", back.cause().cause().className());
        assertEquals("inner", back.cause().cause().message());
        assertNull(back.cause().cause().cause());
    }

    @Test
    void deserializeFailureAcceptsASyntheticFailureWithNullMessage() throws IOException {
        RemoteFailure f = RemoteFailure.synthetic("org.jparallel.SetupFailedException", null, null);
        RemoteFailure back = Payloads.deserializeFailure(Payloads.serialize(f));
        assertEquals("org.jparallel.SetupFailedException", back.className());
        assertNull(back.message());
        assertEquals(0, back.stackTrace().length);
        assertNull(back.cause());
    }

    @Test
    void deserializeFailureRejectsASerializedArrayList() {
        ArrayList<Object> list = new ArrayList<>(List.of(nestedFailure()));
        assertThrows(IOException.class, () -> Payloads.deserializeFailure(Payloads.serialize(list)));
    }

    @Test
    void deserializeFailureRejectsASerializedHashMap() {
        HashMap<String, String> map = new HashMap<>(Map.of("a", "b"));
        assertThrows(IOException.class, () -> Payloads.deserializeFailure(Payloads.serialize(map)));
    }

    @Test
    void deserializeFailureRejectsAnAllowedClassThatIsNotARemoteFailure() {
        IOException e = assertThrows(IOException.class, () -> Payloads.deserializeFailure(Payloads.serialize("a string")));
        assertTrue(e.getMessage().contains("not a serialized remote failure"), e.getMessage());
        assertThrows(IOException.class, () -> Payloads.deserializeFailure(Payloads.serialize(new IllegalStateException("x"))));
        assertThrows(IOException.class, () -> Payloads.deserializeFailure(Payloads.serialize(Integer.valueOf(1))));
    }

    @Test
    void deserializeFailureRejectsGarbage() {
        assertThrows(IOException.class, () -> Payloads.deserializeFailure(new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5, 9}));
        assertThrows(IOException.class, () -> Payloads.deserializeFailure(new byte[0]));
    }

    @Test
    void remoteFailureToExceptionKeepsClassNameMessageStackTraceAndCause() {
        RemoteFailure f = nestedFailure();
        RemoteTaskException e = f.toException();
        assertEquals("java.lang.IllegalStateException", e.getRemoteClassName());
        assertEquals("outer", e.getRemoteMessage());
        assertEquals("java.lang.IllegalStateException: outer", e.toString());
        assertArrayEquals(f.stackTrace(), e.getStackTrace());
        RemoteTaskException cause = assertInstanceOf(RemoteTaskException.class, e.getCause());
        assertEquals("java.io.UncheckedIOException", cause.getRemoteClassName());
        assertArrayEquals(f.cause().stackTrace(), cause.getStackTrace());
        RemoteTaskException root = assertInstanceOf(RemoteTaskException.class, cause.getCause());
        assertEquals("java.io.IOException", root.getRemoteClassName());
        assertEquals("inner", root.getRemoteMessage());
        assertNull(root.getCause());
    }

    @Test
    void remoteFailureOfARemoteTaskExceptionKeepsTheRemoteClassName() {
        RemoteTaskException remote = new RemoteTaskException("com.example.Oops", "bad", new StackTraceElement[0], null);
        RemoteFailure f = RemoteFailure.of(remote);
        assertEquals("com.example.Oops", f.className());
        assertEquals("bad", f.message());
    }

    @Test
    void remoteFailureOfACyclicCauseChainStops() {
        Exception a = new Exception("a");
        Exception b = new Exception("b", a);
        a.initCause(b);
        RemoteFailure f = RemoteFailure.of(a);
        assertNotNull(f.cause());
        assertEquals("b", f.cause().message());
        assertNull(f.cause().cause());
    }
}
