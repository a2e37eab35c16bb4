package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.MessageDecoder;
import org.jparallel.core.protocol.MessageEncoder;
import org.jparallel.core.protocol.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real worker client against fake managers on loopback ports: all addresses are tried at once,
 * exactly one connection sends PROOF, the others close before it, and an address that is silent
 * or refused costs the worker nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AddressProbeLoopbackTest {
    private static final int WORKER_ID = 7;
    private final Secret secret = Secret.generate();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    /** A manager that answers HELLO after a delay (never when negative), welcomes a good PROOF, then shuts the worker down. */
    final class FakeManager {
        final AtomicInteger hellos = new AtomicInteger();
        final AtomicInteger proofs = new AtomicInteger();
        final AtomicInteger closedWithoutProof = new AtomicInteger();
        /** Completed when this manager has read a HELLO. */
        final CompletableFuture<Void> helloRead = new CompletableFuture<>();
        /** When set, this manager answers HELLO only once this completes too (after its delay). */
        volatile CompletableFuture<Void> answerAfter = CompletableFuture.completedFuture(null);
        final Channel server;

        FakeManager(long challengeDelayMillis) {
            this(challengeDelayMillis, 0);
        }

        FakeManager(long challengeDelayMillis, int port) {
            server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new MessageDecoder(), new MessageEncoder(), new Handler(challengeDelayMillis));
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", port)).syncUninterruptibly().channel();
        }

        String address() {
            return "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
        }

        private final class Handler extends SimpleChannelInboundHandler<Message> {
            private final long delay;
            private Message.Hello hello;
            private byte[] nonce;
            private boolean proved;

            Handler(long delay) {
                this.delay = delay;
            }

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
                if (msg instanceof Message.Hello h) {
                    hellos.incrementAndGet();
                    hello = h;
                    nonce = Secret.nonce();
                    Message.Challenge c = new Message.Challenge(nonce, secret.managerMac(h.nonce(), nonce, h.workerId()));
                    helloRead.complete(null);
                    if (delay >= 0) {
                        answerAfter.thenRun(() -> ctx.executor().schedule(() -> ctx.writeAndFlush(c), delay,
                                TimeUnit.MILLISECONDS));
                    }
                } else if (msg instanceof Message.Proof p) {
                    proofs.incrementAndGet();
                    proved = true;
                    if (!Secret.matches(secret.workerMac(hello.nonce(), nonce, hello.workerId()), p.mac())) {
                        ctx.writeAndFlush(new Message.Reject("bad proof")).addListener(f -> ctx.close());
                        return;
                    }
                    ctx.pipeline().get(MessageDecoder.class).authenticated(1 << 20);
                    ctx.writeAndFlush(new Message.Welcome(2000, 60000, 1 << 20));
                    ctx.writeAndFlush(Message.Shutdown.INSTANCE);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                if (!proved) {
                    closedWithoutProof.incrementAndGet();
                }
            }
        }
    }

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private int runWorker(Duration connectTimeout, String... addresses) {
        return new WorkerClient(new WorkerOptions(List.of(addresses), WORKER_ID, secret, connectTimeout)).run();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private static String closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + s.getLocalPort();
        }
    }

    @Test
    void twoAnsweringAddressesGetOneProofBetweenThemAndTheOtherClosesBeforeProof() throws Exception {
        FakeManager slow = new FakeManager(500);
        FakeManager fast = new FakeManager(0);
        // both connections are under way when the fast one answers: its thread may else win before the slow
        // one's connects (a loaded machine), and that attempt is abandoned without a connection to close
        fast.answerAfter = slow.helloRead;
        assertEquals(WorkerClient.EXIT_OK, runWorker(Duration.ofSeconds(10), slow.address(), fast.address()));
        assertEquals(1, fast.proofs.get(), "the first to answer gets the proof");
        await(() -> slow.closedWithoutProof.get() == 1, "the slow address's connection to close");
        assertEquals(1, slow.hellos.get(), "both addresses were tried at once");
        assertEquals(0, slow.proofs.get(), "the losing connection sent PROOF: the manager would see the id twice");
    }

    @Test
    void aSilentAddressListedFirstDoesNotDelayTheWorker() throws Exception {
        FakeManager silent = new FakeManager(-1);
        FakeManager good = new FakeManager(0);
        good.answerAfter = silent.helloRead; // the silent address is connected when the good one answers
        long start = System.nanoTime();
        assertEquals(WorkerClient.EXIT_OK, runWorker(Duration.ofSeconds(30), silent.address(), good.address()));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms < 3000, "took " + ms + " ms with a silent first address");
        await(() -> silent.closedWithoutProof.get() == 1, "the silent address's connection to close");
        assertEquals(1, good.proofs.get());
    }

    @Test
    void aRefusedAddressBesideAGoodOneIsNoObstacle() throws Exception {
        FakeManager good = new FakeManager(0);
        assertEquals(WorkerClient.EXIT_OK, runWorker(Duration.ofSeconds(10), closedPort(), good.address()));
        assertEquals(1, good.proofs.get());
    }

    @Test
    void noManagerAtAnyAddressEndsWithExitFourAfterTheConnectTimeout() throws Exception {
        long start = System.nanoTime();
        assertEquals(WorkerClient.EXIT_UNREACHABLE, runWorker(Duration.ofSeconds(1), closedPort(), closedPort()));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms >= 1000 && ms < 5000, "gave up after " + ms + " ms with a 1 s connect timeout");
    }

    @Test
    void aManagerThatStartsLateIsFoundByTheRetries() throws Exception {
        String address = closedPort();
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        FakeManager[] late = new FakeManager[1];
        Thread starter = new Thread(() -> {
            try {
                Thread.sleep(600);
                late[0] = new FakeManager(0, port);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        starter.start();
        assertEquals(WorkerClient.EXIT_OK, runWorker(Duration.ofSeconds(20), closedPort(), address));
        starter.join();
        assertEquals(1, late[0].proofs.get());
    }
}
