package org.jparallel.core.dispatch;

import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.serial.SendablePayload;

/**
 * A serialized task as the manager keeps it until the task completes (to send it again after a
 * failover). A big one is moved outside the Java heap once, when it is queued: a program that queues
 * thousands of 100 KB tasks at once otherwise has the garbage collector copy hundreds of megabytes
 * of waiting payloads at every young collection (a fifth of the manager's time, measured), and a
 * heap payload is copied again into a direct buffer each time it is written to a socket. The
 * direct buffer is freed when the task completes ({@link #free}), or else by the garbage collector
 * with this object; when direct memory runs out, the payload stays on the heap. Touched only on the
 * dispatcher thread, except {@link #of} on the thread that queues the task.
 */
final class TaskPayload {
    /** Payloads from this size on are kept outside the heap; smaller ones are copied into their frame anyway. */
    static final int DIRECT_FROM = 32 * 1024;

    private final byte[] heap;
    private final ByteBuffer direct;
    private final int[] shapes;
    private boolean freed;

    private TaskPayload(byte[] heap, ByteBuffer direct, int[] shapes) {
        this.heap = heap;
        this.direct = direct;
        this.shapes = shapes;
    }

    /** @return the numbers of the lambda shapes the payload refers to (see {@code ShapeBook}) */
    int[] shapes() {
        return shapes;
    }

    /** @return the payload, moved outside the heap when it is big and direct memory allows */
    static TaskPayload of(byte[] bytes) {
        if (bytes.length < DIRECT_FROM) {
            return new TaskPayload(bytes, null, SendablePayload.NO_SHAPES);
        }
        ByteBuffer b;
        try {
            b = ByteBuffer.allocateDirect(bytes.length);
        } catch (OutOfMemoryError e) {
            return new TaskPayload(bytes, null, SendablePayload.NO_SHAPES); // the direct memory limit: the heap it is
        }
        b.put(bytes).flip();
        return new TaskPayload(null, b, SendablePayload.NO_SHAPES); // never written again: sends read duplicates
    }

    /**
     * @return the payload as written for sending: a direct buffer is kept as it is, a heap one
     *     taken as its array
     */
    static TaskPayload of(SendablePayload written) {
        ByteBuffer w = written.bytes();
        if (w.isDirect()) {
            return new TaskPayload(null, w, written.shapes());
        }
        if (w.hasArray() && w.arrayOffset() == 0 && w.position() == 0 && w.limit() == w.array().length) {
            return new TaskPayload(w.array(), null, written.shapes());
        }
        byte[] copy = new byte[w.remaining()];
        w.duplicate().get(copy);
        return new TaskPayload(copy, null, written.shapes());
    }

    /** @return the TASK message that carries this payload */
    Message message(long taskId, int contextId) {
        if (freed) {
            throw new IllegalStateException("the payload was freed"); // a bug, not a state to handle
        }
        return heap != null ? new Message.Task(taskId, contextId, heap)
                : new Message.BufferedTask(taskId, contextId, direct);
    }

    /**
     * Frees the payload's direct memory now; it must not be sent again. Does nothing for a heap one.
     */
    void free() {
        if (direct != null && !freed) {
            freed = true;
            PlatformDependent.freeDirectBuffer(direct);
        }
    }

    /** @return true when the payload is kept outside the heap */
    boolean isDirect() {
        return direct != null;
    }
}
