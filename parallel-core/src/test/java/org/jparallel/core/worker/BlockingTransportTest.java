package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jparallel.Task;
import org.jparallel.core.leaks.NoLeaks;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.Secret;
import org.jparallel.core.serial.Payloads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker's blocking transport ({@link BlockingSession}, chosen by {@link WorkerClient} when TLS is off)
 * against a manager played by hand over a real socket, byte for byte with the protocol's codec: the
 * handshake, tasks and their batched results, big payloads both ways, heartbeats both ways, cancel, shutdown, the death timeout,
 * a refusal, the return to a manager that died and came back on the same port (a write that breaks off: {@link
 * BlockingSessionWriteTest}).
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

    /** @return the manager's end of the worker's next connection */
    private ManagerPeer peer() throws IOException {
        ManagerPeer p = new ManagerPeer(server, secret, WAIT_SECONDS);
        sockets.add(p.socket);
        return p;
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
        ManagerPeer manager = peer();
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

    /**
     * @param served completed when the session ends
     * @return a session to the test's manager on a reader thread of its own, as WorkerClient runs one
     */
    private BlockingSession startSession(CompletableFuture<Void> served) {
        String address = "127.0.0.1:" + server.getLocalPort();
        WorkerOptions options = new WorkerOptions(List.of(address), WORKER_ID, secret,
                Duration.ofSeconds(WAIT_SECONDS));
        BlockingSession session = new BlockingSession(options, address, ProofGate.ALWAYS);
        Thread t = new Thread(() -> {
            WorkerHandshake.Step welcome = session.handshake();
            if (welcome != null) {
                session.serve(welcome);
            }
            served.complete(null);
        }, "worker");
        t.setDaemon(true);
        t.start();
        return session;
    }

    /**
     * A fresh worker's first frames go on plain arrays (no Netty buffer set up yet): its heartbeats during a first
     * task that runs long, then its first result, and small tasks never hand the reads over. A task over the size from
     * which MessageDecoder streams a body (32 KB) does: it and the small tasks after it are read by Netty's decoder.
     */
    @Test
    void heartbeatsDuringTheFirstTaskAndTheTasksAfterTheHandOverGoThrough() throws Exception {
        running = new CountDownLatch(1);
        release = new CountDownLatch(1);
        CompletableFuture<Void> served = new CompletableFuture<>();
        BlockingSession session = startSession(served);
        ManagerPeer manager = peer();
        manager.welcome(20, 10_000);
        manager.send(task(1, s -> {
            running.countDown();
            release.await();
            return "first";
        }));
        assertTrue(running.await(WAIT_SECONDS, TimeUnit.SECONDS));
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(Message.Heartbeat.class, manager.next(true), "a heartbeat while the first task runs");
        }
        release.countDown();
        Message.Result first = assertInstanceOf(Message.Result.class, manager.next(false));
        assertEquals("first", Payloads.deserialize(first.payload(), getClass().getClassLoader()));
        assertFalse(session.readsHandedOver(), "small frames are read on the plain array");
        byte[] big = new byte[40 << 10];
        java.util.Arrays.fill(big, (byte) 5);
        Message.Task bigTask = task(2, s -> big.length + big[big.length - 1]);
        assertTrue(bigTask.payload().length > 32 * 1024, "over STREAM_FROM: " + bigTask.payload().length);
        manager.send(bigTask);
        Message.Result r2 = assertInstanceOf(Message.Result.class, manager.next(false));
        assertEquals((40 << 10) + 5, Payloads.deserialize(r2.payload(), getClass().getClassLoader()));
        assertTrue(session.readsHandedOver(), "the big task's frame hands the reads over to Netty's decoder");
        for (long id = 3; id <= 5; id++) {
            long n = id;
            manager.send(task(id, s -> n * 10));
            Message.Result r = assertInstanceOf(Message.Result.class, manager.next(false));
            assertEquals(id * 10, Payloads.deserialize(r.payload(), getClass().getClassLoader()));
        }
        manager.send(Message.Shutdown.INSTANCE);
        assertNull(manager.next(false));
        served.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals("the manager asked this worker to shut down", session.outcome.endReason());
    }

    @Test
    void bigPayloadsGoBothWaysWhole() throws Exception {
        startWorker();
        ManagerPeer manager = peer();
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
        ManagerPeer manager = peer();
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
        ManagerPeer manager = peer();
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

    @Test
    void aManagerSilentForTheDeathTimeoutIsPresumedGoneAndNotSoughtAgain() throws Exception {
        startWorker();
        ManagerPeer manager = peer();
        manager.welcome(60_000, 300);
        assertNull(manager.next(true), "the worker closes a connection silent for the death timeout");
        assertEquals(WorkerClient.EXIT_OK, exit.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void aManagerThatDiesIsSoughtAgainAtTheSameAddressAndGetsTheWorkerBackUnderIdZero() throws Exception {
        startWorker();
        ManagerPeer first = peer();
        first.welcome(10_000, 10_000);
        first.socket.close(); // the manager's JVM died
        ManagerPeer second = peer();
        Message.Hello again = second.welcome(10_000, 10_000);
        assertEquals(0, again.workerId(), "a returning worker has no id of its own");
        second.send(task(9, s -> "back"));
        Message.Result r = assertInstanceOf(Message.Result.class, second.next(false));
        assertEquals("back", Payloads.deserialize(r.payload(), getClass().getClassLoader()));
        second.send(Message.Shutdown.INSTANCE);
        assertEquals(WorkerClient.EXIT_OK, exit.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void aManagerWithoutAJournalWhoseAddressNobodyListensAtAnyMoreIsGoneAndTheWorkerExitsAtOnce() throws Exception {
        startWorker();
        ManagerPeer manager = peer();
        manager.welcome(10_000, 120_000, false); // a death timeout far past the test's wait
        server.close(); // the manager's process is gone: its port refuses connections
        manager.socket.close();
        assertEquals(WorkerClient.EXIT_OK, exit.get(WAIT_SECONDS, TimeUnit.SECONDS),
                "the worker exits without waiting the death timeout for a manager that cannot come back");
    }

    @Test
    void aManagerWithoutAJournalThatStillListensGetsItsWorkerBackUnderIdZero() throws Exception {
        startWorker();
        ManagerPeer first = peer();
        first.welcome(10_000, 10_000, false);
        first.socket.close(); // the connection broke, but the manager lives on: it takes the worker as a new one
        ManagerPeer second = peer();
        assertEquals(0, second.welcome(10_000, 10_000, false).workerId());
        second.send(task(9, s -> "back"));
        Message.Result r = assertInstanceOf(Message.Result.class, second.next(false));
        assertEquals("back", Payloads.deserialize(r.payload(), getClass().getClassLoader()));
        second.send(Message.Shutdown.INSTANCE);
        assertEquals(WorkerClient.EXIT_OK, exit.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void aPeerWithoutTheSecretGetsNoProofAndTheWorkerExitsRefused() throws Exception {
        startWorker();
        ManagerPeer impostor = peer();
        Message.Hello hello = assertInstanceOf(Message.Hello.class, impostor.next(false));
        impostor.send(new Message.Challenge(Secret.nonce(), new byte[32]));
        assertNull(impostor.next(false), "the worker closes without a PROOF");
        assertEquals(WorkerClient.EXIT_REFUSED, exit.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertNotEquals(0, hello.nonce().length);
    }
}
