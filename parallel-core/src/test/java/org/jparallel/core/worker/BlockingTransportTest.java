package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jparallel.Task;
import org.jparallel.core.leaks.NoLeaks;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.MessageDecoder;
import org.jparallel.core.protocol.MessageEncoder;
import org.jparallel.core.protocol.Secret;
import org.jparallel.core.serial.Payloads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The worker's blocking transport ({@link BlockingSession}, chosen by {@link WorkerClient} when TLS is off)
 * against a manager played by hand over a real socket, byte for byte with the protocol's codec: the
 * handshake, tasks and their batched results, big payloads both ways, heartbeats both ways, cancel, shutdown, the death timeout,
 * a refusal, the return to a manager that died and came back on the same port, and the end of a connection whose
 * write failed with an unchecked exception (the replies it did not send released).
 */
@ExtendWith(NoLeaks.class)
class BlockingTransportTest {
    private static final int WORKER_ID = 7;
    private static final long WAIT_SECONDS = 20;
    /** Tasks are deserialized copies: they talk to the test through statics. */
    static volatile CountDownLatch running = new CountDownLatch(1);
    static volatile CountDownLatch release = new CountDownLatch(1);
    /** The thread that ran the last task that set it. */
    static volatile Thread taskThread;

    private final Secret secret = Secret.generate();
    private final ServerSocket server;
    private final List<Socket> sockets = new ArrayList<>();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    BlockingTransportTest() throws IOException {
        server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException {
        release.countDown();
        for (Socket s : sockets) {
            s.close();
        }
        server.close();
    }

    /** The manager's end of one connection. */
    private final class Peer {
        final Socket socket;
        final InputStream in;
        final MessageDecoder decoder = new MessageDecoder();
        final ByteBuf buf = Unpooled.buffer();
        final List<Object> decoded = new ArrayList<>();

        Peer() throws IOException {
            server.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            socket = server.accept();
            sockets.add(socket);
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            in = socket.getInputStream();
        }

        void send(Message m) throws IOException {
            List<Object> out = new ArrayList<>();
            MessageEncoder.encode(UnpooledByteBufAllocator.DEFAULT, m, out);
            for (Object o : out) {
                ByteBuf b = (ByteBuf) o;
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                b.release();
                socket.getOutputStream().write(bytes);
            }
        }

        /** @return the next message from the worker, heartbeats skipped unless asked for; null at the end of the stream */
        Message next(boolean heartbeats) throws IOException {
            while (true) {
                while (decoded.isEmpty()) {
                    decoder.decodeFrames(buf, decoded);
                    if (!decoded.isEmpty()) {
                        break;
                    }
                    byte[] chunk = new byte[4096];
                    int n = in.read(chunk);
                    if (n < 0) {
                        return null;
                    }
                    buf.writeBytes(chunk, 0, n);
                }
                Message m = (Message) decoded.remove(0);
                if (heartbeats || m.type() != org.jparallel.core.protocol.MessageType.HEARTBEAT) {
                    return m;
                }
            }
        }

        /** Runs the manager's side of the handshake; @return the worker's HELLO */
        Message.Hello welcome(int heartbeatMillis, int deathTimeoutMillis) throws IOException {
            Message.Hello hello = assertInstanceOf(Message.Hello.class, next(false));
            byte[] nonce = Secret.nonce();
            send(new Message.Challenge(nonce, secret.managerMac(hello.nonce(), nonce, hello.workerId())));
            Message.Proof proof = assertInstanceOf(Message.Proof.class, next(false));
            assertArrayEquals(secret.workerMac(hello.nonce(), nonce, hello.workerId()), proof.mac());
            decoder.authenticated(64 << 20);
            send(new Message.Welcome(heartbeatMillis, deathTimeoutMillis, 64 << 20));
            return hello;
        }
    }

    private void startWorker() {
        WorkerOptions options = new WorkerOptions(List.of("127.0.0.1:" + server.getLocalPort()), WORKER_ID, secret,
                Duration.ofSeconds(WAIT_SECONDS));
        Thread t = new Thread(() -> exit.complete(new WorkerClient(options).run()), "worker");
        t.setDaemon(true);
        t.start();
    }

    private static Message.Task task(long id, Task<Object, Object> t) {
        return new Message.Task(id, 0, Payloads.serialize(t));
    }

    @Test
    void theHandshakeTasksResultsHeartbeatsAndShutdownGoOverTheBlockingSocket() throws Exception {
        startWorker();
        Peer manager = new Peer();
        Message.Hello hello = manager.welcome(50, 10_000);
        assertEquals(WORKER_ID, hello.workerId());
        for (long id = 1; id <= 3; id++) {
            long n = id;
            manager.send(task(id, s -> n * 10));
        }
        manager.send(Message.Heartbeat.INSTANCE);
        for (long id = 1; id <= 3; id++) {
            Message.Result r = assertInstanceOf(Message.Result.class, manager.next(false));
            assertEquals(id, r.taskId());
            assertEquals(id * 10, Payloads.deserialize(r.payload(), getClass().getClassLoader()));
        }
        assertInstanceOf(Message.Heartbeat.class, manager.next(true), "the worker's heartbeat");
        manager.send(Message.Shutdown.INSTANCE);
        assertNull(manager.next(false), "the worker closes the connection when told to shut down");
        assertEquals(WorkerClient.EXIT_OK, exit.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void bigPayloadsGoBothWaysWhole() throws Exception {
        startWorker();
        Peer manager = new Peer();
        manager.welcome(10_000, 10_000);
        byte[] big = new byte[3 << 20];
        new java.util.Random(1).nextBytes(big);
        manager.send(task(1, s -> {
            byte[] back = new byte[big.length / 3]; // a big byte[] result goes out as a BufferedResult
            System.arraycopy(big, 0, back, 0, back.length);
            return back;
        }));
        Message reply = manager.next(false);
        String failure = reply instanceof Message.Failure f ? Payloads.deserializeFailure(f.payload()).className() + ": "
                + Payloads.deserializeFailure(f.payload()).message() : "";
        Message.Result r = assertInstanceOf(Message.Result.class, reply, failure);
        assertTrue(r.rawBytes(), "a byte[] result travels raw");
        assertArrayEquals(java.util.Arrays.copyOf(big, big.length / 3), r.payload());
        manager.send(Message.Shutdown.INSTANCE);
        assertEquals(WorkerClient.EXIT_OK, exit.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void aCancelInterruptsTheRunningTaskAndItsFailureComesBack() throws Exception {
        running = new CountDownLatch(1);
        release = new CountDownLatch(1);
        startWorker();
        Peer manager = new Peer();
        manager.welcome(10_000, 10_000);
        manager.send(task(1, s -> {
            running.countDown();
            release.await(); // interrupted by the cancel
            return "not cancelled";
        }));
        assertTrue(running.await(WAIT_SECONDS, TimeUnit.SECONDS));
        manager.send(new Message.Cancel(1, true));
        Message.Failure f = assertInstanceOf(Message.Failure.class, manager.next(false));
        assertEquals(1, f.taskId());
        assertEquals(InterruptedException.class.getName(), Payloads.deserializeFailure(f.payload()).className());
        manager.send(Message.Shutdown.INSTANCE);
        assertEquals(WorkerClient.EXIT_OK, exit.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void anInterruptOfATaskThreadWritingABigResultLeavesTheConnectionOpen() throws Exception {
        startWorker();
        Peer manager = new Peer();
        manager.welcome(10_000, 10_000);
        byte[] big = new byte[24 << 20]; // more than the socket buffers hold: the write waits for the manager
        new java.util.Random(2).nextBytes(big);
        manager.send(task(1, s -> {
            taskThread = Thread.currentThread();
            return big.clone();
        }));
        // the manager reads nothing yet: wait until the task thread waits in the socket write of its result
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!writingToTheSocket(taskThread)) {
            assertTrue(System.nanoTime() < deadline, "the task thread never waited in the write of its result");
            Thread.sleep(10); // polling an observable state, not a synchronisation by time
        }
        taskThread.interrupt(); // as a timer a task left behind would
        Message.Result r = assertInstanceOf(Message.Result.class, manager.next(false),
                "the result comes whole though its writer was interrupted");
        assertArrayEquals(big, r.payload());
        manager.send(task(2, s -> "still connected"));
        Message.Result again = assertInstanceOf(Message.Result.class, manager.next(false));
        assertEquals("still connected", Payloads.deserialize(again.payload(), getClass().getClassLoader()));
        manager.send(Message.Shutdown.INSTANCE);
        assertEquals(WorkerClient.EXIT_OK, exit.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    /** @return true when {@code t} is in {@link BlockingSession#write}, inside the JDK's socket code */
    private static boolean writingToTheSocket(Thread t) {
        if (t == null) {
            return false;
        }
        boolean inJdk = false;
        for (StackTraceElement e : t.getStackTrace()) {
            inJdk |= e.getClassName().startsWith("sun.nio.ch.");
            if (e.getClassName().equals(BlockingSession.class.getName()) && e.getMethodName().equals("write")) {
                return inJdk;
            }
        }
        return false;
    }

    /**
     * An {@code Error} or {@code RuntimeException} escaping a write (a direct memory {@code OutOfMemoryError}, a
     * bug in a buffer) may leave part of a frame on the wire, after which nothing can follow on that connection: the
     * session closes it, so the manager sees the worker's connection end (and moves its tasks to another worker, or
     * to this one when it comes back) rather than a batch missing or a stream it can no longer parse. Here the
     * break comes while the batch is gathered, before any of it is out: the session cannot tell how far a write
     * got, and closes either way.
     */
    @ParameterizedTest(name = "an Error: {0}")
    @ValueSource(booleans = {true, false})
    void anUncheckedExceptionWhileWritingRepliesClosesTheConnection(boolean error) throws Exception {
        WorkerOptions options = new WorkerOptions(List.of("127.0.0.1:" + server.getLocalPort()), WORKER_ID, secret,
                Duration.ofSeconds(WAIT_SECONDS));
        CountDownLatch welcomed = new CountDownLatch(1);
        BlockingSession session = new BlockingSession(options, "127.0.0.1:" + server.getLocalPort(), new ProofGate() {
            @Override
            public boolean mayProve(io.netty.channel.Channel channel) {
                return true;
            }

            @Override
            public void welcomed(io.netty.channel.Channel channel) {
                welcomed.countDown();
            }
        });
        CompletableFuture<Void> served = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            WorkerHandshake.Step welcome = session.handshake();
            if (welcome != null) {
                session.serve(welcome);
            }
            served.complete(null);
        }, "worker");
        reader.setDaemon(true);
        reader.start();
        Peer manager = new Peer();
        manager.welcome(60_000, 60_000); // no heartbeat within the test's reads
        assertTrue(welcomed.await(WAIT_SECONDS, TimeUnit.SECONDS), "the worker's session starts");
        // an InternalError rather than an OutOfMemoryError, which JUnit rethrows as unrecoverable
        Throwable thrown = error ? new InternalError("a write that breaks (this test's)")
                : new IllegalStateException("a buffer that breaks (this test's)");
        int length = MessageEncoder.RESULT_HEAD + 64;
        ByteBuf breaking = new UnpooledHeapByteBuf(UnpooledByteBufAllocator.DEFAULT, length, length) {
            @Override
            public ByteBuffer nioBuffer(int index, int bytes) {
                if (thrown instanceof Error e) {
                    throw e;
                }
                throw (RuntimeException) thrown;
            }
        };
        breaking.writerIndex(length).readerIndex(MessageEncoder.RESULT_HEAD); // a big result's copy, room for its head
        ByteBuf after = bigResultCopy(); // the batch's reply behind the one that breaks: never encoded
        List<Message> batch = List.of(new Message.Result(1, 0, Payloads.serialize("fine")),
                new Message.BufferedResult(2, 0, breaking), new Message.BufferedResult(3, 0, after));
        assertSame(thrown, assertThrows(thrown.getClass(), () -> session.write(batch)), "the writer sees what broke");
        try {
            assertNull(manager.next(true), "the manager sees the worker's connection end");
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the connection stayed open after a write broke off: the manager waits for"
                    + " its replies for ever", e);
        }
        served.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(session.outcome.endReason().startsWith("cannot write to the manager: " + thrown.getClass().getName()),
                session.outcome.endReason());
        assertTrue(session.outcome.managerVanished(), "the worker seeks its manager again");
        assertEquals(0, breaking.refCnt(), "the batch's buffers are released");
        assertEquals(0, after.refCnt(), "a reply behind the one that broke is released too");
        ByteBuf late = bigResultCopy();
        session.write(List.of(new Message.BufferedResult(4, 0, late)));
        assertEquals(0, late.refCnt(), "a reply written after the connection closed is released");
    }

    /** @return a big result's copy, as a task thread makes it: room for the frame's head before its bytes */
    private static ByteBuf bigResultCopy() {
        ByteBuf b = Unpooled.directBuffer(MessageEncoder.RESULT_HEAD + 64);
        b.writerIndex(MessageEncoder.RESULT_HEAD + 64).readerIndex(MessageEncoder.RESULT_HEAD);
        return b;
    }

    @Test
    void aManagerSilentForTheDeathTimeoutIsPresumedGoneAndNotSoughtAgain() throws Exception {
        startWorker();
        Peer manager = new Peer();
        manager.welcome(60_000, 300);
        assertNull(manager.next(true), "the worker closes a connection silent for the death timeout");
        assertEquals(WorkerClient.EXIT_OK, exit.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void aManagerThatDiesIsSoughtAgainAtTheSameAddressAndGetsTheWorkerBackUnderIdZero() throws Exception {
        startWorker();
        Peer first = new Peer();
        first.welcome(10_000, 10_000);
        first.socket.close(); // the manager's JVM died
        Peer second = new Peer();
        Message.Hello again = second.welcome(10_000, 10_000);
        assertEquals(0, again.workerId(), "a returning worker has no id of its own");
        second.send(task(9, s -> "back"));
        Message.Result r = assertInstanceOf(Message.Result.class, second.next(false));
        assertEquals("back", Payloads.deserialize(r.payload(), getClass().getClassLoader()));
        second.send(Message.Shutdown.INSTANCE);
        assertEquals(WorkerClient.EXIT_OK, exit.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void aPeerWithoutTheSecretGetsNoProofAndTheWorkerExitsRefused() throws Exception {
        startWorker();
        Peer impostor = new Peer();
        Message.Hello hello = assertInstanceOf(Message.Hello.class, impostor.next(false));
        impostor.send(new Message.Challenge(Secret.nonce(), new byte[32]));
        assertNull(impostor.next(false), "the worker closes without a PROOF");
        assertEquals(WorkerClient.EXIT_REFUSED, exit.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertNotEquals(0, hello.nonce().length);
    }
}
