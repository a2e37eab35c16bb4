package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jparallel.core.leaks.NoLeaks;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * When the returning worker of a manager without a journal presumes it gone: only after rounds in which every
 * address refused the connection spanning two seconds (a refusal does not prove the manager dead:
 * a firewall's REJECT, a service without endpoints, a full backlog), on the worker's clock, a test's own here:
 * it stands still until the test moves it, and the worker reads it once a round, so the test counts the rounds.
 */
@ExtendWith(NoLeaks.class)
class ManagerGoneTest {
    private static final long WAIT_SECONDS = 20;

    private final Secret secret = Secret.generate();
    private final AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(5));
    /** A permit for each read of the clock. */
    private final Semaphore reads = new Semaphore(0);
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private ServerSocket server;
    private ManagerPeer manager;

    @BeforeEach
    void connect() throws IOException {
        server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        WorkerOptions options = new WorkerOptions(List.of("127.0.0.1:" + server.getLocalPort()), 7, secret,
                Duration.ofSeconds(WAIT_SECONDS));
        Thread t = new Thread(() -> exit.complete(new WorkerClient(options, () -> {
            reads.release();
            return now.get();
        }).run()), "worker");
        t.setDaemon(true);
        t.start();
        manager = new ManagerPeer(server, secret, WAIT_SECONDS);
        manager.welcome(10_000, 120_000, false); // no journal; a death timeout far past the test's wait
        reads.drainPermits(); // the connect timeout's deadline, read before the connect
    }

    @AfterEach
    void close() throws IOException {
        manager.socket.close();
        server.close();
    }

    /** The manager's port refuses connections; returns once the worker has had two rounds of refusals since. */
    private void refuseTwoRounds() throws Exception {
        server.close();
        manager.socket.close();
        // the session's end (the death timeout's deadline) and two rounds
        assertTrue(reads.tryAcquire(3, WAIT_SECONDS, TimeUnit.SECONDS), "the worker stopped seeking the manager");
    }

    @Test
    void roundsOfRefusalsWithinTwoSecondsDoNotEndTheWorkerItComesBackWhenThePortListensAgain() throws Exception {
        int port = server.getLocalPort();
        refuseTwoRounds();
        assertFalse(exit.isDone(), "the worker gave up on a manager that refused it only a moment");
        ServerSocket again = new ServerSocket();
        again.setReuseAddress(true);
        again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
        server = again;
        manager = new ManagerPeer(again, secret, WAIT_SECONDS);
        assertEquals(0, manager.welcome(10_000, 120_000, false).workerId(), "the worker came back");
        manager.send(Message.Shutdown.INSTANCE);
        assertEquals(WorkerClient.EXIT_OK, exit.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void roundsOfRefusalsSpanningTwoSecondsEndTheWorker() throws Exception {
        refuseTwoRounds();
        assertFalse(exit.isDone());
        now.addAndGet(TimeUnit.SECONDS.toNanos(2));
        assertEquals(WorkerClient.EXIT_OK, exit.get(WAIT_SECONDS, TimeUnit.SECONDS),
                "the manager refused the worker for 2 s: it is gone, and had no journal");
    }
}
