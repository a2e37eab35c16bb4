package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jparallel.ManagerSettings;
import org.jparallel.WorkerInfo;
import org.jparallel.core.dispatch.Dispatcher;
import org.jparallel.core.dispatch.DispatcherFakes;
import org.jparallel.core.dispatch.QueuedTask;
import org.jparallel.core.leaks.NoLeaks;
import org.jparallel.core.protocol.EmbeddedWire;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.protocol.MessageDecoder;
import org.jparallel.core.protocol.MessageEncoder;
import org.jparallel.core.protocol.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The manager's side of the handshake, on EmbeddedChannels with the pipeline ManagerServer builds
 * and a real Dispatcher; the worker side is played by hand.
 */
@ExtendWith(NoLeaks.class)
class ManagerHandshakeTest {
    private final Secret secret = Secret.generate();
    private final ManagerSettings settings = ManagerSettings.defaults();
    private final DispatcherFakes.Listener listener = new DispatcherFakes.Listener();
    private final AtomicInteger nextId = new AtomicInteger(100);
    private final AtomicInteger pending = new AtomicInteger();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    /** The warnings about dropped connections, every one logged (no rate limit within a test). */
    private final List<String> warnings = new ArrayList<>();
    private final ConnectionDropLog drops = new ConnectionDropLog(System::nanoTime, warnings::add, Integer.MAX_VALUE,
            Long.MAX_VALUE);
    private Dispatcher dispatcher;

    /** The worker's end of one connection: encodes what it sends, decodes what the manager wrote. */
    final class Peer {
        final EmbeddedChannel manager;
        final EmbeddedChannel encoder = new EmbeddedChannel(new MessageEncoder());
        final MessageDecoder decoder = new MessageDecoder();
        // like the worker: once WELCOME is read, the limits are lifted before the next frame is decoded
        final EmbeddedChannel decoding = new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof Message.Welcome w) {
                    decoder.authenticated(w.maxFrameBytes());
                }
                ctx.fireChannelRead(msg);
            }
        });
        final byte[] nonce = Secret.nonce();
        Message.Challenge challenge;

        Peer() {
            manager = new EmbeddedChannel(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    // as ManagerServer does
                    ch.pipeline().addLast("decoder", new MessageDecoder());
                    ch.pipeline().addLast("encoder", new MessageEncoder());
                    ch.pipeline().addLast("handshake", new ManagerHandshakeHandler(secret, settings, dispatcher, pending,
                            drops));
                }
            });
            channels.add(manager);
            channels.add(encoder);
            channels.add(decoding);
        }

        void send(Message m) {
            EmbeddedWire.send(encoder, m, manager);
        }

        /** @return every message the manager wrote since the last call */
        List<Message> received() {
            return EmbeddedWire.received(manager, decoding);
        }

        <T extends Message> T receivedOne(Class<T> type) {
            List<Message> got = received();
            assertEquals(1, got.size(), "expected one " + type.getSimpleName() + ", got " + got);
            return assertInstanceOf(type, got.get(0));
        }

        Message.Hello hello(int workerId) {
            return new Message.Hello(MessageEncoder.VERSION, workerId, 4242L, "node1", "17.0.9", nonce);
        }

        /** Sends HELLO, checks the CHALLENGE with {@code proofSecret} and answers with a PROOF made with it. */
        Message.Proof handshake(int workerId, Secret proofSecret) {
            send(hello(workerId));
            Message.Challenge c = receivedOne(Message.Challenge.class);
            challenge = c;
            Message.Proof proof = new Message.Proof(proofSecret.workerMac(nonce, c.nonce(), workerId));
            send(proof);
            return proof;
        }
    }

    @BeforeEach
    void setUp() {
        dispatcher = new Dispatcher(settings, listener, nextId::getAndIncrement);
        dispatcher.workersAdded(List.of(1), "test");
    }

    @AfterEach
    void tearDown() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private WorkerInfo worker(int id) {
        return dispatcher.stats().workers().stream().filter(w -> w.id() == id).findFirst().orElseThrow();
    }

    @Test
    void aCorrectHelloAndProofGetChallengeThenWelcomeAndTheWorkerIsConnected() {
        Peer p = new Peer();
        assertEquals(1, pending.get(), "one connection in handshake");
        p.send(p.hello(1));
        Message.Challenge c = p.receivedOne(Message.Challenge.class);
        assertEquals(MessageDecoder.NONCE_BYTES, c.nonce().length);
        assertTrue(Secret.matches(secret.managerMac(p.nonce, c.nonce(), 1), c.mac()), "the manager proves it holds the secret");
        assertEquals(WorkerInfo.State.STARTING, worker(1).state(), "not admitted before the PROOF");

        p.send(new Message.Proof(secret.workerMac(p.nonce, c.nonce(), 1)));
        Message.Welcome w = p.receivedOne(Message.Welcome.class);
        assertEquals(settings.maxFrameBytes(), w.maxFrameBytes());
        assertEquals(settings.heartbeatInterval().toMillis(), w.heartbeatMillis());
        assertEquals(settings.workerDeathTimeout().toMillis(), w.deathTimeoutMillis());

        WorkerInfo info = worker(1);
        assertEquals(WorkerInfo.State.CONNECTED, info.state());
        assertEquals("node1", info.host());
        assertEquals(4242L, info.pid());
        assertEquals(List.of(1), listener.connected);
        assertTrue(p.manager.isOpen());
        assertNull(p.manager.pipeline().get("handshake"), "the handshake handler is gone");
        assertNotNull(p.manager.pipeline().get("session"));
        assertNotNull(p.manager.pipeline().get("idle"));
        assertEquals(0, pending.get(), "no connection in handshake any more");
    }

    @Test
    void tasksWaitingBeforeTheHandshakeAreSentOnlyAfterTheWelcome() {
        dispatcher.openContext(1, new byte[] {1, 2, 3});
        DispatcherFakes.FakeCompletion done = new DispatcherFakes.FakeCompletion(10L);
        dispatcher.submit(new QueuedTask(done, 1, new byte[] {9}));
        Peer p = new Peer();
        p.handshake(1, secret);
        List<Message> got = p.received();
        assertEquals(3, got.size(), got.toString());
        assertInstanceOf(Message.Welcome.class, got.get(0));
        assertInstanceOf(Message.Setup.class, got.get(1));
        Message.Task t = assertInstanceOf(Message.Task.class, got.get(2));
        assertEquals(10L, t.taskId());
        assertArrayEquals(new byte[] {9}, t.payload());

        // and the session handler passes the worker's result on to the dispatcher
        p.send(new Message.Result(10L, new byte[] {4}));
        assertArrayEquals(new byte[] {4}, done.result);
    }

    @Test
    void aWrongSecretGetsRejectAndTheChannelClosesAndTheWorkerStaysStarting() {
        Peer p = new Peer();
        p.handshake(1, Secret.generate());
        Message.Reject r = p.receivedOne(Message.Reject.class);
        assertTrue(r.reason().contains("authentication failed"), r.reason());
        assertFalse(p.manager.isOpen());
        assertEquals(WorkerInfo.State.STARTING, worker(1).state());
        assertTrue(listener.connected.isEmpty());
        assertEquals(0, pending.get());
    }

    @Test
    void aReplayedProofFromAnEarlierHandshakeIsRejectedOnANewChannel() {
        Peer first = new Peer();
        Message.Proof oldProof = first.handshake(1, secret);
        first.receivedOne(Message.Welcome.class);

        // The same HELLO (same worker nonce) again: the manager picks a fresh nonce, so the old proof is stale.
        Peer replay = new Peer();
        replay.send(first.hello(1));
        Message.Challenge c2 = replay.receivedOne(Message.Challenge.class);
        replay.send(oldProof);
        Message.Reject r = replay.receivedOne(Message.Reject.class);
        assertTrue(r.reason().contains("authentication failed"), r.reason());
        assertFalse(replay.manager.isOpen());
        assertTrue(first.manager.isOpen(), "the genuine connection is untouched");
        assertEquals(List.of(1), listener.connected);
        assertFalse(Arrays.equals(c2.nonce(), first.challenge.nonce()), "a fresh manager nonce per connection");
    }

    @Test
    void theManagersChallengeMacValidatesWithTheRightSecretOnly() {
        Peer p = new Peer();
        p.send(p.hello(1));
        Message.Challenge c = p.receivedOne(Message.Challenge.class);
        assertTrue(Secret.matches(secret.managerMac(p.nonce, c.nonce(), 1), c.mac()));
        assertFalse(Secret.matches(Secret.generate().managerMac(p.nonce, c.nonce(), 1), c.mac()), "wrong secret");
        assertFalse(Secret.matches(secret.managerMac(p.nonce, c.nonce(), 2), c.mac()), "other worker id");
        assertFalse(Secret.matches(secret.managerMac(Secret.nonce(), c.nonce(), 1), c.mac()), "other worker nonce");
        assertFalse(Secret.matches(secret.workerMac(p.nonce, c.nonce(), 1), c.mac()), "worker and manager MACs differ");
    }

    @Test
    void theManagersOwnMacReflectedAsTheProofIsRejected() {
        Peer p = new Peer();
        p.send(p.hello(1));
        Message.Challenge c = p.receivedOne(Message.Challenge.class);
        p.send(new Message.Proof(c.mac()));
        assertInstanceOf(Message.Reject.class, p.received().get(0));
        assertFalse(p.manager.isOpen());
        assertEquals(WorkerInfo.State.STARTING, worker(1).state());
    }

    @Test
    void aTaskFrameSentBeforeAuthenticationClosesTheChannel() {
        Peer p = new Peer();
        p.send(new Message.Task(1L, 1, new byte[] {1, 2, 3}));
        assertFalse(p.manager.isOpen());
        assertNull(p.manager.readInbound(), "nothing passed the handshake");
        assertEquals(WorkerInfo.State.STARTING, worker(1).state());
        assertEquals(0, pending.get());
    }

    @Test
    void aTaskFrameSentAfterHelloButBeforeProofClosesTheChannel() {
        Peer p = new Peer();
        p.send(p.hello(1));
        p.receivedOne(Message.Challenge.class);
        p.send(new Message.Result(1L, new byte[] {1}));
        assertFalse(p.manager.isOpen());
        assertEquals(WorkerInfo.State.STARTING, worker(1).state());
    }

    @Test
    void aProofBeforeHelloIsRejected() {
        Peer p = new Peer();
        p.send(new Message.Proof(new byte[MessageDecoder.NONCE_BYTES]));
        Message.Reject r = p.receivedOne(Message.Reject.class);
        assertTrue(r.reason().contains("unexpected PROOF"), r.reason());
        assertFalse(p.manager.isOpen());
    }

    @Test
    void aHelloOfAnotherProtocolVersionIsRejected() {
        Peer p = new Peer();
        p.send(new Message.Hello(MessageEncoder.VERSION + 1, 1, 1L, "h", "17", p.nonce));
        Message.Reject r = p.receivedOne(Message.Reject.class);
        assertTrue(r.reason().contains("protocol version"), r.reason());
        assertFalse(p.manager.isOpen());
    }

    @Test
    void aSecondConnectionClaimingAnIdAlreadyConnectedIsRejected() {
        Peer first = new Peer();
        first.handshake(1, secret);
        first.receivedOne(Message.Welcome.class);

        Peer second = new Peer();
        second.handshake(1, secret);
        Message.Reject r = second.receivedOne(Message.Reject.class);
        assertTrue(r.reason().contains("CONNECTED"), r.reason());
        assertFalse(second.manager.isOpen());
        assertTrue(first.manager.isOpen());
        assertEquals(WorkerInfo.State.CONNECTED, worker(1).state());
        assertEquals(1, dispatcher.stats().workers().size(), "no new worker was made up for the intruder");
        assertEquals(0, pending.get());
    }

    @Test
    void aWorkerOfTheManagerStillStartingWhenItShutDownIsRejectedWithoutAWarning() {
        dispatcher.shutdown(); // worker 1 (a later start wave) had not connected yet
        Peer late = new Peer();
        late.handshake(1, secret);
        Message.Reject r = late.receivedOne(Message.Reject.class);
        assertTrue(r.reason().contains("shutting down"), r.reason());
        assertFalse(late.manager.isOpen());
        assertEquals(List.of(), warnings, "a normal close: no warning");
    }

    @Test
    void anyOtherPeerRejectedWhileTheManagerShutsDownIsStillWarnedAbout() {
        Peer connected = new Peer();
        connected.handshake(1, secret);
        connected.receivedOne(Message.Welcome.class);
        dispatcher.shutdown();

        Peer stranger = new Peer(); // holds the secret but was never started by this manager
        stranger.handshake(7, secret);
        assertTrue(stranger.receivedOne(Message.Reject.class).reason().contains("shutting down"));
        Peer again = new Peer(); // worker 1 had connected before: not a late start
        again.handshake(1, secret);
        again.receivedOne(Message.Reject.class);
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.stream().allMatch(w -> w.startsWith("rejected a connection from ")
                && w.endsWith(": the manager is shutting down")), warnings.toString());
    }

    @Test
    void aSilentPeerIsClosedAfterTheHandshakeTimeout() {
        Peer p = new Peer();
        p.manager.advanceTimeBy(ManagerHandshakeHandler.HANDSHAKE_TIMEOUT_MILLIS - 1000, TimeUnit.MILLISECONDS);
        p.manager.runScheduledPendingTasks();
        assertTrue(p.manager.isOpen(), "still open before the timeout");
        p.manager.advanceTimeBy(11, TimeUnit.SECONDS);
        p.manager.runScheduledPendingTasks();
        assertFalse(p.manager.isOpen());
        assertEquals(0, pending.get());
    }

    @Test
    void aPeerThatStopsAfterHelloIsClosedAfterTheHandshakeTimeout() {
        Peer p = new Peer();
        p.send(p.hello(1));
        p.receivedOne(Message.Challenge.class);
        p.manager.advanceTimeBy(11, TimeUnit.SECONDS);
        p.manager.runScheduledPendingTasks();
        assertFalse(p.manager.isOpen());
        assertEquals(WorkerInfo.State.STARTING, worker(1).state());
    }

    @Test
    void anAuthenticatedWorkerIsNotClosedByTheHandshakeTimeout() {
        Peer p = new Peer();
        p.handshake(1, secret);
        p.receivedOne(Message.Welcome.class);
        p.manager.advanceTimeBy(11, TimeUnit.SECONDS);
        p.manager.runScheduledPendingTasks();
        assertTrue(p.manager.isOpen());
        assertEquals(WorkerInfo.State.CONNECTED, worker(1).state());
    }

    @Test
    void closingAnAuthenticatedConnectionTellsTheDispatcherTheWorkerIsLost() {
        Peer p = new Peer();
        p.handshake(1, secret);
        p.receivedOne(Message.Welcome.class);
        p.manager.close();
        p.manager.runPendingTasks();
        assertEquals(WorkerInfo.State.LOST, worker(1).state());
        assertEquals(1, listener.gone.size());
    }
}
