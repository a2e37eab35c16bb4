package org.jparallel.core.protocol;

import org.jparallel.core.serial.PayloadFormat;

/**
 * One message of the worker protocol (see docs/protocol.md). Payloads stay opaque bytes here: the
 * codec never deserializes Java objects, so nothing a peer sends is deserialized by the transport,
 * and before authentication only the handshake types are accepted at all.
 */
public sealed interface Message permits Message.Hello, Message.Challenge, Message.Proof, Message.Welcome,
        Message.Reject, Message.Setup, Message.Task, Message.BufferedTask, Message.Result, Message.BufferedResult,
        Message.HeldResult,
        Message.Failure, Message.Release, Message.Cancel, Message.Shape, Message.Heartbeat, Message.Shutdown {

    /** @return this message's type */
    MessageType type();

    /**
     * Worker to manager, first: who the worker is, its challenge nonce, and how long it has left to
     * live ({@code lifetimeMillis}, from when it sent this; -1 when its life has no set end), and how many
     * tasks it runs at once ({@code slots}, at least 1).
     */
    record Hello(int version, int workerId, long pid, String host, String javaVersion, byte[] nonce,
                 long lifetimeMillis, int slots) implements Message {
        /** A worker whose life has no set end, with one slot. */
        public Hello(int version, int workerId, long pid, String host, String javaVersion, byte[] nonce) {
            this(version, workerId, pid, host, javaVersion, nonce, -1, 1);
        }

        /** A worker with one slot. */
        public Hello(int version, int workerId, long pid, String host, String javaVersion, byte[] nonce,
                     long lifetimeMillis) {
            this(version, workerId, pid, host, javaVersion, nonce, lifetimeMillis, 1);
        }

        @Override
        public MessageType type() {
            return MessageType.HELLO;
        }
    }

    /** Manager to worker: the manager's nonce, and its proof that it holds the secret. */
    record Challenge(byte[] nonce, byte[] mac) implements Message {
        @Override
        public MessageType type() {
            return MessageType.CHALLENGE;
        }
    }

    /** Worker to manager: the worker's proof that it holds the secret. */
    record Proof(byte[] mac) implements Message {
        @Override
        public MessageType type() {
            return MessageType.PROOF;
        }
    }

    /**
     * Manager to worker: authenticated; the session's timing and size limits, the user's
     * deserialization filter pattern (empty for none) the worker applies to setups and tasks, and whether the
     * manager can be resumed ({@code resumable}: it keeps a journal, so a manager restarted on it may take its
     * workers back). A worker of a manager that cannot be resumed does not wait for a dead one to come back.
     */
    record Welcome(int heartbeatMillis, int deathTimeoutMillis, int maxFrameBytes, String serialFilter,
                   boolean resumable) implements Message {
        /** A welcome with no user filter pattern, from a manager that can be resumed. */
        public Welcome(int heartbeatMillis, int deathTimeoutMillis, int maxFrameBytes) {
            this(heartbeatMillis, deathTimeoutMillis, maxFrameBytes, "", true);
        }

        /** A welcome from a manager that can be resumed. */
        public Welcome(int heartbeatMillis, int deathTimeoutMillis, int maxFrameBytes, String serialFilter) {
            this(heartbeatMillis, deathTimeoutMillis, maxFrameBytes, serialFilter, true);
        }

        @Override
        public MessageType type() {
            return MessageType.WELCOME;
        }
    }

    /** Either way, during the handshake: refused, and why. The connection is closed after it. */
    record Reject(String reason) implements Message {
        @Override
        public MessageType type() {
            return MessageType.REJECT;
        }
    }

    /** Manager to worker: a context's serialized setup, sent before the worker's first task of it. */
    record Setup(int contextId, byte[] payload) implements Message {
        @Override
        public MessageType type() {
            return MessageType.SETUP;
        }
    }

    /**
     * Manager to worker: a serialized task to run. A payload with attached arrays (format 17, see
     * docs/protocol.md) arrives split: {@code payload} is the rest, in the plain object form, and
     * {@code arrays} the arrays, each read straight into its own {@code byte[]}.
     */
    record Task(long taskId, int contextId, byte[] payload, byte[][] arrays) implements Message {
        /** A task without attached arrays (or with them still in its payload). */
        public Task(long taskId, int contextId, byte[] payload) {
            this(taskId, contextId, payload, PayloadFormat.NO_ARRAYS);
        }

        @Override
        public MessageType type() {
            return MessageType.TASK;
        }
    }

    /**
     * Manager to worker: a task whose serialized form the manager keeps outside the Java heap (a big
     * one): the garbage collector does not copy it while it waits, and it is written to the socket
     * without a copy into a direct buffer first. On the wire it is a TASK like any other; only the
     * manager makes one, and the decoder makes a {@link Task} of it.
     *
     * @param payload the serialized task, read from its position to its limit; never changed
     */
    record BufferedTask(long taskId, int contextId, java.nio.ByteBuffer payload) implements Message {
        @Override
        public MessageType type() {
            return MessageType.TASK;
        }
    }

    /**
     * Worker to manager: a task's {@code byte[]} result, copied once, straight into a (pooled, direct)
     * buffer on the task thread: the task may change its array once it returns, and a direct buffer
     * goes to the socket without a further copy. On the wire it is a RESULT in the raw-bytes form (see
     * {@link Result}); only workers make one, and the encoder releases the buffer.
     *
     * @param bytes the array's bytes, without a format byte, from its reader index; {@link
     *     MessageEncoder#RESULT_HEAD} bytes of room before that index (when there are) take the frame's
     *     head, so that the frame is one buffer and one socket write
     */
    record BufferedResult(long taskId, int workMicros, io.netty.buffer.ByteBuf bytes) implements Message {
        @Override
        public MessageType type() {
            return MessageType.RESULT;
        }
    }

    /**
     * Worker to manager, as the manager's decoder makes it from a big RESULT: the same fields as {@link
     * Result}, the payload waiting outside the heap until the program reads it (see {@link HeldPayload}).
     * Never sent.
     */
    record HeldResult(long taskId, int workMicros, HeldPayload payload, boolean rawBytes) implements Message {
        @Override
        public MessageType type() {
            return MessageType.RESULT;
        }
    }

    /**
     * Worker to manager: a task's serialized result value, and how long the worker spent on the task
     * (reading it, running it, writing its result) in microseconds, which sizes the worker's prefetch
     * without the time the task waited in queues or on the network.
     *
     * <p>When {@code rawBytes} is set, the value is a {@code byte[]} and {@code payload} is that array
     * itself, without the payload's format byte: on the wire it is the same as the tagged form, but
     * neither side copies a big array to add or strip one byte.
     */
    record Result(long taskId, int workMicros, byte[] payload, boolean rawBytes) implements Message {
        /** The format byte of a {@code byte[]} value (see docs/protocol.md, "Payload format"). */
        public static final byte BYTES_FORMAT = org.jparallel.core.serial.PayloadFormat.BYTES;

        /** A result whose work time is not known (counted as none). */
        public Result(long taskId, byte[] payload) {
            this(taskId, 0, payload, false);
        }

        /** A result in the tagged form. */
        public Result(long taskId, int workMicros, byte[] payload) {
            this(taskId, workMicros, payload, false);
        }

        /** @return the bytes after the ids on the wire: the payload with its format byte */
        public byte[] taggedPayload() {
            if (!rawBytes) {
                return payload;
            }
            byte[] b = new byte[payload.length + 1];
            b[0] = BYTES_FORMAT;
            System.arraycopy(payload, 0, b, 1, payload.length);
            return b;
        }

        /** @return the length of {@link #taggedPayload()} */
        public int wireLength() {
            return payload.length + (rawBytes ? 1 : 0);
        }

        @Override
        public MessageType type() {
            return MessageType.RESULT;
        }
    }

    /** Worker to manager: a task (or its setup) threw; the payload is a serialized remote failure. */
    record Failure(long taskId, byte[] payload) implements Message {
        @Override
        public MessageType type() {
            return MessageType.FAILURE;
        }
    }

    /**
     * Manager to worker: the constant part of a lambda (see docs/protocol.md, "Compact lambdas") under
     * the number by which the tasks that follow refer to it instead of carrying it. Sent before the
     * first task on this connection that needs it.
     */
    record Shape(int id, byte[] description) implements Message {
        @Override
        public MessageType type() {
            return MessageType.SHAPE;
        }
    }

    /** Manager to worker: drop the cached setup of a closed context. */
    record Release(int contextId) implements Message {
        @Override
        public MessageType type() {
            return MessageType.RELEASE;
        }
    }

    /**
     * Manager to worker: stop a task: skip it if it waits; if it runs, interrupt it when {@code
     * interrupt} is set, else let it finish.
     */
    record Cancel(long taskId, boolean interrupt) implements Message {
        /** A cancel that interrupts a running task. */
        public Cancel(long taskId) {
            this(taskId, true);
        }

        @Override
        public MessageType type() {
            return MessageType.CANCEL;
        }
    }

    /** Either way: still alive. */
    enum Heartbeat implements Message {
        /** The only instance. */
        INSTANCE;

        @Override
        public MessageType type() {
            return MessageType.HEARTBEAT;
        }
    }

    /** Manager to worker: finish and exit. */
    enum Shutdown implements Message {
        /** The only instance. */
        INSTANCE;

        @Override
        public MessageType type() {
            return MessageType.SHUTDOWN;
        }
    }
}
