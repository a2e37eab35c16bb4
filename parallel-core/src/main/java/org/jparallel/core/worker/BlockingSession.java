package org.jparallel.core.worker;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.internal.logging.InternalLogger;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jparallel.core.protocol.FrameBatch;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.MessageDecoder;
import org.jparallel.core.protocol.MessageEncoder;
import org.jparallel.core.protocol.ProtocolException;
import org.jparallel.core.worker.startup.WorkerLogs;

/**
 * One connection of a worker to one address of its manager without Netty's channel machinery: a
 * socket channel made to block ({@link WorkerChannel}: no interrupt closes it), read by one thread,
 * carrying the same frames: as plain arrays while they are small, warm too (see below), and once a frame needs
 * Netty's buffers through the pipeline's codec ({@link MessageDecoder#decodeFrames} after the reads' hand-over,
 * {@link MessageEncoder#encode(ByteBufAllocator, Message, List)}, {@link FrameBatch}) on unpooled heap buffers (a
 * big {@code byte[]} result's copy on direct memory, which the channel writes as it is). A
 * fresh worker JVM then loads and links none of the event loop, bootstrap and pipeline classes (about 500
 * classes and a fifth of its CPU time before its first result, measured in
 * docs/benchmarks/2026-12-06-cold-transport.md). Used when TLS is off; with TLS the worker keeps the Netty
 * path ({@link WorkerClient}).
 *
 * <p>{@link #handshake} runs the handshake ({@link WorkerHandshake}) on the calling thread; {@link #serve}
 * then runs the session on it as {@link WorkerSessionHandler} does in the pipeline: tasks go to the
 * {@link TaskRunner}, whose threads write their batched replies themselves (one gathering socket write per
 * batch, {@link BlockingWrites}); a timer thread sends the heartbeats and runs the {@link HeldReplyWatch}; a read
 * that waits past the manager's death timeout ends the session as silent.
 *
 * <p>A worker's small frames go without Netty's buffers, whose static set-up was a third of a fresh worker's time to
 * its first result (docs/benchmarks/2026-12-07-cold6.md): {@link BlockingReads} decodes the handshake and the tasks
 * from a plain array until a frame comes that it leaves to Netty's decoder (a big one, attached arrays), and {@link
 * BlockingWrites} writes the handshake, the heartbeats and replies held as arrays as plain arrays until Netty's buffers are
 * set up. Nothing here touches Netty's buffer classes before a session needs a buffer (the allocator, {@link
 * #alloc}, is made on first use).
 */
final class BlockingSession {
    private static final InternalLogger LOG = WorkerLogs.logger(BlockingSession.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    final String address;
    final SessionOutcome outcome = new SessionOutcome();
    private final WorkerOptions options;
    private final ProofGate gate;
    private final List<Object> decoded = new ArrayList<>();
    private final BlockingWrites writes = new BlockingWrites(this);
    /** A test's allocator of the session's buffers, or {@code null} for {@link Shared#ALLOC}. */
    private final ByteBufAllocator testAlloc;
    private volatile WorkerChannel connection;
    /** The reader thread's, made once connected. */
    private BlockingReads reads;
    private volatile boolean closed;
    volatile long connectedNanos;
    volatile boolean timedOut;
    volatile String connectError;
    /** Whether the connect was refused by the host: nobody listens at the address ({@link AddressRace#refusedByHost}). */
    volatile boolean refusedByHost;

    /**
     * @param address the manager's address, {@code host:port}
     * @param gate decides whether this attempt may send PROOF
     */
    BlockingSession(WorkerOptions options, String address, ProofGate gate) {
        this(options, address, gate, null);
    }

    /** As the other constructor, the session's buffers from {@code alloc}; for tests. */
    BlockingSession(WorkerOptions options, String address, ProofGate gate, ByteBufAllocator alloc) {
        this.options = options;
        this.address = address;
        this.gate = gate;
        this.testAlloc = alloc;
    }

    /**
     * Heap buffers, never pooled: the pooled allocator's set-up is a cost a fresh worker need not pay; a big
     * result's direct buffer is kept for the next one ({@link ReusingAllocator}). Made on first use: Netty's buffers'
     * set-up waits until a session needs a buffer.
     */
    private static final class Shared {
        static final ByteBufAllocator ALLOC = new ReusingAllocator();
    }

    /** @return the allocator of the session's buffers, made on first use; from any thread */
    ByteBufAllocator alloc() {
        return testAlloc != null ? testAlloc : Shared.ALLOC;
    }

    /** {@link #alloc()} on demand: a class, not a method reference, whose method type would load Netty's buffers at once. */
    private final Supplier<ByteBufAllocator> allocOnDemand = new Supplier<>() {
        @Override
        public ByteBufAllocator get() {
            return alloc();
        }
    };

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
            reads = new BlockingReads(s.input, allocOnDemand);
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
                    reads.authenticated(step.welcome.maxFrameBytes());
                    outcome.authenticated(step.welcome.deathTimeoutMillis(), step.welcome.resumable());
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
                refusedByHost = AddressRace.refusedByHost(e);
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
        // classes, not lambdas, here: this is a fresh worker's path to its first result, where each lambda's first
        // call site costs a bootstrap (a quarter of a millisecond, interpreted)
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, new ThreadFactory() {
            @Override
            public Thread newThread(Runnable r) {
                Thread t = new Thread(r, "jparallel-net-timer");
                t.setDaemon(true);
                return t;
            }
        });
        timer.setRemoveOnCancelPolicy(true);
        TaskRunner runner = new TaskRunner(new Consumer<List<Message>>() {
            @Override
            public void accept(List<Message> batch) {
                write(batch);
            }
        }, ClassLoader.getSystemClassLoader(), welcome.filter, allocOnDemand, w.maxFrameBytes(), options.slots());
        HeldReplyWatch held = new HeldReplyWatch(runner, new BooleanSupplier() {
            @Override
            public boolean getAsBoolean() {
                return !closed;
            }
        }, timer);
        List<Message> beat = List.of(Message.Heartbeat.INSTANCE);
        ScheduledFuture<?> heartbeats = timer.scheduleAtFixedRate(new Runnable() {
            @Override
            public void run() {
                write(beat);
            }
        }, w.heartbeatMillis(), w.heartbeatMillis(), TimeUnit.MILLISECONDS);
        try {
            connection.readTimeout(w.deathTimeoutMillis());
            while (true) {
                reads.decode(decoded);
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
                if (!reads.fill()) {
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
            reads.release();
        }
    }

    /** @return the next message, reading as needed until {@code deadline} ({@link System#nanoTime()}), or {@code null} at the end of the stream */
    private Message next(long deadline) throws IOException {
        while (true) {
            if (!decoded.isEmpty()) {
                return (Message) decoded.remove(0);
            }
            reads.decode(decoded); // one message at a time before authentication
            if (!decoded.isEmpty()) {
                continue;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("no handshake within " + AddressRace.HANDSHAKE_TIMEOUT_MILLIS + " ms");
            }
            connection.readTimeout((int) Math.min(Integer.MAX_VALUE, left));
            if (!reads.fill()) {
                return null;
            }
        }
    }

    /**
     * Writes a batch of messages, in order, from any thread (see {@link BlockingWrites#write}). A failed write
     * closes the connection, which ends the session. Takes the batch's big results' buffers whatever happens.
     */
    void write(List<Message> batch) {
        writes.write(batch);
    }

    /** @return true once {@link #close} was called */
    boolean closed() {
        return closed;
    }

    /** @return the connection, once made */
    WorkerChannel connection() {
        return connection;
    }

    /** @return true once the reads went over to Netty's decoder (its buffers are set up) */
    boolean readsHandedOver() {
        return reads != null && reads.handedOver();
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
