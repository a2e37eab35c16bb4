package org.jparallel.core.worker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jparallel.core.protocol.FrameBatch;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.MessageDecoder;
import org.jparallel.core.protocol.MessageEncoder;
import org.jparallel.core.protocol.ProtocolException;
import org.jparallel.core.protocol.SocketReads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of a worker to one address of its manager without Netty's channel machinery: a
 * socket channel made to block ({@link WorkerChannel}: no interrupt closes it), read by one thread,
 * carrying the same frames through the same codec ({@link MessageDecoder#decodeFrames},
 * {@link MessageEncoder#encode(ByteBufAllocator, Message, List)}, {@link FrameBatch}) on unpooled heap
 * buffers (a big {@code byte[]} result's copy on direct memory, which the channel writes as it is). A
 * fresh worker JVM then loads and links none of the event loop, bootstrap and pipeline classes (about 500
 * classes and a fifth of its CPU time before its first result, measured in
 * docs/benchmarks/2026-12-06-cold-transport.md). Used when TLS is off; with TLS the worker keeps the Netty
 * path ({@link WorkerClient}).
 *
 * <p>{@link #handshake} runs the handshake ({@link WorkerHandshake}) on the calling thread; {@link #serve}
 * then runs the session on it as {@link WorkerSessionHandler} does in the pipeline: tasks go to the
 * {@link TaskRunner}, whose threads write their batched replies themselves (one gathering socket write per
 * batch); a timer thread sends the heartbeats and runs the {@link HeldReplyWatch}; a read that waits past the
 * manager's death timeout ends the session as silent.
 */
final class BlockingSession {
    private static final Logger LOG = LoggerFactory.getLogger(BlockingSession.class);
    /**
     * Heap buffers, never pooled: the pooled allocator's set-up is a cost a fresh worker need not pay; a big
     * result's direct buffer is kept for the next one ({@link ReusingAllocator}).
     */
    static final ByteBufAllocator ALLOC = new ReusingAllocator();
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;
    private static final int READ_MIN = 16 * 1024;

    final String address;
    final SessionOutcome outcome = new SessionOutcome();
    private final WorkerOptions options;
    private final ProofGate gate;
    private final MessageDecoder decoder = new MessageDecoder();
    private final List<Object> decoded = new ArrayList<>();
    private final Object writeLock = new Object();
    /** Guarded by writeLock: what one batch turned into. */
    private final List<Object> pending = new ArrayList<>();
    /** Guarded by writeLock: a message's frame buffers. */
    private final List<Object> encoded = new ArrayList<>(2);
    /**
     * Guarded by writeLock: the frames of one batch, gathered into one socket write (direct ones as they
     * are: no copy of a big result in the JVM; arrays through the JDK's temporary direct buffer).
     */
    private ByteBuffer[] gather = new ByteBuffer[8];
    private ByteBuf in = ALLOC.heapBuffer(READ_MIN);
    private volatile WorkerChannel connection;
    private InputStream input;
    private volatile boolean closed;
    /** Reader thread only: the room a read has, and whether the manager is authenticated (reads may grow). */
    private int readSize = READ_MIN;
    private boolean authenticated;
    volatile long connectedNanos;
    volatile boolean timedOut;
    volatile String connectError;

    /**
     * @param address the manager's address, {@code host:port}
     * @param gate decides whether this attempt may send PROOF
     */
    BlockingSession(WorkerOptions options, String address, ProofGate gate) {
        this.options = options;
        this.address = address;
        this.gate = gate;
    }

    /**
     * Connects and runs the handshake, for at most {@link AddressRace#HANDSHAKE_TIMEOUT_MILLIS} after the
     * connect.
     *
     * @return the step that starts the session (the manager's WELCOME), or {@code null} when the attempt
     *     ended without one, the connection closed: see {@link #outcome}, {@link #connectError}, {@link #timedOut}
     */
    WorkerHandshake.Step handshake() {
        try {
            WorkerChannel s = new WorkerChannel();
            connection = s;
            if (closed) { // the race was over before this attempt started
                s.close();
                return null;
            }
            s.connect(new InetSocketAddress(WorkerOptions.host(address), WorkerOptions.port(address)),
                    CONNECT_TIMEOUT_MILLIS);
            connectedNanos = System.nanoTime();
            input = s.input;
            WorkerHandshake handshake = new WorkerHandshake(options, outcome, gate);
            write(List.of(handshake.hello()));
            long deadline = connectedNanos + TimeUnit.MILLISECONDS.toNanos(AddressRace.HANDSHAKE_TIMEOUT_MILLIS);
            while (true) {
                Message m = next(deadline);
                if (m == null) {
                    close();
                    return null;
                }
                WorkerHandshake.Step step = handshake.onMessage(m, s.remoteAddress(), null);
                if (step.close()) {
                    close();
                    return null;
                }
                if (step.send != null) {
                    write(List.of(step.send));
                } else if (step.welcome != null) {
                    decoder.authenticated(step.welcome.maxFrameBytes());
                    decoder.payloadsAtOnce();
                    authenticated = true;
                    outcome.authenticated(step.welcome.deathTimeoutMillis());
                    gate.welcomed(null);
                    LOG.info("connected to the manager at {} as worker {}", s.remoteAddress(), options.workerId());
                    return step;
                }
            }
        } catch (SocketTimeoutException e) {
            timedOut = connectedNanos != 0;
            if (!timedOut) {
                connectError = "connect timed out after " + CONNECT_TIMEOUT_MILLIS + " ms";
            }
        } catch (ProtocolException e) {
            outcome.rejected("handshake failed: " + e.getMessage());
        } catch (IOException e) {
            if (connectedNanos == 0) {
                connectError = e.getMessage() != null ? e.getMessage() : e.toString();
            }
        }
        close();
        return null;
    }

    /**
     * Runs the session the manager's WELCOME started, on the calling thread (the one reader), until it
     * ends: the manager said to shut down, closed the connection, broke the protocol or was silent past
     * the death timeout. The outcome says which.
     */
    void serve(WorkerHandshake.Step welcome) {
        Message.Welcome w = welcome.welcome;
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "jparallel-net-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        TaskRunner runner = new TaskRunner(this::write, ClassLoader.getSystemClassLoader(), welcome.filter, ALLOC,
                w.maxFrameBytes(), options.slots());
        HeldReplyWatch held = new HeldReplyWatch(runner, () -> !closed, timer);
        List<Message> beat = List.of(Message.Heartbeat.INSTANCE);
        ScheduledFuture<?> heartbeats = timer.scheduleAtFixedRate(() -> write(beat), w.heartbeatMillis(),
                w.heartbeatMillis(), TimeUnit.MILLISECONDS);
        try {
            connection.readTimeout(w.deathTimeoutMillis());
            while (true) {
                decoder.decodeFrames(in, decoded); // even with nothing in it: a direct read may have ended a payload
                boolean queued = false;
                for (int i = 0; i < decoded.size(); i++) {
                    Message m = (Message) decoded.get(i);
                    switch (m.type()) {
                        case SETUP, TASK, RELEASE, SHAPE -> {
                            runner.queue(m); // the task thread goes on at the end of the read
                            queued = true;
                        }
                        case CANCEL -> runner.cancel(((Message.Cancel) m).taskId(), ((Message.Cancel) m).interrupt());
                        case HEARTBEAT -> {
                        }
                        case SHUTDOWN -> {
                            outcome.endedForGood("the manager asked this worker to shut down");
                            return;
                        }
                        default -> {
                            outcome.endedForGood("protocol violation: the manager sent " + m.type());
                            return;
                        }
                    }
                }
                decoded.clear();
                runner.wake();
                if (queued) { // not for a heartbeat, nor for the welcome that starts the session
                    held.arm();
                }
                if (!fill()) {
                    return; // the outcome's end reason: the manager closed the connection
                }
            }
        } catch (SocketTimeoutException e) {
            outcome.silent("no word from the manager for " + w.deathTimeoutMillis() + " ms; presuming it gone");
        } catch (ProtocolException e) {
            outcome.ended("connection error: " + e);
        } catch (IOException e) {
            if (!closed) {
                outcome.ended("connection error: " + e);
            }
        } finally {
            close();
            heartbeats.cancel(false);
            held.close();
            runner.shutdown();
            timer.shutdownNow();
            in.release();
        }
    }

    /** @return the next message, reading as needed until {@code deadline} ({@link System#nanoTime()}), or {@code null} at the end of the stream */
    private Message next(long deadline) throws IOException {
        while (true) {
            if (!decoded.isEmpty()) {
                return (Message) decoded.remove(0);
            }
            if (in.isReadable()) {
                decoder.decodeFrames(in, decoded); // one message at a time before authentication
                if (!decoded.isEmpty()) {
                    continue;
                }
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("no handshake within " + AddressRace.HANDSHAKE_TIMEOUT_MILLIS + " ms");
            }
            connection.readTimeout((int) Math.min(Integer.MAX_VALUE, left));
            if (!fill()) {
                return null;
            }
        }
    }

    /**
     * Reads what the socket has (waiting for at least a byte), into room for {@link #readSize} bytes: it
     * starts small and, once the manager is authenticated, doubles while reads come full, up to {@link
     * SocketReads#AUTHENTICATED_MAX}, as the pipeline's reads do (a big payload then arrives in a few big reads).
     *
     * @return false at the end of the stream
     */
    private boolean fill() throws IOException {
        if (!in.isReadable()) {
            // a big payload's bytes go from the socket straight into its array (MessageDecoder.payloadsAtOnce)
            int direct = decoder.readPayloadInto(input, SocketReads.AUTHENTICATED_MAX);
            if (direct != 0) {
                return direct > 0;
            }
        }
        if (in.refCnt() > 1) {
            // the decoder holds a retained slice of it (part of a big payload): leave its bytes alone, as
            // Netty's cumulation does, and read on into a fresh buffer
            ByteBuf fresh = ALLOC.heapBuffer(in.readableBytes() + readSize);
            fresh.writeBytes(in);
            in.release();
            in = fresh;
        } else {
            in.discardSomeReadBytes();
        }
        in.ensureWritable(readSize);
        int want = Math.min(in.writableBytes(), SocketReads.AUTHENTICATED_MAX);
        int n = in.writeBytes(input, want);
        if (n == want && authenticated && readSize < SocketReads.AUTHENTICATED_MAX) {
            readSize = Math.min(readSize * 2, SocketReads.AUTHENTICATED_MAX);
        }
        return n >= 0;
    }

    /**
     * Writes a batch of messages, the small frames together in one socket write, in order; from any
     * thread (the task threads' reply batches, the timer's heartbeats). A failed write closes the
     * connection, which ends the session. Takes the batch's big results' buffers whatever happens: sent,
     * or released when they cannot be (the connection closed, a write that broke off).
     */
    void write(List<Message> batch) {
        synchronized (writeLock) {
            boolean framed = false; // whether the batch's messages are all in pending
            int next = 0; // pending's entries from here on are not encoded: their buffers are still theirs
            try {
                if (closed) {
                    return; // nothing will send them: released below
                }
                FrameBatch.write(ALLOC, batch, pending::add);
                framed = true;
                int count = 0;
                for (int i = 0; i < pending.size(); i++) {
                    next = i;
                    Object o = pending.get(i);
                    if (o instanceof ByteBuf b) {
                        count = gather(b, count);
                    } else {
                        int from = encoded.size();
                        // the encoder adds a big result's buffer to encoded as its last step: once it
                        // returns, the buffer is encoded's to release
                        MessageEncoder.encode(ALLOC, (Message) o, encoded);
                        next = i + 1;
                        for (int j = from; j < encoded.size(); j++) {
                            count = gather((ByteBuf) encoded.get(j), count);
                        }
                    }
                    next = i + 1;
                }
                connection.write(gather, count);
            } catch (IOException e) {
                if (!closed) {
                    outcome.ended("connection error: " + e);
                }
                close();
            } catch (RuntimeException | Error e) {
                // part of a frame may be on the wire: nothing more can follow it on this connection
                if (!closed) {
                    outcome.ended("cannot write to the manager: " + e);
                }
                close();
                throw e;
            } finally {
                java.util.Arrays.fill(gather, null);
                releaseAll(encoded);
                if (framed) {
                    releaseBuffered(pending, next);
                } else {
                    releaseBuffered(batch, 0); // none of it encoded: closed, or the batch's framing broke
                }
                releaseAll(pending);
            }
        }
    }

    /** Adds {@code b}'s readable bytes to {@link #gather} at {@code count}; @return the new count */
    private int gather(ByteBuf b, int count) {
        int n = b.nioBufferCount();
        if (count + n > gather.length) {
            gather = java.util.Arrays.copyOf(gather, Math.max(gather.length * 2, count + n));
        }
        if (n == 1) {
            gather[count++] = b.nioBuffer();
        } else {
            for (ByteBuffer part : b.nioBuffers()) {
                gather[count++] = part;
            }
        }
        return count;
    }

    /** Releases the buffers of the big results among {@code messages} from {@code from} on, which were not encoded. */
    private static void releaseBuffered(List<?> messages, int from) {
        for (int i = from; i < messages.size(); i++) {
            if (messages.get(i) instanceof Message.BufferedResult r) {
                r.bytes().release();
            }
        }
    }

    private static void releaseAll(List<Object> objects) {
        for (int i = 0; i < objects.size(); i++) {
            if (objects.get(i) instanceof ByteBuf b) {
                b.release();
            }
        }
        objects.clear();
    }

    /** Closes the connection, from any thread; a read, write or connect under way ends. */
    void close() {
        closed = true;
        WorkerChannel c = connection;
        if (c != null) {
            c.close();
        }
    }
}
