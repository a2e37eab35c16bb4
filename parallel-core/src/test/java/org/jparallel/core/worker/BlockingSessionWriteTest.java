package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jparallel.core.leaks.NoLeaks;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.MessageEncoder;
import org.jparallel.core.protocol.Secret;
import org.jparallel.core.serial.Payloads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A write of the worker's blocking transport ({@link BlockingSession#write}) that breaks off with an {@code Error}
 * or {@code RuntimeException} (a direct memory {@code OutOfMemoryError}, a bug in a buffer) may leave part of a
 * frame on the wire, after which nothing can follow on that connection: the session closes it, so the manager sees
 * the worker's connection end (and moves its tasks to another worker, or to this one when it comes back) rather than
 * a batch missing or a stream it can no longer parse; and the batch's big results' buffers it did not send are
 * released. The session cannot tell how far a write got, and closes either way; here the break comes before any of
 * the batch is out: while it is gathered, while a message is encoded, while the small frames are put together.
 */
@ExtendWith(NoLeaks.class)
class BlockingSessionWriteTest {
    private static final long WAIT_SECONDS = 20;

    private final Secret secret = Secret.generate();
    private final ServerSocket server;
    private final FailingAllocator alloc = new FailingAllocator();
    private ManagerPeer manager;
    private final CompletableFuture<Void> served = new CompletableFuture<>();

    BlockingSessionWriteTest() throws IOException {
        server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException {
        if (manager != null) {
            manager.socket.close();
        }
        server.close();
    }

    /** Unpooled buffers that fail, once {@link #failing} is set, with an {@code OutOfMemoryError} as Netty's would. */
    private static final class FailingAllocator extends AbstractByteBufAllocator {
        volatile boolean failing;

        FailingAllocator() {
            super(false);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            failIfAsked();
            return UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            failIfAsked();
            return UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
        }

        private void failIfAsked() {
            if (failing) {
                throw new OutOfMemoryError("Cannot reserve direct buffer memory (this test's)");
            }
        }
    }

    /** @return a session on its reader thread, past the handshake, its buffers from {@link #alloc} */
    private BlockingSession session() throws Exception {
        String address = "127.0.0.1:" + server.getLocalPort();
        WorkerOptions options = new WorkerOptions(List.of(address), 7, secret, Duration.ofSeconds(WAIT_SECONDS));
        CompletableFuture<Void> welcomed = new CompletableFuture<>();
        BlockingSession session = new BlockingSession(options, address, new ProofGate() {
            @Override
            public boolean mayProve(io.netty.channel.Channel channel) {
                return true;
            }

            @Override
            public void welcomed(io.netty.channel.Channel channel) {
                welcomed.complete(null);
            }
        }, alloc);
        Thread reader = new Thread(() -> {
            WorkerHandshake.Step welcome = session.handshake();
            if (welcome != null) {
                session.serve(welcome);
            }
            served.complete(null);
        }, "worker");
        reader.setDaemon(true);
        reader.start();
        manager = new ManagerPeer(server, secret, WAIT_SECONDS);
        manager.welcome(60_000, 60_000); // no heartbeat within the test's reads
        welcomed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        return session;
    }

    /** The manager sees the connection end, and the session ends as one whose write broke off with {@code thrown}. */
    private void assertClosed(BlockingSession session, Throwable thrown) throws Exception {
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
    }

    /** @return a big result's copy, as a task thread makes it, with room for the frame's head before its bytes or not */
    private static ByteBuf bigResultCopy(boolean headRoom) {
        int head = headRoom ? MessageEncoder.RESULT_HEAD : 0;
        ByteBuf b = Unpooled.directBuffer(head + 64);
        b.writerIndex(head + 64).readerIndex(head);
        return b;
    }

    @ParameterizedTest(name = "an Error: {0}")
    @ValueSource(booleans = {true, false})
    void anUncheckedExceptionWhileGatheringRepliesClosesTheConnection(boolean error) throws Exception {
        BlockingSession session = session();
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
        ByteBuf after = bigResultCopy(true); // the batch's reply behind the one that breaks: never encoded
        List<Message> batch = List.of(new Message.Result(1, 0, Payloads.serialize("fine")),
                new Message.BufferedResult(2, 0, breaking), new Message.BufferedResult(3, 0, after));
        assertSame(thrown, assertThrows(thrown.getClass(), () -> session.write(batch)), "the writer sees what broke");
        assertClosed(session, thrown);
        assertEquals(0, breaking.refCnt(), "the batch's buffers are released");
        assertEquals(0, after.refCnt(), "a reply behind the one that broke is released too");
        ByteBuf late = bigResultCopy(true);
        session.write(List.of(new Message.BufferedResult(4, 0, late)));
        assertEquals(0, late.refCnt(), "a reply written after the connection closed is released");
    }

    /** A big result without room for its frame's head gets a buffer for it when encoded: that allocation fails. */
    @Test
    void anAllocationThatFailsWhileAReplyIsEncodedReleasesTheUnsentRepliesAndClosesTheConnection() throws Exception {
        BlockingSession session = session();
        ByteBuf encoding = bigResultCopy(false);
        ByteBuf after = bigResultCopy(true);
        List<Message> batch = List.of(new Message.BufferedResult(1, 0, encoding), new Message.BufferedResult(2, 0, after));
        alloc.failing = true;
        OutOfMemoryError thrown = writeFailing(session, batch);
        assertClosed(session, thrown);
        assertEquals(0, encoding.refCnt(), "the reply whose encoding failed is released");
        assertEquals(0, after.refCnt(), "a reply behind it is released too");
    }

    /** The small replies' frames are put together in a buffer of their own before anything is encoded: it fails. */
    @Test
    void anAllocationThatFailsWhileTheSmallFramesArePutTogetherReleasesTheRepliesAndClosesTheConnection()
            throws Exception {
        BlockingSession session = session();
        ByteBuf before = bigResultCopy(true);
        ByteBuf after = bigResultCopy(true);
        List<Message> batch = List.of(new Message.BufferedResult(1, 0, before),
                new Message.Result(2, 0, Payloads.serialize("small")), new Message.BufferedResult(3, 0, after));
        alloc.failing = true;
        OutOfMemoryError thrown = writeFailing(session, batch);
        assertClosed(session, thrown);
        assertEquals(0, before.refCnt(), "a reply framed before the failure is released");
        assertEquals(0, after.refCnt(), "a reply not framed yet is released");
    }

    /** @return the {@code OutOfMemoryError} {@code batch}'s write threw (caught here: JUnit's assertThrows rethrows it) */
    private static OutOfMemoryError writeFailing(BlockingSession session, List<Message> batch) {
        try {
            session.write(batch);
        } catch (OutOfMemoryError e) {
            assertTrue(e.getMessage().contains("this test's"), e.getMessage());
            return e;
        }
        throw new AssertionError("the write did not fail");
    }
}
