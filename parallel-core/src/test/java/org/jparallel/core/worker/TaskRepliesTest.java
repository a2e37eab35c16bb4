package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.serial.Payloads;
import org.jparallel.core.serial.RemoteFailure;
import org.junit.jupiter.api.Test;

/**
 * A result the worker cannot send fails its task as the result's fault, saying why in terms of the result (not
 * with the advice on lambda captures meant for tasks), and the next result goes out as usual.
 */
class TaskRepliesTest {
    private static final String NOT_SERIALIZABLE = "org.jparallel.ResultNotSerializableException";

    private final TaskReplies replies = new TaskReplies(() -> ByteBufAllocator.DEFAULT, 64 << 20);

    /** One link of a chain that default serialization writes by recursion, a stack frame or more per link. */
    static final class Node implements Serializable {
        private static final long serialVersionUID = 1L;
        final Node next;

        Node(Node next) {
            this.next = next;
        }
    }

    private RemoteFailure failure(Message m, long taskId) throws Exception {
        Message.Failure f = assertInstanceOf(Message.Failure.class, m);
        assertEquals(taskId, f.taskId());
        return Payloads.deserializeFailure(f.payload());
    }

    private void nextResultGoesOut() throws Exception {
        ArrayList<String> next = new ArrayList<>(List.of("next")); // through the object writer, not a String's path
        Message.Result r = assertInstanceOf(Message.Result.class, replies.result(2, System.nanoTime(), next));
        assertEquals(next, Payloads.deserialize(r.payload(), TaskRepliesTest.class.getClassLoader()));
    }

    @Test
    void aResultTooDeepToSerializeFailsItsTaskAsTheResultsFaultNotAsAStackOverflowOfTheTask() throws Exception {
        Node chain = null;
        for (int i = 0; i < 200_000; i++) {
            chain = new Node(chain);
        }
        RemoteFailure f = failure(replies.result(1, System.nanoTime(), chain), 1);
        assertEquals(NOT_SERIALIZABLE, f.className());
        assertTrue(f.message().startsWith("the task ran, but its result (a " + Node.class.getName()
                + ") cannot be sent (object graph too deep)"), f.message());
        assertFalse(f.message().contains("lambda"), f.message());
        nextResultGoesOut();
    }

    @Test
    void aResultNotSerializableNamesTheClassWithoutTheAdviceForTasks() throws Exception {
        RemoteFailure f = failure(replies.result(1, System.nanoTime(), List.of(new Object())), 1);
        assertEquals(NOT_SERIALIZABLE, f.className());
        assertTrue(f.message().contains("class java.lang.Object is not Serializable"), f.message());
        assertFalse(f.message().contains("lambda"), "the advice on captures is for tasks: " + f.message());
        nextResultGoesOut();
    }
}
