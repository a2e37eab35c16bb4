package org.jparallel.core.worker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.internal.logging.InternalLogger;
import java.io.NotSerializableException;
import java.util.function.Supplier;
import org.jparallel.RemoteTaskException;
import org.jparallel.core.protocol.FrameLimit;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.MessageEncoder;
import org.jparallel.core.serial.Payloads;
import org.jparallel.core.serial.RemoteFailure;
import org.jparallel.core.worker.startup.WorkerLogs;

/**
 * What a task's outcome becomes on the wire ({@link TaskRunner}'s, split from it): a RESULT, a big {@code byte[]}
 * result's copy in a direct buffer, or a FAILURE, a reply over the manager's frame limit made into its task's
 * failure. The buffers' allocator is asked for only by a big {@code byte[]} result, so that a fresh worker whose
 * first results are small sets none of Netty's buffers up for them (see {@link BlockingSession}).
 */
final class TaskReplies {
    private static final InternalLogger LOG = WorkerLogs.logger(TaskReplies.class);
    private static final String RESULT_TOO_LARGE = RemoteTaskException.RESULT_TOO_LARGE;
    private static final String RESULT_NOT_SERIALIZABLE = RemoteTaskException.RESULT_NOT_SERIALIZABLE;
    /** The longest message a failure too big for a frame keeps. */
    private static final int CUT_MESSAGE_CHARS = 4096;

    private final Supplier<ByteBufAllocator> alloc;
    private final int maxFrameBytes;

    /**
     * @param alloc gives the allocator of the buffers big {@code byte[]} results are copied into, when one comes
     * @param maxFrameBytes the manager's frame limit (from WELCOME)
     */
    TaskReplies(Supplier<ByteBufAllocator> alloc, int maxFrameBytes) {
        this.alloc = alloc;
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * @param result what the task returned
     * @param start {@link System#nanoTime()} when the task's work began: its reply's work time runs until the reply is made
     * @return the reply to the task: its result, or its failure when the result is over the frame limit
     */
    Message result(long taskId, long start, Object result) {
        if (result instanceof byte[] bytes && bytes.length >= TaskRunner.BUFFER_RESULTS_FROM) {
            String tooBig = FrameLimit.resultTooBig(taskId, 1L + bytes.length, maxFrameBytes);
            if (tooBig != null) {
                return failure(taskId, RemoteFailure.synthetic(RESULT_TOO_LARGE, tooBig, null));
            }
            // one copy, now, into a buffer the socket takes as it is; the array is the task's again. Room
            // in front for the frame's head: one buffer, one socket write (a head of its own was a
            // write and a TCP segment of 18 bytes per result on the blocking transport)
            int head = MessageEncoder.RESULT_HEAD;
            ByteBuf copy = alloc.get().directBuffer(head + bytes.length).writerIndex(head).readerIndex(head)
                    .writeBytes(bytes);
            return new Message.BufferedResult(taskId, micros(start), copy);
        }
        byte[] payload;
        try {
            payload = Payloads.serialize(result);
        } catch (RuntimeException e) { // not Serializable, or its writeObject threw: the result's fault, not the task's
            Throwable why = e instanceof org.jparallel.JParallelException && e.getCause() != null ? e.getCause() : e;
            String what = why instanceof NotSerializableException ? "class " + why.getMessage() + " is not Serializable"
                    + " (a result, and everything it refers to, must be)" : why.toString();
            return notSerializable(taskId, result, ": " + what, why);
        } catch (StackOverflowError e) { // serialization recurses once per reference: a long linked chain, say
            return notSerializable(taskId, result, " (object graph too deep): serializing it overflowed the stack of"
                    + " the task's thread; return a flatter result (an array or list rather than a long chain of"
                    + " references)", null);
        }
        String tooBig = FrameLimit.resultTooBig(taskId, payload.length, maxFrameBytes);
        if (tooBig != null) {
            return failure(taskId, RemoteFailure.synthetic(RESULT_TOO_LARGE, tooBig, null));
        }
        return new Message.Result(taskId, micros(start), payload);
    }

    private Message notSerializable(long taskId, Object result, String why, Throwable cause) {
        return failure(taskId, RemoteFailure.synthetic(RESULT_NOT_SERIALIZABLE, "the task ran, but its result (a "
                + (result == null ? "null" : result.getClass().getName()) + ") cannot be sent" + why, cause));
    }

    private static int micros(long start) {
        return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - start) / 1_000);
    }

    /** @return the FAILURE of a task, cut to its class and the start of its message when over the frame limit */
    Message failure(long taskId, RemoteFailure f) {
        byte[] payload;
        try {
            payload = Payloads.serialize(f);
        } catch (RuntimeException e) {
            payload = Payloads.serialize(RemoteFailure.synthetic(f.className(), String.valueOf(f.message()), null));
        }
        if (!FrameLimit.failureFits(payload.length, maxFrameBytes)) {
            // a frame over the limit would cost the connection: send the failure's class and the start of its message
            LOG.warn("the failure of task {} is {} bytes, over the frame limit of {}; sent without its stack trace: {}",
                    taskId, payload.length, maxFrameBytes, f.className());
            String message = String.valueOf(f.message());
            payload = Payloads.serialize(RemoteFailure.synthetic(f.className(), message.substring(0,
                    Math.min(message.length(), CUT_MESSAGE_CHARS)) + " [cut: the failure was " + payload.length
                    + " bytes, over the limit of " + maxFrameBytes + " bytes per message (" + FrameLimit.SETTING
                    + ")]", null));
        }
        return new Message.Failure(taskId, payload);
    }
}
