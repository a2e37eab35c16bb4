package org.jparallel.core.dispatch;

import io.netty.util.internal.CleanableDirectBuffer;
import java.nio.ByteBuffer;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.serial.DirectMemory;
import org.jparallel.core.serial.SendablePayload;

/**
 * How the manager keeps a serialized task until it completes (to send it again after a failover):
 * as a {@code byte[]}, or, when big, outside the Java heap. A big one is moved out once, when it is
 * queued: a program that queues thousands of 100 KB tasks at once otherwise has the garbage
 * collector copy hundreds of megabytes of waiting payloads at every young collection, and a heap
 * payload is copied again into a direct buffer each time it is
 * written to a socket. The direct buffer is released when the task completes ({@link #free}), or else
 * by the garbage collector (see {@link DirectMemory}); when direct memory runs out, the payload stays
 * on the heap.
 *
 * <p>The kept form is a plain {@code Object} (a {@code byte[]}, a {@link CleanableDirectBuffer}, or
 * {@link #FREED}) held by {@link QueuedTask} itself: a wrapper object per task would be one more
 * object for the collector to copy for every queued task.
 */
final class TaskPayload {
    /** Payloads from this size on are kept outside the heap; smaller ones are copied into their frame anyway. */
    static final int DIRECT_FROM = 32 * 1024;
    /** A kept payload after {@link #free}. */
    static final Object FREED = new Object();

    private TaskPayload() {
    }

    /** @return the payload to keep: moved outside the heap when it is big and direct memory allows */
    static Object keep(byte[] bytes) {
        if (bytes.length < DIRECT_FROM) {
            return bytes;
        }
        CleanableDirectBuffer direct = DirectMemory.allocate(bytes.length);
        if (direct == null) {
            return bytes; // the direct memory limit: the heap it is
        }
        direct.buffer().put(bytes).flip();
        return direct; // never written again: sends read duplicates
    }

    /**
     * @return the payload as written for sending, to keep: a direct buffer is kept as it is, a heap one
     *     taken as its array
     */
    static Object keep(SendablePayload written) {
        if (!(written.kept() instanceof ByteBuffer w)) {
            return written.kept(); // a byte[] or a CleanableDirectBuffer
        }
        if (w.hasArray() && w.arrayOffset() == 0 && w.position() == 0 && w.limit() == w.array().length) {
            return w.array();
        }
        byte[] copy = new byte[w.remaining()];
        w.duplicate().get(copy);
        return copy;
    }

    /** @return the TASK message that carries a kept payload */
    static Message message(Object kept, long taskId, int contextId) {
        if (kept instanceof byte[] heap) {
            return new Message.Task(taskId, contextId, heap);
        }
        if (kept == FREED) {
            throw new IllegalStateException("the payload was freed"); // a bug, not a state to handle
        }
        return new Message.BufferedTask(taskId, contextId, ((CleanableDirectBuffer) kept).buffer());
    }

    /**
     * Frees a kept payload's direct memory now; it must not be sent again.
     *
     * @return what to keep from now on: {@link #FREED} for a direct one, a heap one as it is
     */
    static Object free(Object kept) {
        if (kept instanceof CleanableDirectBuffer direct) {
            direct.clean(); // its memory may serve the next big payload (DirectMemory's pool)
            return FREED;
        }
        return kept;
    }

    /** @return true when a kept payload is outside the heap */
    static boolean isDirect(Object kept) {
        return kept instanceof CleanableDirectBuffer;
    }
}
