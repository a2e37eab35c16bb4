package org.jparallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A failed task names its key, when it was given one, in {@code getKey()} and in its message. */
class TaskFailedExceptionTest {

    /**
     * {@code new TaskFailedException(7, "it threw", List.of())}, its stack trace emptied, serialized by the class
     * as it was before it had a key (main at 5b84ce6).
     */
    private static final String BEFORE_KEYS = "rO0ABXNyACFvcmcuanBhcmFsbGVsLlRhc2tGYWlsZWRFeGNlcHRpb24AAAAAAAAAAQIAAkoA"
            + "BnRhc2tJZEwACGF0dGVtcHRzdAAQTGphdmEvdXRpbC9MaXN0O3hyACBvcmcuanBhcmFsbGVsLkpQYXJhbGxlbEV4Y2VwdGlvbgAAAAAA"
            + "AAABAgAAeHIAGmphdmEubGFuZy5SdW50aW1lRXhjZXB0aW9unl8GRwo0g+UCAAB4cgATamF2YS5sYW5nLkV4Y2VwdGlvbtD9Hz4aOxzE"
            + "AgAAeHIAE2phdmEubGFuZy5UaHJvd2FibGXVxjUnOXe4ywMABEwABWNhdXNldAAVTGphdmEvbGFuZy9UaHJvd2FibGU7TAANZGV0YWls"
            + "TWVzc2FnZXQAEkxqYXZhL2xhbmcvU3RyaW5nO1sACnN0YWNrVHJhY2V0AB5bTGphdmEvbGFuZy9TdGFja1RyYWNlRWxlbWVudDtMABRz"
            + "dXBwcmVzc2VkRXhjZXB0aW9uc3EAfgABeHBwdAAXVGFzayA3IGZhaWxlZDogaXQgdGhyZXd1cgAeW0xqYXZhLmxhbmcuU3RhY2tUcmFj"
            + "ZUVsZW1lbnQ7AkYqPDz9IjkCAAB4cAAAAABzcgAfamF2YS51dGlsLkNvbGxlY3Rpb25zJEVtcHR5TGlzdHq4F7Q8p57eAgAAeHB4AAAA"
            + "AAAAAAdzcgARamF2YS51dGlsLkNvbGxTZXJXjqu2OhuoEQMAAUkAA3RhZ3hwAAAAAXcEAAAAAHg=";

    @Test
    void aKeyedTaskNamesItsKeyInGetKeyAndInTheMessage() {
        TaskFailedException e = new TaskFailedException(42, "img-0007.png", "it threw boom", List.of());
        assertEquals(42, e.getTaskId());
        assertEquals(Optional.of("img-0007.png"), e.getKey());
        assertEquals("Task 42 (key 'img-0007.png') failed: it threw boom", e.getMessage());
    }

    @Test
    void aTaskWithoutAKeyHasNoneAndItsMessageIsAsBefore() {
        TaskFailedException e = new TaskFailedException(42, "it threw boom", List.of());
        assertEquals(Optional.empty(), e.getKey());
        assertEquals("Task 42 failed: it threw boom", e.getMessage());
        assertEquals(Optional.empty(), new TaskFailedException(42, null, "it threw boom", List.of()).getKey());
    }

    @Test
    void aSetupFailureNamesTheKeyOfTheTaskItFailed() {
        RemoteTaskException setup = new RemoteTaskException("java.io.FileNotFoundException", "model.bin",
                new StackTraceElement[0], null);
        SetupFailedException e = new SetupFailedException(3, "k3", "the setup threw", List.of(), setup);
        assertEquals(Optional.of("k3"), e.getKey());
        assertTrue(e.getMessage().startsWith("Task 3 (key 'k3') failed: "), e.getMessage());
        assertSame(setup, e.getSetupException());
    }

    @Test
    void theKeySurvivesSerialization() throws Exception {
        TaskFailedException e = new TaskFailedException(42, "img-0007.png", "it threw boom", List.of());
        TaskFailedException back = assertInstanceOf(TaskFailedException.class, deserialize(serialize(e)));
        assertEquals(Optional.of("img-0007.png"), back.getKey());
        assertEquals(e.getMessage(), back.getMessage());
    }

    @Test
    void oneSerializedBeforeKeysReadsBackWithNoKey() throws Exception {
        TaskFailedException back = assertInstanceOf(TaskFailedException.class,
                deserialize(Base64.getDecoder().decode(BEFORE_KEYS)));
        assertEquals(7, back.getTaskId());
        assertEquals(Optional.empty(), back.getKey());
        assertEquals("Task 7 failed: it threw", back.getMessage());
        assertEquals(List.of(), back.getAttempts());
    }

    private static byte[] serialize(Object o) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        return b.toByteArray();
    }

    private static Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        }
    }
}
